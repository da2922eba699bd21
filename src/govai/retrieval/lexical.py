"""BM25 over a knowledge base's chunks, held in memory per knowledge-base revision."""

from __future__ import annotations

import math
import re
from collections import defaultdict

import numpy as np

from govai.text.stopwords import STOPWORDS

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'payments'/'payment', 'claiming'/'claim'."""
    if len(word) <= 4 or word[0].isdigit():
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("edly", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + keep
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    tokens = []
    for tok in _TOKEN.findall(text.lower().replace("’", "").replace("'", "")):
        tok = tok.replace(",", "")
        if tok not in STOPWORDS:
            tokens.append(stem(tok))
    return tokens


class BM25Index:
    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = np.zeros(len(texts), dtype=np.float32)
        for i, text in enumerate(texts):
            counts: dict[str, int] = defaultdict(int)
            for tok in tokenize(text):
                counts[tok] += 1
            lengths[i] = sum(counts.values())
            for tok, tf in counts.items():
                postings[tok].append((i, tf))
        self.n = len(texts)
        avg = float(lengths.mean()) if self.n else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(avg, 1e-9))
        self._postings = {
            t: (np.array([p[0] for p in ps], dtype=np.int32), np.array([p[1] for p in ps], dtype=np.float32))
            for t, ps in postings.items()
        }
        self._idf = {t: math.log(1 + (self.n - len(ps[0]) + 0.5) / (len(ps[0]) + 0.5)) for t, ps in self._postings.items()}

    def idf(self, term: str) -> float:
        """Inverse document frequency of a (tokenized) term; a term no chunk has gets the highest."""
        found = self._idf.get(term)
        return found if found is not None else math.log(1 + (self.n + 0.5) / 0.5)

    def scores(self, query: str) -> np.ndarray:
        scores = np.zeros(self.n, dtype=np.float32)
        for tok in set(tokenize(query)):
            if tok not in self._postings:
                continue
            ids, tf = self._postings[tok]
            scores[ids] += self._idf[tok] * tf * (self.k1 + 1) / (tf + self._norm[ids])
        return scores

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        scores = self.scores(query)
        if k < self.n:
            top = np.argpartition(-scores, k)[:k]
        else:
            top = np.arange(self.n)
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
