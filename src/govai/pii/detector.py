"""The detector: normalise, run the enabled recognisers, resolve overlaps, map back.

Long text is processed in overlapping windows so memory stays bounded and
spans still point into the original text; ``stream`` does the same for text
that arrives in chunks (a file read piece by piece).
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable, Iterator
from functools import lru_cache
from typing import Any

import govai.pii.recognisers  # noqa: F401  (registers the built-in recognisers)
from govai.errors import ConfigError
from govai.pii.entities import Entity
from govai.pii.merge import resolve
from govai.pii.recognisers.pattern import custom_recogniser
from govai.pii.registry import (
    ModelAnswer,
    ModelRequest,
    Recogniser,
    TextDoc,
    answer,
    pii_recognisers,
    run_steps,
)
from govai.text.normalise import Normalised, normalise

DEFAULT_THRESHOLD = 0.5
WINDOW_CHARS = 20_000  # text per detection window
OVERLAP_CHARS = 1_000  # an entity must be shorter than this to survive a window edge
CONTEXT_CHARS = 300  # left context a window keeps from the previous one


def build_recognisers(options: dict[str, Any] | None = None) -> list[Recogniser]:
    """Recognisers a profile asks for.

    Options: ``recognisers`` (names to use; default all registered), ``disable`` (names to drop),
    ``recogniser_options`` ({name: {option: value}}) and ``custom`` (pattern recognisers to add).
    """
    options = options or {}
    unknown = set(options) - {"recognisers", "disable", "recogniser_options", "custom", "threshold", "labels"}
    if unknown:
        raise ConfigError(f"unknown PII detector option(s): {', '.join(sorted(unknown))}; "
                          "use recognisers, disable, recogniser_options, custom, threshold or labels")
    names = list(options.get("recognisers") or list(pii_recognisers))
    disabled = set(options.get("disable") or ())
    per = options.get("recogniser_options") or {}
    for name in [*names, *disabled, *per]:
        pii_recognisers.get(name)  # a clear error for a misspelt name
    built: list[Recogniser] = [pii_recognisers.get(n)(dict(per.get(n) or {})) for n in names if n not in disabled]
    built.extend(custom_recogniser(spec) for spec in options.get("custom") or ())
    return sorted(built, key=lambda r: r.order)


class Detector:
    def __init__(
        self,
        recognisers_: list[Recogniser] | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        labels: Iterable[str] | None = None,
    ) -> None:
        self.recognisers = recognisers_ if recognisers_ is not None else build_recognisers()
        self.threshold = threshold
        self.labels = frozenset(labels) if labels else None

    @classmethod
    def from_options(cls, options: dict[str, Any] | None = None) -> Detector:
        options = options or {}
        return cls(build_recognisers(options), float(options.get("threshold", DEFAULT_THRESHOLD)), options.get("labels"))

    def warm_up(self) -> Detector:
        """Load lazy resources (word lists, the NER model) now rather than on the first request."""
        self.detect("Dear Mr Smith, my NI number is AB 12 34 56 C.")
        for recogniser in self.recognisers:
            load = getattr(recogniser, "load", None)
            if callable(load):
                load()
        return self

    def detect(self, text: str) -> list[Entity]:
        """Entities in ``text``, sorted, non-overlapping, with offsets into ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"detect() needs str, not {type(text).__name__}; decode bytes first")
        if len(text) <= WINDOW_CHARS:
            return self._detect_window(text)
        return list(self.stream(text[i : i + WINDOW_CHARS] for i in range(0, len(text), WINDOW_CHARS)))

    def stream(self, chunks: Iterable[str]) -> Iterator[Entity]:
        """Entities of the concatenated chunks, yielded in order, holding about two windows in memory."""
        buf, base, emitted_to = "", 0, 0
        for chunk in chunks:
            buf += chunk
            while len(buf) >= WINDOW_CHARS + OVERLAP_CHARS:
                cut = _boundary(buf, WINDOW_CHARS - OVERLAP_CHARS)
                for e in self._detect_window(buf[:WINDOW_CHARS]):
                    if e.start < cut and base + e.start >= emitted_to:
                        emitted_to = base + e.end
                        yield e.shifted(base)
                keep_from = _boundary(buf, max(cut - CONTEXT_CHARS, 1))
                buf, base = buf[keep_from:], base + keep_from
        for e in self._detect_window(buf):
            if base + e.start >= emitted_to:
                yield e.shifted(base)

    def detect_many(self, texts: Iterable[str], batch: int = 64) -> Iterator[list[Entity]]:
        """``detect`` for each text, in order; the NER model's work for up to ``batch`` texts is done in one
        call, which is how a file of records or a batch job should be screened."""
        chunk: list[str] = []
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"detect_many() needs str, not {type(text).__name__}; decode bytes first")
            chunk.append(text)
            if len(chunk) >= batch:
                yield from self._detect_batch(chunk)
                chunk = []
        if chunk:
            yield from self._detect_batch(chunk)

    def candidates(self, text: str) -> tuple[Normalised, list[Entity]]:
        """Every recogniser's spans in the normalised text, overlapping and below the threshold too (what
        ``detect`` resolves; the names' second opinion is trained on them)."""
        return run_steps(self._candidate_steps(text), answer)

    def _candidate_steps(self, text: str) -> Generator[ModelRequest, ModelAnswer, tuple[Normalised, list[Entity]]]:
        norm = normalise(text)
        doc = TextDoc(norm.text)
        found: list[Entity] = []
        for recogniser in self.recognisers:
            steps = getattr(recogniser, "steps", None)
            found.extend((yield from steps(doc, found)) if steps is not None else recogniser.find(doc, found))
        if self.labels is not None:
            found = [e for e in found if e.label in self.labels]
        return norm, found

    def _detect_window(self, text: str) -> list[Entity]:
        if not text.strip():
            return []
        return self._resolved(*self.candidates(text))

    def _resolved(self, norm: Normalised, found: list[Entity]) -> list[Entity]:
        out = []
        for e in resolve(found, self.threshold):
            start, end = norm.span_to_original(e.start, e.end)
            out.append(e.with_span(start, end))
        return out

    def _detect_batch(self, texts: list[str]) -> list[list[Entity]]:
        """Each text's candidates advanced together: every text's model requests are answered in one call."""
        results: list[list[Entity]] = [[] for _ in texts]
        running: dict[int, Generator[ModelRequest, ModelAnswer, tuple[Normalised, list[Entity]]]] = {}
        for i, text in enumerate(texts):
            if len(text) > WINDOW_CHARS:
                results[i] = self.detect(text)
            elif text.strip():
                running[i] = self._candidate_steps(text)
        requests: dict[int, ModelRequest] = {}

        def advance(i: int, sent: ModelAnswer | None) -> None:
            try:
                requests[i] = running[i].send(sent)  # type: ignore[arg-type]  (None starts a generator)
            except StopIteration as done:
                results[i] = self._resolved(*done.value)

        for i in running:
            advance(i, None)
        while requests:
            pending, requests = requests, {}
            for model in {r.model for r in pending.values()}:
                asked = [i for i, r in pending.items() if r.model == model]
                answers = answer(ModelRequest(model, [t for i in asked for t in pending[i].texts]))
                for i in asked:
                    n = len(pending[i].texts)
                    mine, answers = answers[:n], answers[n:]
                    advance(i, mine)
        return results


def _boundary(text: str, near: int) -> int:
    """A cut position at or before ``near``, on whitespace when there is some close by."""
    near = min(max(near, 1), len(text))
    for sep in ("\n\n", "\n", " "):
        i = text.rfind(sep, max(0, near - 400), near)
        if i > 0:
            return i + len(sep)
    return near


@lru_cache(maxsize=16)
def _cached(options_json: str) -> Detector:
    return Detector.from_options(json.loads(options_json))


def get_detector(options: dict[str, Any] | None = None) -> Detector:
    """A shared detector for these options (recognisers and models load once per process)."""
    return _cached(json.dumps(options or {}, sort_keys=True))


def detect(text: str, options: dict[str, Any] | None = None) -> list[Entity]:
    return get_detector(options).detect(text)
