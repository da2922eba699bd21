"""Evidence signals: how well the retrieved guidance covers the question.

Each is a number the answerability model weighs; none decides alone. Near-miss
guidance (a neighbouring benefit, the right scheme without the asked-for rate)
is close to the question as a whole, so besides dense similarity the signals ask
whether a sentence of the kind of answer wanted exists, and whether the question's
distinctive terms appear around it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from govai.embeddings.base import Embedder, embed_one
from govai.domain import Source
from govai.retrieval.evidence import Sentence, sentences
from govai.retrieval.lexical import tokenize
from govai.retrieval.retriever import KBIndex
from govai.text.answer_types import expected_answer

PASSAGES = 5  # sentences are read from this many passages, as the composer does
TYPED_SENTENCES = 8  # sentences of the wanted kind considered, closest first
TOPIC_WEIGHT = 0.3

# Words that say little about what the guidance must cover: the asker's situation
# ("my mum", "my boss") and question scaffolding ("how much", "can I get").
NOT_FOCUS = frozenset(
    """much many long often old need want know tell happen happens work apply claim pay paid get give go
    make take still new also way thing someone anyone use able allow allowed mean means sort help
    mum dad mother father husband wife partner son daughter brother sister nan gran grandma grandad child
    children kid kids boy girl friend boss m ve ll re d""".split()
)

NAMES = (
    "sentence1", "sentence2", "passage1", "topic1", "support",
    "typed", "typed_cover", "context_cover", "term_cover", "open_question",
)


@dataclass(frozen=True)
class Signals:
    sentence1: float  # dense similarity of the closest sentence
    sentence2: float  # ... and of the next closest
    passage1: float  # dense similarity of the top passage
    topic1: float  # similarity of the top passage's page as a whole (its centroid)
    support: float  # best passage similarity plus its page's topic similarity, over the top 3
    typed: float  # closest sentence of the kind of answer wanted (an amount, a period...)
    typed_cover: float  # most question terms found around such a sentence (its page title and headings)
    context_cover: float  # most question terms found around any of the 5 closest sentences
    term_cover: float  # question terms found anywhere in the top 3 passages
    open_question: float  # 1 when the question wants no particular kind of answer

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, n) for n in NAMES], dtype=np.float64)

    def as_dict(self) -> dict[str, float]:
        return {n: round(float(getattr(self, n)), 4) for n in NAMES}


def _passage_vector(embedder: Embedder, index: KBIndex, source: Source) -> tuple[np.ndarray, np.ndarray | None]:
    """The stored vector of a passage and its page centroid (a passage not in the index is embedded)."""
    row = index.by_id.get(source.chunk_id)
    if row is None:
        return embedder.embed([source.text])[0], None
    return index.vectors[row], index.centroids[index.doc_of[row]]


def measure(embedder: Embedder, index: KBIndex, question: str, sources: list[Source]) -> Signals:
    qvec = embed_one(embedder, question)
    found = sorted(sentences(embedder, question, sources, PASSAGES), key=lambda s: -s.similarity)
    top = sources[:3]
    passage_sims, topic_sims = [], []
    for s in top:
        vec, centroid = _passage_vector(embedder, index, s)
        passage_sims.append(float(vec @ qvec))
        topic_sims.append(float(centroid @ qvec) if centroid is not None else passage_sims[-1])

    terms = [t for t in dict.fromkeys(tokenize(question)) if t not in NOT_FOCUS]
    weight = {t: index.bm25.idf(t) for t in terms}
    total = sum(weight.values()) or 1.0

    def cover(words: set[str]) -> float:
        return sum(w for t, w in weight.items() if t in words) / total

    def around(s: Sentence) -> set[str]:
        source = sources[s.source]
        return set(tokenize(f"{s.text} {source.title} {' '.join(source.headings)}"))

    wanted = expected_answer(question)
    typed = [s for s in found if wanted.search(s.text)] if wanted is not None else found
    sentence1 = found[0].similarity if found else 0.0
    passage_words: set[str] = set()
    for s in top:
        passage_words |= set(tokenize(f"{s.title} {' '.join(s.headings)} {s.text}"))
    return Signals(
        sentence1=sentence1,
        sentence2=found[1].similarity if len(found) > 1 else 0.0,
        passage1=passage_sims[0] if top else 0.0,
        topic1=topic_sims[0] if top else 0.0,
        support=max((p + TOPIC_WEIGHT * t for p, t in zip(passage_sims, topic_sims)), default=0.0),
        typed=typed[0].similarity if typed else 0.0,
        typed_cover=max((cover(around(s)) for s in typed[:TYPED_SENTENCES]), default=0.0),
        context_cover=max((cover(around(s)) for s in found[:5]), default=0.0),
        term_cover=cover(passage_words),
        open_question=1.0 if wanted is None else 0.0,
    )
