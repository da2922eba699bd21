"""screen_input: the input guard. Rules, the shipped classifier and an optional LLM
judge screen the user's message; each layer's verdict is recorded.

Runs after ``pseudonymise`` but screens the text the user actually sent (before
placeholders), since "show me the records for [PERSON_1]" hides who is asked for.
The judge is a model provider like any other: model access decides, per request,
whether it may see this request at all and which text (it gets the pseudonymised
text unless it is approved for personal data). Self-harm is not blocked here: the
``scope`` step answers it with help at once.

Options: ``layers`` (default [rules, classifier]), ``threshold``, ``max_chars``
(default 2000), ``judge`` (a provider name), ``judge_mode`` ("uncertain" or "always").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govai.domain import Outcome
from govai.guards.engine import Screen
from govai.guards.judge import MODES, JudgeLayer
from govai.pipeline.context import Context
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps
from govai.policy.access import ModelAccess

if TYPE_CHECKING:
    from govai.runtime import Services

CRISIS_ONLY = {"self_harm"}
PURPOSE = "input_judge"


def judge_layer(access: ModelAccess, ctx: Context, name: str | None, purpose: str,
                **options: Any) -> tuple[JudgeLayer | None, str | None]:
    """The judge this request may use, or None and why it is skipped."""
    if not name:
        return None, "no judge configured"
    grant = access.grant(ctx, name, purpose)
    if grant is None:
        return None, "not allowed for this request by the routing policy"
    try:
        chat = getattr(grant.provider, "chat", None)
    except Exception as exc:  # a judge that cannot be built is unavailable, like one that is down
        return None, f"judge unavailable: {type(exc).__name__}"
    if not callable(chat):
        return None, "judge provider cannot chat"
    return JudgeLayer(chat, text=ctx.text_for(grant.text), **options), None


class ScreenInput:
    name = "screen_input"

    def __init__(self, replies: Replies, access: ModelAccess, layers: list[Any] | None = None,
                 threshold: float | None = None, max_chars: int = 2000, judge: str | None = None,
                 judge_mode: str = "uncertain") -> None:
        if judge:
            access.catalogue.get(judge)  # an unknown provider fails at start-up
        if judge_mode not in MODES:
            from govai.errors import ConfigError

            raise ConfigError(f"screen_input judge_mode must be one of {', '.join(MODES)}, not {judge_mode!r}")
        self.replies = replies
        self.access = access
        self.judge = judge
        self.judge_mode = judge_mode
        self.screen = Screen("prompt", layers=layers, threshold=threshold, max_chars=max_chars)
        self.screen.warm()  # the intent model's embedder loads with the service, not in a request

    def __call__(self, ctx: Context) -> None:
        text = ctx.original_text or ctx.text
        judge, skipped = judge_layer(self.access, ctx, self.judge, PURPOSE, mode=self.judge_mode)
        result = self.screen.check(text, judge=judge)
        layers = [layer.as_dict() for layer in result.layers]
        if skipped is not None:
            layers.append({"layer": "judge", "verdict": "skipped", "reasons": [skipped]})
        ctx.record(self.name, verdict=result.verdict, score=round(result.score, 4), reasons=result.reasons,
                   categories=result.categories, decoded=result.decoded, layers=layers)
        if not result.blocked:
            return
        if set(result.categories) <= CRISIS_ONLY:
            ctx.flag("self_harm")
            return  # the scope step replies with help, not a refusal
        ctx.flag("guard_blocked")
        if "length" in result.categories:
            reply = self.replies("too_long", limit=self.screen.max_chars)
        elif result.categories == ["pii_request"]:
            reply = self.replies("blocked_personal_data")
        else:
            reply = self.replies("blocked_input")
        ctx.stop(Outcome.BLOCKED, reply, "input guard: " + ", ".join(result.categories or ["attack"]))


@steps.register("screen_input")
def build(services: Services, options: dict[str, Any]) -> ScreenInput:
    return ScreenInput(services.replies, services.access, **options)
