"""screen_input: the input guard. Rules, the shipped classifier and an optional LLM
judge screen the user's message; each layer's verdict is recorded.

Runs after ``pseudonymise`` but screens the text the user actually sent (before
placeholders), since "show me the records for [PERSON_1]" hides who is asked for.
Self-harm is not blocked here: the ``scope`` step answers it with help at once.

Options: ``layers`` (default [rules, classifier]), ``threshold``, ``max_chars``
(default 2000), ``judge`` (a provider name; skipped if absent or it cannot chat),
``judge_mode`` ("uncertain" or "always").
"""

from __future__ import annotations

from typing import Any

from govai.guards.canned import canned
from govai.guards.engine import Screen
from govai.guards.judge import judge_from_runtime
from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.step import steps

CRISIS_ONLY = {"self_harm"}


class ScreenInput:
    name = "screen_input"

    def __init__(self, runtime: Any, layers: list[Any] | None = None, threshold: float | None = None,
                 max_chars: int = 2000, judge: str | None = None, judge_mode: str = "uncertain") -> None:
        self.canned = getattr(getattr(runtime, "profile", None), "canned", {}) or {}
        self.judge_name = judge
        judge_layer = judge_from_runtime(runtime, judge, mode=judge_mode)
        self.screen = Screen("prompt", layers=layers, threshold=threshold, max_chars=max_chars, judge=judge_layer)

    def __call__(self, ctx: Context) -> None:
        text = str(ctx.state.get("pii_original_text") or ctx.text)
        result = self.screen.check(text)
        layers = [layer.as_dict() for layer in result.layers]
        if self.judge_name and not any(layer["layer"] == "judge" for layer in layers):
            layers.append({"layer": "judge", "verdict": "skipped", "reasons": ["judge provider cannot chat"]})
        elif not self.judge_name:
            layers.append({"layer": "judge", "verdict": "skipped", "reasons": ["no judge configured"]})
        ctx.record(self.name, verdict=result.verdict, score=round(result.score, 4), reasons=result.reasons,
                   categories=result.categories, decoded=result.decoded, layers=layers)
        ctx.state["input_guard"] = {"verdict": result.verdict, "categories": result.categories}
        if not result.blocked:
            return
        if set(result.categories) <= CRISIS_ONLY:
            if "self_harm" not in ctx.flags:
                ctx.flags.append("self_harm")
            return  # the scope step replies with help, not a refusal
        if "guard_blocked" not in ctx.flags:
            ctx.flags.append("guard_blocked")
        if "length" in result.categories:
            reply = canned("too_long", self.canned, limit=self.screen.max_chars)
        elif result.categories == ["pii_request"]:
            reply = canned("blocked_personal_data", self.canned)
        else:
            reply = canned("blocked_input", self.canned)
        ctx.stop(Outcome.BLOCKED, reply, "input guard: " + ", ".join(result.categories or ["attack"]))


@steps.register("screen_input")
def build(runtime: Any, options: dict[str, Any]) -> ScreenInput:
    return ScreenInput(runtime, **options)
