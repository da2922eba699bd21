"""The sentences of the retrieved passages and how close each is to the question.

Read once per request and shared by the answerability check (is the answer here at
all?) and the extractive composer (which sentences answer it?). Sentence vectors
computed at ingest are used where the passage is unchanged, so a request embeds only
its question (and, for a question with several asks, each ask). A passage stored without
them (a lazy ingest) has its sentences embedded here, and the vectors are handed back to
the store (``KeepsUnits``) so the next question over it does not embed them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from govai.domain import Source
from govai.text.parts import question_parts, split_ask
from govai.text.units import split_units, unit_embed_text

Embed = Callable[[list[str]], np.ndarray]


@runtime_checkable
class KeepsUnits(Protocol):
    """Stored sentence vectors (``KBIndex.sentence_vectors``) that also keep those an answer
    had to embed for a passage stored without them."""

    def __call__(self, source: Source) -> np.ndarray | None: ...

    def keep(self, embedded: list[tuple[Source, np.ndarray]]) -> None: ...


@dataclass(frozen=True)
class Sentence:
    """A quotable piece: a sentence, or a lead-in line with its list."""

    text: str
    source: int  # index into the passages
    order: int  # position within the passage


@dataclass
class Evidence:
    """Every sentence of the passages, its vector, and its similarity to the question and to each ask."""

    question: str
    question_vector: np.ndarray
    sources: list[Source]
    sentences: list[Sentence]
    vectors: list[np.ndarray]  # one per sentence
    similarity: list[float]  # to the whole question: the evidence strength
    # The question's separate asks, when it has two or more; or its one ask alone, when the
    # question tells the asker's story first ("We split up last month... what help can I get?").
    asks: list[str] = field(default_factory=list)
    ask_similarity: list[list[float]] = field(default_factory=list)  # per ask, per sentence

    def covers(self, sources: list[Source]) -> bool:
        """Was this evidence read from exactly these passages?"""
        return [(s.chunk_id, s.text) for s in sources] == [(s.chunk_id, s.text) for s in self.sources]

    def within(self, passages: int) -> list[int]:
        """Indexes of the sentences that come from the first ``passages`` passages."""
        return [i for i, s in enumerate(self.sentences) if s.source < passages]


def read_evidence(
    question: str,
    question_vector: np.ndarray,
    sources: list[Source],
    stored: Callable[[Source], np.ndarray | None],
    embed: Embed,
) -> Evidence:
    """Split every passage into sentences and measure each against the question.

    ``stored`` gives a passage's sentence vectors from ingest (None if unknown or stale) and,
    when it ``KeepsUnits``, is handed those embedded here; ``embed`` embeds what is missing and
    the separate asks of the question.
    """
    found = [Sentence(text, k, order) for k, s in enumerate(sources) for order, text in enumerate(split_units(s.text))]
    counts: dict[int, int] = {}
    for s in found:
        counts[s.source] = counts.get(s.source, 0) + 1
    vectors: list[np.ndarray | None] = [None] * len(found)
    similarity = [0.0] * len(found)
    known: dict[int, np.ndarray | None] = {}
    missing: list[int] = []
    for i, s in enumerate(found):
        if s.source not in known:
            rows = stored(sources[s.source])
            known[s.source] = rows if rows is not None and len(rows) == counts[s.source] else None
        rows = known[s.source]
        if rows is None:
            missing.append(i)
        else:
            vectors[i] = rows[s.order]
            similarity[i] = float(rows[s.order] @ question_vector)
    if missing:
        fresh = embed([unit_embed_text(sources[found[i].source].title, found[i].text) for i in missing])
        sims = fresh @ question_vector
        rows_of: dict[int, list[int]] = {}  # passage -> its rows of ``fresh``, in sentence order
        for row, i in enumerate(missing):
            vectors[i] = fresh[row]
            similarity[i] = float(sims[row])
            rows_of.setdefault(found[i].source, []).append(row)
        if isinstance(stored, KeepsUnits):
            stored.keep([(sources[k], fresh[rows]) for k, rows in rows_of.items()])
    evidence = Evidence(question, question_vector, list(sources), found, vectors, similarity)  # type: ignore[arg-type]
    asks = question_parts(question)
    if len(asks) < 2:
        split = split_ask(question)
        asks = [split.ask] if split.has_situation else []
    if asks and found:
        evidence.asks = asks
        for ask in asks:  # one at a time, as the question was: a batch pads, and padding moves the last digits
            ask_vector = embed([ask])[0]
            evidence.ask_similarity.append([float(v @ ask_vector) for v in evidence.vectors])
    return evidence


def evidence_for(embed: Embed, question: str, sources: list[Source],
                 stored: Callable[[Source], np.ndarray | None] = lambda source: None) -> Evidence:
    """The evidence for a question outside a request (training, benchmarks, tests): the
    question is embedded with ``embed`` directly."""
    return read_evidence(question, embed([question])[0], sources, stored, embed)
