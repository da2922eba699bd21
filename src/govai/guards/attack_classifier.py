"""The classifier layer: logistic regression over hashed character and word n-grams.

Character n-grams work in every script and survive misspellings, so the model
needs no tokenizer and no download. Weights ship in ``guards/model/*.npz`` and
are trained by ``python -m govai.guards.train``. Inference is numpy only.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from govai.errors import ConfigError
from govai.guards.intent import EMBEDDING_DIM, IntentModel, english, same_request

FEATURE_VERSION = 1
DIMENSIONS = 1 << 19
CHAR_NGRAMS = (2, 3, 4, 5)
HEAD_CHARS = 3000  # long inputs: the start and the end carry the attack (prefix templates, suffixes)
TAIL_CHARS = 1000
_MULTIPLIER = np.uint64(1000003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_WORD = re.compile(r"\w+")


def clean(text: str) -> str:
    """Any Python string as valid Unicode: lone surrogates (from JSON escapes such as ``\\ud83d``)
    become U+FFFD and paired ones the character they encode, so no text can fail to encode."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _clip(text: str) -> str:
    text = " ".join(clean(text).lower().split())
    if len(text) > HEAD_CHARS + TAIL_CHARS:
        text = text[:HEAD_CHARS] + " " + text[-TAIL_CHARS:]
    return f" {text} "


def _char_hashes(text: str) -> np.ndarray:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    for n in CHAR_NGRAMS:
        if len(codes) < n:
            continue
        h = np.full(len(codes) - n + 1, np.uint64(n), dtype=np.uint64)
        for k in range(n):
            h = h * _MULTIPLIER + codes[k : len(codes) - n + 1 + k]
        parts.append(h)
    if not parts:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.concatenate(parts) * _MIX
    return hashes >> np.uint64(40)


def _word_hashes(text: str) -> np.ndarray:
    words = _WORD.findall(text)
    grams = [f"w {w}" for w in words] + [f"b {a} {b}" for a, b in zip(words, words[1:])]
    return np.array([zlib.crc32(g.encode("utf-8")) for g in grams], dtype=np.uint64)


def _block(hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sublinear counts, L2-normalised, so long texts do not dominate."""
    if hashes.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx, counts = np.unique((hashes % np.uint64(DIMENSIONS)).astype(np.int64), return_counts=True)
    values = np.log1p(counts).astype(np.float32)
    values /= np.linalg.norm(values)
    return idx, values


def featurize(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Sparse feature vector of ``text``: (indices, values)."""
    clipped = _clip(text)
    char_idx, char_val = _block(_char_hashes(clipped))
    word_idx, word_val = _block(_word_hashes(clipped))
    return np.concatenate([char_idx, word_idx]), np.concatenate([char_val, word_val])


@dataclass(frozen=True)
class LinearModel:
    """A trained model: weights over the hashed feature space plus its training card, and for
    prompts the sentence-embedding model whose log-odds join the n-grams' (``guards/intent.py``)."""

    name: str
    weights: np.ndarray
    bias: float
    meta: dict
    intent: IntentModel | None = None

    def logit(self, text: str) -> float:
        """The n-gram model's log-odds."""
        idx, values = featurize(text)
        return float(self.weights[idx].astype(np.float32) @ values) + self.bias

    def score(self, text: str) -> float:
        return self.scores([text])[0]

    def scores(self, readings: list[str]) -> list[float]:
        """Scores of several readings of one text, the plain reading first. A reading that says what
        the plain one says (``intent.same_request``) reuses its intent log-odds instead of being
        embedded again."""
        out: list[float] = []
        plain_intent: float | None = None
        for k, text in enumerate(readings):
            z = self.logit(text)
            if self.intent is not None:
                reuse = plain_intent if k and plain_intent is not None and same_request(readings[0], text) else None
                if reuse is None and english(text):
                    reuse = self.intent.intent_logit(text)
                    if k == 0:
                        plain_intent = reuse
                z = self.intent.join(z, text, reuse)
            out.append(_probability(z))
        return out

    def score_embedded(self, text: str, vector: np.ndarray) -> float:
        """The score of ``text`` whose sentence embedding is already known (a batch of a passage's segments)."""
        z = self.logit(text)
        if self.intent is not None:
            z = self.intent.join(z, text, self.intent.logit(vector))
        return _probability(z)

    def top_features(self, text: str, k: int = 5) -> list[float]:
        """The k largest per-feature contributions (for debugging a verdict)."""
        idx, values = featurize(text)
        contributions = self.weights[idx].astype(np.float32) * values
        return sorted(contributions.tolist(), reverse=True)[:k]


def _probability(z: float) -> float:
    """Log-odds to a probability (clamped, so no text overflows ``exp``)."""
    return float(1.0 / (1.0 + np.exp(-min(max(z, -60.0), 60.0))))


def model_dir() -> Path:
    return Path(str(resources.files("govai.guards") / "model"))


def save_model(path: Path, weights: np.ndarray, bias: float, meta: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, weights=weights.astype(np.float16), bias=np.array([bias], dtype=np.float32))
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@lru_cache(maxsize=8)
def load_model(name: str) -> LinearModel:
    """A shipped model by name ("prompt" or "document"), or a model file by path (without ``.npz``)."""
    path = model_dir() / f"{name}.npz"
    if not path.exists():
        raise ConfigError(f"guard model {path} is missing: run `python -m govai.guards.train` to build it")
    with np.load(path) as data:
        weights, bias = data["weights"], float(data["bias"][0])
    meta_path = path.with_suffix(".json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    if meta.get("feature_version", FEATURE_VERSION) != FEATURE_VERSION or weights.shape != (DIMENSIONS,):
        raise ConfigError(f"guard model {path} was built for another feature version: retrain it")
    intent_path = path.with_suffix(".intent.npz")
    return LinearModel(name, weights, bias, meta, load_intent(intent_path) if intent_path.exists() else None)


def save_intent(path: Path, model: IntentModel) -> None:
    """``path`` is the n-gram model's ``.npz``; the intent model sits beside it as ``.intent.npz``."""
    np.savez_compressed(path.with_suffix(".intent.npz"), weights=model.weights.astype(np.float32),
                        params=np.array([model.bias, model.ngram_weight, model.intent_weight, model.offset],
                                        dtype=np.float64))


def load_intent(path: Path) -> IntentModel:
    with np.load(path) as data:
        weights, (bias, ngram_weight, intent_weight, offset) = data["weights"], data["params"].tolist()
    if weights.shape != (EMBEDDING_DIM,):
        raise ConfigError(f"guard model {path} was built for another embedding: retrain it")
    return IntentModel(weights, bias, ngram_weight, intent_weight, offset)
