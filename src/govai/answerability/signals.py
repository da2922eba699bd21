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

from govai.domain import Source
from govai.retrieval.evidence import Embed, Evidence, Sentence, evidence_for
from govai.retrieval.lexical import tokenize
from govai.retrieval.retriever import KBIndex, Retriever
from govai.text.answer_types import expected_answer
from govai.text.parts import split_ask
from govai.text.stopwords import SITUATION_WORDS

PASSAGES = 5  # sentences are read from this many passages, as the composer does
TYPED_SENTENCES = 8  # sentences of the wanted kind considered, closest first
TOPIC_WEIGHT = 0.3

NAMES = (
    "sentence1", "sentence2", "passage1", "topic1", "support",
    "typed", "typed_cover", "context_cover", "term_cover", "open_question", "story_share",
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
    # A long post buries its ask in a story whose words dilute every similarity above; knowing how
    # much of the question is story, the model reads those similarities for what they are.
    story_share: float = 0.0  # share of the question's words that tell the asker's story (``split_ask``)

    def vector(self, names: tuple[str, ...] = NAMES) -> np.ndarray:
        return np.array([getattr(self, n) for n in names], dtype=np.float64)

    def as_dict(self) -> dict[str, float]:
        return {n: round(float(getattr(self, n)), 4) for n in NAMES}


def _passage_vector(embed: Embed, index: KBIndex, source: Source) -> tuple[np.ndarray, np.ndarray | None]:
    """The stored vector of a passage and its page centroid (a passage not in the index is embedded)."""
    row = index.by_id.get(source.chunk_id)
    if row is None:
        return embed([source.text])[0], None
    return index.vectors[row], index.centroids[index.doc_of[row]]


def measure(evidence: Evidence, index: KBIndex, embed: Embed) -> Signals:
    """The signals of a request's evidence; ``embed`` is for a passage the index does not hold."""
    question, sources = evidence.question, evidence.sources
    qvec = evidence.question_vector
    found = sorted(((evidence.sentences[i], evidence.similarity[i]) for i in evidence.within(PASSAGES)),
                   key=lambda pair: -pair[1])
    top = sources[:3]
    passage_sims, topic_sims = [], []
    for s in top:
        vec, centroid = _passage_vector(embed, index, s)
        passage_sims.append(float(vec @ qvec))
        topic_sims.append(float(centroid @ qvec) if centroid is not None else passage_sims[-1])

    terms = [t for t in dict.fromkeys(tokenize(question)) if t not in SITUATION_WORDS]
    weight = {t: index.bm25.idf(t) for t in terms}
    total = sum(weight.values()) or 1.0

    def cover(words: set[str]) -> float:
        return sum(w for t, w in weight.items() if t in words) / total

    def around(s: Sentence) -> set[str]:
        source = sources[s.source]
        return set(tokenize(f"{s.text} {source.title} {' '.join(source.headings)}"))

    wanted = expected_answer(question)
    typed = [(s, sim) for s, sim in found if wanted.search(s.text)] if wanted is not None else found
    split = split_ask(question)
    passage_words: set[str] = set()
    for s in top:
        passage_words |= set(tokenize(f"{s.title} {' '.join(s.headings)} {s.text}"))
    return Signals(
        sentence1=found[0][1] if found else 0.0,
        sentence2=found[1][1] if len(found) > 1 else 0.0,
        passage1=passage_sims[0] if top else 0.0,
        topic1=topic_sims[0] if top else 0.0,
        support=max((p + TOPIC_WEIGHT * t for p, t in zip(passage_sims, topic_sims)), default=0.0),
        typed=typed[0][1] if typed else 0.0,
        typed_cover=max((cover(around(s)) for s, _ in typed[:TYPED_SENTENCES]), default=0.0),
        context_cover=max((cover(around(s)) for s, _ in found[:5]), default=0.0),
        term_cover=cover(passage_words),
        open_question=1.0 if wanted is None else 0.0,
        story_share=split.story_share,
    )


def signals_for(retriever: Retriever, kb: str, question: str, sources: list[Source]) -> Signals:
    """The signals for a question outside a request (training and benchmarks): the question
    is embedded here, with the retriever's own embedder."""
    index = retriever.index(kb, sources)
    embed = retriever.embedder.embed
    return measure(evidence_for(embed, question, sources, index.sentence_vectors), index, embed)
