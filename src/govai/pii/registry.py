"""The recogniser contract and registry.

A recogniser finds candidate entities of one or more labels in a ``TextDoc``.
Recognisers run in ``order`` (identifiers first, then names and addresses that
use what was already found); a service profile enables, disables or adds them
by name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, TypeVar

from govai.pii.entities import Entity
from govai.registry import Registry


class TextDoc:
    """One (normalised) text with cheap shared views recognisers reuse."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lower(self) -> str:
        """Lower case with the same length as ``text`` (a few letters, like "İ", grow when lowered)."""
        lowered = self.text.lower()
        if len(lowered) == len(self.text):
            return lowered
        return "".join(c if len(c.lower()) != 1 else c.lower() for c in self.text)

    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def line_end(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    @cached_property
    def extras(self) -> dict[str, Any]:
        """Per-document scratch space (e.g. model output) shared by recognisers."""
        return {}


class Recogniser(Protocol):
    name: str
    labels: tuple[str, ...]
    order: int  # lower runs first

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]: ...


@dataclass(frozen=True)
class ModelRequest:
    """Texts a recogniser needs the statistical NER model's entities for.

    A recogniser that consults the model may also offer ``steps(doc, found)``: a generator that yields its
    requests, is sent each answer (one list of ``(start, end, label)`` per text) and returns its entities.
    The detector then answers the requests of many texts with one model call (``Detector.detect_many``),
    which costs far less than one call per text.
    """

    model: str
    texts: list[str]


ModelAnswer = list[list[tuple[int, int, str]]]
Steps = Generator[ModelRequest, ModelAnswer, list[Entity]]
Done = TypeVar("Done")


def answer(request: ModelRequest) -> ModelAnswer:
    from govai.pii.ner import entity_spans

    return entity_spans(request.texts, request.model)


def run_steps(steps: Generator[ModelRequest, ModelAnswer, Done],
              respond: Callable[[ModelRequest], ModelAnswer] = answer) -> Done:
    """Run steps for one text alone (a recogniser's, or the detector's over all of them), answering each model
    request as it comes."""
    try:
        request = next(steps)
        while True:
            request = steps.send(respond(request))
    except StopIteration as done:
        return done.value


RecogniserFactory = Callable[[dict[str, Any]], Recogniser]
pii_recognisers: Registry[RecogniserFactory] = Registry("PII recogniser")

WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
