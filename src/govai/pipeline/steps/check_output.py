"""check_output: the output guard. Every answer sentence must be supported by the
passage it cites (a deterministic check, plus the LLM judge when one is configured);
answers are checked for personal data, political persuasion, illegal advice and
forbidden terms. A failure replaces the answer with a safe canned reply.

Options: ``checks`` (default: all five), ``min_support`` (0.75), ``forbidden_terms``
(list), ``allowed_unsupported`` (regexes for boilerplate sentences such as a
disclaimer), ``judge`` (a provider name for the LLM support check).
"""

from __future__ import annotations

from typing import Any

from govai.guards.canned import canned
from govai.guards.judge import sentence_supported
from govai.guards.output import CheckResult, check_answer, split_sentences
from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.step import steps


class CheckOutput:
    name = "check_output"

    def __init__(self, runtime: Any, checks: list[str] | None = None, min_support: float = 0.75,
                 forbidden_terms: list[str] | None = None, allowed_unsupported: list[str] | None = None,
                 judge: str | None = None) -> None:
        self.canned = getattr(getattr(runtime, "profile", None), "canned", {}) or {}
        self.checks = checks or ["support", "personal_data", "political", "illegal_advice", "forbidden_terms"]
        self.min_support = min_support
        self.forbidden_terms = forbidden_terms or []
        self.allowed_unsupported = allowed_unsupported or []
        self.chat = None
        if judge and runtime is not None:
            self.chat = getattr(runtime.provider(judge), "chat", None)
        self.judge_name = judge

    def _judge_support(self, ctx: Context) -> CheckResult:
        if not callable(self.chat):
            reason = "no judge configured" if not self.judge_name else "judge provider cannot chat"
            return CheckResult("llm_support", True, f"skipped: {reason}", {"skipped": True})
        evidence = "\n\n".join(s.text for s in ctx.sources)
        unsupported = [s for s in split_sentences(ctx.answer or "")
                       if sentence_supported(self.chat, s, evidence) is False]
        if unsupported:
            return CheckResult("llm_support", False, f"judge: {len(unsupported)} sentence(s) unsupported",
                               {"unsupported": [s[:200] for s in unsupported]})
        return CheckResult("llm_support", True)

    def __call__(self, ctx: Context) -> None:
        if not ctx.answer or ctx.stopped:
            ctx.record(self.name, verdict="skipped", reason="no answer to check")
            return
        question = str(ctx.state.get("pii_original_text") or ctx.question)
        report = check_answer(ctx.answer, ctx.sources, ctx.citations, question, min_support=self.min_support,
                              forbidden_terms=self.forbidden_terms, allowed_unsupported=self.allowed_unsupported,
                              checks=self.checks)
        if "support" in self.checks and report.passed:
            report.checks.append(self._judge_support(ctx))
        ctx.record(self.name, verdict="pass" if report.passed else "block",
                   checks=[{"check": c.name, "passed": c.passed, "reason": c.reason, **c.detail} for c in report.checks])
        if not report.passed:
            failed = ", ".join(c.name for c in report.failures)
            if "output_blocked" not in ctx.flags:
                ctx.flags.append("output_blocked")
            ctx.stop(Outcome.BLOCKED, canned("blocked_output", self.canned), f"output guard: {failed}")


@steps.register("check_output")
def build(runtime: Any, options: dict[str, Any]) -> CheckOutput:
    return CheckOutput(runtime, **options)
