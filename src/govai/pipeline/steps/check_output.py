"""check_output: the output guard. Every answer sentence must be supported by the
passage it cites (a deterministic check, plus an LLM judge when one is configured and
model access allows it for this request); answers are checked for personal data,
political persuasion, illegal advice and forbidden terms. A failure replaces the
answer with a safe canned reply.

Options: ``checks`` (default: all five), ``min_support`` (0.75), ``forbidden_terms``
(list), ``allowed_unsupported`` (regexes for boilerplate sentences such as a
disclaimer), ``judge`` (a provider name for the LLM support check).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govai.domain import Outcome, TextSent
from govai.errors import ConfigError
from govai.guards.judge import sentence_supported
from govai.guards.output import CHECKS, CheckResult, check_answer
from govai.pipeline.context import Context
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps
from govai.policy.access import ModelAccess
from govai.text.sentences import split_sentences

if TYPE_CHECKING:
    from govai.runtime import Services

PURPOSE = "output_judge"


class CheckOutput:
    name = "check_output"

    def __init__(self, replies: Replies, access: ModelAccess, checks: list[str] | None = None,
                 min_support: float = 0.75, forbidden_terms: list[str] | None = None,
                 allowed_unsupported: list[str] | None = None, judge: str | None = None) -> None:
        unknown = sorted(set(checks or []) - set(CHECKS))
        if unknown:
            raise ConfigError(f"check_output: unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECKS)}")
        if judge:
            access.catalogue.get(judge)  # an unknown provider fails at start-up
        self.replies = replies
        self.access = access
        self.checks = checks or list(CHECKS)
        self.min_support = min_support
        self.forbidden_terms = forbidden_terms or []
        self.allowed_unsupported = allowed_unsupported or []
        self.judge = judge

    def _judge_support(self, ctx: Context) -> CheckResult:
        if not self.judge:
            return CheckResult("llm_support", True, "skipped: no judge configured", {"skipped": True})
        grant = self.access.grant(ctx, self.judge, PURPOSE)
        if grant is None:
            return CheckResult("llm_support", True, "skipped: not allowed for this request by the routing policy",
                               {"skipped": True})
        try:
            chat = getattr(grant.provider, "chat", None)
        except Exception as exc:
            return CheckResult("llm_support", True, f"skipped: judge unavailable: {type(exc).__name__}",
                               {"skipped": True})
        if not callable(chat):
            return CheckResult("llm_support", True, "skipped: judge provider cannot chat", {"skipped": True})
        # A judge not approved for personal data sees the answer as composed, placeholders and all.
        answer = ctx.answer if grant.text is TextSent.ORIGINAL or ctx.draft is None else ctx.draft
        evidence = "\n\n".join(s.text for s in ctx.sources)
        unsupported = [s for s in split_sentences(answer or "") if sentence_supported(chat, s, evidence) is False]
        if unsupported:
            return CheckResult("llm_support", False, f"judge: {len(unsupported)} sentence(s) unsupported",
                               {"unsupported": len(unsupported)})
        return CheckResult("llm_support", True)

    def __call__(self, ctx: Context) -> None:
        if not ctx.answer or ctx.stopped:
            ctx.record(self.name, verdict="skipped", reason="no answer to check")
            return
        question = ctx.original_text or ctx.question
        report = check_answer(ctx.answer, ctx.sources, ctx.citations, question, min_support=self.min_support,
                              forbidden_terms=self.forbidden_terms, allowed_unsupported=self.allowed_unsupported,
                              checks=self.checks)
        if "support" in self.checks and report.passed:
            report.checks.append(self._judge_support(ctx))
        ctx.record(self.name, verdict="pass" if report.passed else "block",
                   checks=[{"check": c.name, "passed": c.passed, "reason": c.reason, **c.detail} for c in report.checks])
        if not report.passed:
            failed = ", ".join(c.name for c in report.failures)
            ctx.flag("output_blocked")
            ctx.stop(Outcome.BLOCKED, self.replies("blocked_output"), f"output guard: {failed}")


@steps.register("check_output")
def build(services: Services, options: dict[str, Any]) -> CheckOutput:
    return CheckOutput(services.replies, services.access, **options)
