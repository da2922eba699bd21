"""normalise: Unicode clean-up and a length limit before anything else looks at the text."""

from __future__ import annotations

from typing import Any

from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.step import steps
from govai.text.normalise import normalise

TOO_LONG = "Your question is too long. Please ask it in fewer than {limit} characters."
EMPTY = "Please type a question."


class Normalise:
    name = "normalise"

    def __init__(self, max_chars: int = 2000) -> None:
        self.max_chars = max_chars

    def __call__(self, ctx: Context) -> None:
        norm = normalise(ctx.question)
        text = " ".join(norm.text.split())
        if not text:
            ctx.stop(Outcome.REFUSED, EMPTY, "empty question")
            return
        if len(text) > self.max_chars:
            ctx.stop(Outcome.REFUSED, TOO_LONG.format(limit=self.max_chars), f"question over {self.max_chars} characters")
            return
        removed = len(ctx.question) - len(norm.text)
        ctx.text = text
        ctx.state["normalised"] = norm
        ctx.record(self.name, hidden_characters_removed=max(removed, 0))


@steps.register("normalise")
def build(runtime: Any, options: dict[str, Any]) -> Normalise:
    return Normalise(**options)
