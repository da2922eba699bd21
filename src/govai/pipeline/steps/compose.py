"""compose: turn the retrieved sources into a cited answer, or abstain.

Providers are tried along the chain the route step allowed (the offline
extractive composer last), each with retries and back-off behind its circuit
breaker. Every attempt and every fallback is recorded for the audit trail;
tokens and cost add up in ``ctx.usage``; a per-request token budget stops
further paid calls. A request is never lost: if every provider fails, the
canned service-error reply goes back, and the failure is audited.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from govai.domain import Citation, Outcome, Source
from govai.pipeline.context import Context
from govai.pipeline.runner import SERVICE_ERROR
from govai.pipeline.step import steps
from govai.pipeline.steps.route import Route, canned
from govai.policy.routing import TextSent
from govai.providers.base import Draft
from govai.providers.config import Catalogue, load_catalogue
from govai.providers.prompt import build_messages
from govai.providers.resilience import Attempt

if TYPE_CHECKING:
    from govai.runtime import Runtime

log = logging.getLogger(__name__)

NOT_FOUND = (
    "I can't find the answer to that in the guidance I have. "
    "You can search GOV.UK (https://www.gov.uk/search) or contact the organisation responsible."
)


class Compose:
    name = "compose"

    def __init__(self, runtime: Runtime, catalogue: Catalogue) -> None:
        self.runtime = runtime
        self.profile = runtime.profile
        self.catalogue = catalogue

    def chain(self, ctx: Context) -> list[dict[str, Any]]:
        """The allowed providers in order: the route step's decision, or one made now
        (so a profile without a route step still cannot bypass the policy)."""
        if "route" not in ctx.state:
            Route(self.runtime, self.catalogue)(ctx)
        return [] if ctx.stopped else list(ctx.state["route"]["chain"])

    def question_for(self, ctx: Context, text: str) -> str:
        if text == TextSent.ORIGINAL:
            return str(ctx.state.get("pii_original_text") or ctx.text)
        return ctx.text

    def over_token_budget(self, ctx: Context, question: str, max_output: int) -> bool:
        """Would this call exceed the per-request token budget (prompt estimated at 4 chars a token)?"""
        limit = self.profile.budget.max_tokens_per_request
        if limit is None:
            return False
        prompt = sum(len(m["content"]) for m in build_messages(question, ctx.sources)) // 4
        return ctx.usage.prompt_tokens + ctx.usage.completion_tokens + prompt + max_output > limit

    def __call__(self, ctx: Context) -> None:
        chain = self.chain(ctx)
        if ctx.stopped:  # refused by the policy
            return
        attempts: list[Attempt] = []
        fallbacks: list[dict[str, str]] = []
        draft: Draft | None = None
        used: dict[str, Any] | None = None
        for route in chain:
            name = route["provider"]
            spec = self.catalogue.get(name)
            question = self.question_for(ctx, route["text"])
            if spec.paid and self.over_token_budget(ctx, question, spec.max_output_tokens):
                fallbacks.append({"from": name, "reason": "over the per-request token budget"})
                continue
            try:
                provider = self.runtime.provider(name)
                draft = spec.resilience().run(lambda p=provider, q=question: p.compose(q, ctx.sources), attempts)
            except Exception as exc:  # every failure falls back; none is lost
                fallbacks.append({"from": name, "reason": f"{type(exc).__name__}: {exc}"[:300]})
                log.warning("compose: provider %s failed, falling back: %s", name, type(exc).__name__)
                continue
            used = route
            self.add_usage(ctx, name, draft)
            break
        detail: dict[str, Any] = {
            "provider": used["provider"] if used else None,
            "text_sent": used["text"] if used else None,
            "attempts": [a.as_dict() for a in attempts],
            "fallbacks": fallbacks,
            "prompt_tokens": ctx.usage.prompt_tokens,
            "completion_tokens": ctx.usage.completion_tokens,
            "cost_gbp": round(ctx.usage.cost_gbp, 6),
        }
        if draft is None or used is None:
            ctx.record(self.name, **detail)
            ctx.stop(Outcome.ERROR, SERVICE_ERROR, "every allowed provider failed: "
                     + "; ".join(f"{f['from']}: {f['reason']}" for f in fallbacks))
            return
        ctx.provider = used["provider"]
        if fallbacks:
            ctx.flags.append("provider_fallback")
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
            ctx.stop(Outcome.ABSTAINED, canned(self.profile, "not_found", NOT_FOUND), "no supporting guidance")
            return
        ctx.answer = draft.answer
        ctx.citations = [Citation(source_id=s.source_id, url=s.url, title=s.title) for s in cited]


@steps.register("compose")
def build(runtime: Runtime, options: dict[str, Any]) -> Compose:
    return Compose(runtime, load_catalogue(runtime.profile.providers_file))
