"""security_marking: every request carries a security classification.

The request's own classification (or the profile's default) is raised, never
lowered, when the text carries a protective marking such as "OFFICIAL-SENSITIVE"
or "SECRET" written in capitals, as pasted documents do.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from govai.domain import Classification
from govai.pipeline.context import Context
from govai.pipeline.step import steps

if TYPE_CHECKING:
    from govai.runtime import Services

# Markings as written on documents: capitals, whole words. "a secret" is not a marking.
_MARKINGS = [
    (Classification.TOP_SECRET, re.compile(r"\bTOP[\s-]+SECRET\b")),
    (Classification.SECRET, re.compile(r"(?<![\w-])SECRET\b(?![\w-])")),
    (Classification.OFFICIAL_SENSITIVE, re.compile(r"\bOFFICIAL[\s-]+SENSITIVE\b")),
]


def marking_in(text: str) -> Classification | None:
    """The highest protective marking written in the text, if any."""
    for level, pattern in _MARKINGS:
        if pattern.search(text):
            return level
    return None


class SecurityMarking:
    name = "security_marking"

    def __init__(self, detect_markings: bool = True) -> None:
        self.detect_markings = detect_markings

    def __call__(self, ctx: Context) -> None:
        declared = ctx.classification
        marked = marking_in(ctx.text) if self.detect_markings else None
        if marked is not None and marked.rank > declared.rank:
            ctx.classification = marked
        ctx.record(
            self.name,
            classification=str(ctx.classification),
            declared=str(declared),
            marking=str(marked) if marked else None,
            raised=ctx.classification != declared,
        )


@steps.register("security_marking")
def build(services: Services, options: dict[str, Any]) -> SecurityMarking:
    return SecurityMarking(**options)
