"""compose: turn the retrieved sources into a cited answer, or abstain.

Providers are tried along the chain model access allowed (the offline extractive
composer last), each given only the text it is allowed (the original, or the
pseudonymised text), with retries and back-off behind its circuit breaker. Every
attempt and every fallback is recorded for the audit trail; tokens and cost add up
in ``ctx.usage``; a per-request token budget stops further paid calls. A request is
never lost: if every provider fails, the canned service-error reply goes back, and
the failure is audited.

"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from govai.domain import Citation, Outcome, Source
from govai.pipeline.context import Context
from govai.pipeline.evidence import EvidenceReader
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps
from govai.pipeline.steps.route import route_request
from govai.policy.access import ModelAccess
from govai.providers.base import Draft
from govai.providers.prompt import build_messages
from govai.providers.resilience import Attempt

if TYPE_CHECKING:
    from govai.runtime import Services

log = logging.getLogger(__name__)


class Compose:
    name = "compose"

    def __init__(self, access: ModelAccess, read_evidence: EvidenceReader, replies: Replies,
                 max_tokens_per_request: int | None = None) -> None:
        self.access = access
        self.read_evidence = read_evidence
        self.replies = replies
        self.max_tokens_per_request = max_tokens_per_request

    def over_token_budget(self, ctx: Context, question: str, max_output: int) -> bool:
        """Would this call exceed the per-request token budget (prompt estimated at 4 chars a token)?"""
        limit = self.max_tokens_per_request
        if limit is None:
            return False
        prompt = sum(len(m["content"]) for m in build_messages(question, ctx.sources)) // 4
        return ctx.usage.prompt_tokens + ctx.usage.completion_tokens + prompt + max_output > limit

    def __call__(self, ctx: Context) -> None:
        # The route step normally decided already; without one, the same policy decides here.
        decision = ctx.routing if ctx.routing is not None else route_request(self.access, self.replies, ctx)
        if ctx.stopped:
            return
        attempts: list[Attempt] = []
        fallbacks: list[dict[str, str]] = []
        draft: Draft | None = None
        used = None
        for grant in self.access.composers(decision):
            spec = grant.spec
            question = ctx.text_for(grant.text)
            if spec.paid and self.over_token_budget(ctx, question, spec.max_output_tokens):
                fallbacks.append({"from": grant.name, "reason": "over the per-request token budget"})
                continue
            try:
                provider = grant.provider
                # The offline composer quotes from the evidence (read once, usually by check_evidence).
                needs = getattr(provider, "needs_evidence", False) and ctx.sources
                evidence = self.read_evidence(ctx) if needs else ctx.evidence
                draft = spec.resilience().run(lambda p=provider, q=question: p.compose(q, ctx.sources, evidence),
                                              attempts)
            except Exception as exc:  # every failure falls back; none is lost
                fallbacks.append({"from": grant.name, "reason": f"{type(exc).__name__}: {exc}"[:300]})
                log.warning("compose: provider %s failed, falling back: %s", grant.name, type(exc).__name__)
                continue
            used = grant
            self.add_usage(ctx, grant.name, draft)
            break
        detail: dict[str, Any] = {
            "provider": used.name if used else None,
            "text_sent": str(used.text) if used else None,
            "attempts": [a.as_dict() for a in attempts],
            "fallbacks": fallbacks,
            "prompt_tokens": ctx.usage.prompt_tokens,
            "completion_tokens": ctx.usage.completion_tokens,
            "cost_gbp": round(ctx.usage.cost_gbp, 6),
        }
        if draft is None or used is None:
            ctx.record(self.name, **detail)
            ctx.stop(Outcome.ERROR, self.replies("service_error"), "every allowed provider failed: "
                     + "; ".join(f"{f['from']}: {f['reason']}" for f in fallbacks))
            return
        ctx.provider = used.name
        if fallbacks:
            ctx.flag("provider_fallback")
        detail["cited"] = len(draft.cited)
        ctx.record(self.name, **detail)
        self.apply(ctx, draft)

    @staticmethod
    def add_usage(ctx: Context, provider: str, draft: Draft) -> None:
        ctx.usage.provider = provider
        ctx.usage.model = draft.usage.model or provider
        ctx.usage.prompt_tokens += draft.usage.prompt_tokens
        ctx.usage.completion_tokens += draft.usage.completion_tokens
        ctx.usage.cost_gbp += draft.usage.cost_gbp

    def apply(self, ctx: Context, draft: Draft) -> None:
        by_id: dict[str, Source] = {}
        for s in ctx.sources:
            by_id.setdefault(s.source_id, s)
        cited = [by_id[sid] for sid in draft.cited if sid in by_id]
        if draft.answer is None or not cited:
            ctx.stop(Outcome.ABSTAINED, self.replies("not_found"), "no supporting guidance")
            return
        ctx.answer = ctx.draft = draft.answer
        ctx.citations = [Citation(source_id=s.source_id, url=s.url, title=s.title) for s in cited]


@steps.register("compose")
def build(services: Services, options: dict[str, Any]) -> Compose:
    if options:
        from govai.errors import ConfigError

        raise ConfigError(f"compose: takes no options (got {', '.join(sorted(options))}); "
                          "providers are chosen in the profile's 'providers' and tuned in the provider file")
    return Compose(services.access, services.evidence_reader, services.replies,
                   services.profile.budget.max_tokens_per_request)
