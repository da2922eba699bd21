"""normalise: Unicode clean-up and a length limit before anything else looks at the text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps
from govai.text.normalise import normalise

if TYPE_CHECKING:
    from govai.runtime import Services


class Normalise:
    name = "normalise"

    def __init__(self, replies: Replies, max_chars: int = 2000) -> None:
        self.replies = replies
        self.max_chars = max_chars

    def __call__(self, ctx: Context) -> None:
        norm = normalise(ctx.question)
        text = " ".join(norm.text.split())
        if not text:
            ctx.stop(Outcome.REFUSED, self.replies("empty"), "empty question")
            return
        if len(text) > self.max_chars:
            ctx.stop(Outcome.REFUSED, self.replies("too_long", limit=self.max_chars),
                     f"question over {self.max_chars} characters")
            return
        ctx.text = text
        ctx.record(self.name, hidden_characters_removed=max(len(ctx.question) - len(norm.text), 0))


@steps.register("normalise")
def build(services: Services, options: dict[str, Any]) -> Normalise:
    return Normalise(services.replies, **options)
