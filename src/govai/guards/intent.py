"""What a prompt asks for: a linear model over its MiniLM sentence embedding.

The n-gram model learns the wording of its training prompts; a sentence embedding places a
request by what it asks, so a harmful request worded as no training prompt was still lands
near the harmful ones. The prompt classifier adds the two models' log-odds with weights fitted
on out-of-fold scores (``guards/train.py``). MiniLM reads English: text in other languages (and
text with no words) is left to the n-grams and the multilingual rules.

The embedder is the shipped MiniLM as int8 ONNX (``minilm-onnx-int8``, built once from the
local weights), reading the first ``MAX_TOKENS`` tokens on one thread: about 3 ms for a
question on one core.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

from govai.text.stopwords import STOPWORDS

MAX_TOKENS = 64
EMBEDDING_DIM = 384
_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\w+")
_lock = threading.Lock()
_embedder = None
_known: dict[str, np.ndarray] = {}  # training only (``remember``): never holds a user's text


def english(text: str) -> bool:
    """Latin letters, and at least one word in five an English function word."""
    words = _WORD.findall(text.lower())
    if not words:
        return False
    letters = "".join(words)
    if sum(c < "\u0250" for c in letters) < 0.9 * len(letters):
        return False
    return sum(w in STOPWORDS for w in words) >= max(1.0, 0.2 * len(words))


def guard_embedder():  # type: ignore[no-untyped-def]
    """One int8 MiniLM per process for the guard: one thread, short inputs."""
    global _embedder
    with _lock:
        if _embedder is None:
            from govai.embeddings.fast import OnnxInt8Embedder

            _embedder = OnnxInt8Embedder(batch_size=16, max_tokens=MAX_TOKENS, threads=1)
        return _embedder


def embed(texts: list[str]) -> np.ndarray:
    if _known and all(t in _known for t in texts):
        return np.stack([_known[t] for t in texts])
    return guard_embedder().embed([_head(t) for t in texts])


def _head(text: str) -> str:
    """The first ``MAX_TOKENS`` whitespace-separated words: every word is at least one token and the
    tokenizer splits on whitespace first, so the model reads exactly what it would from the whole
    text, without tokenizing kilobytes it then cuts off."""
    return " ".join(text.split(maxsplit=MAX_TOKENS)[:MAX_TOKENS])


def remember(vectors: dict[str, np.ndarray]) -> None:
    """Vectors the trainer has already computed, so its cross-validation screen does not embed its
    15,000 training prompts again; ``remember({})`` forgets them."""
    global _known
    _known = dict(vectors)


@dataclass(frozen=True)
class IntentModel:
    """Weights over the embedding, and how its log-odds join the n-gram model's."""

    weights: np.ndarray  # (EMBEDDING_DIM,)
    bias: float
    ngram_weight: float
    intent_weight: float
    offset: float

    def logit(self, vector: np.ndarray) -> float:
        return float(vector.astype(np.float32) @ self.weights + self.bias)

    def join(self, ngram_logit: float, text: str, intent_logit: float | None = None) -> float:
        """The combined log-odds for ``text`` given the n-gram model's (and, if known, the intent
        model's: a reading that says what another already embedded says)."""
        if not english(text):
            return ngram_logit
        if intent_logit is None:
            intent_logit = self.intent_logit(text)
        return self.ngram_weight * ngram_logit + self.intent_weight * intent_logit + self.offset

    def intent_logit(self, text: str) -> float:
        return self.logit(embed([text])[0])


NEAR_SHARE = 0.8


def same_request(a: str, b: str) -> bool:
    """Whether two readings of one prompt say the same thing: at least ``NEAR_SHARE`` of the words
    of each are in the other (a leetspeak reading that only respells "P60" or "2FA", a reading
    without hidden characters). Such a reading is not embedded again: one MiniLM pass is most of
    a check's cost, and the n-grams still read every reading."""
    wa, wb = set(_TOKEN.findall(a.lower())), set(_TOKEN.findall(b.lower()))
    if not wa or not wb:
        return False
    shared = len(wa & wb)
    return shared >= NEAR_SHARE * len(wa) and shared >= NEAR_SHARE * len(wb)
