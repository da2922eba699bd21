"""GovAI's lexical terms: the tokenizer BM25 scores with, and BM25's parameters. The terms are
stored per chunk at ingest and scored in the database (``store/knowledge.py``,
``retrieval/retriever.py``)."""

from __future__ import annotations

import re

from govai.text.stopwords import STOPWORDS

BM25_K1 = 1.2
BM25_B = 0.75
# Impact-ordered postings kept per term (``store/knowledge.py``): a term held by more chunks keeps
# the ones it weighs most in; lexical search reads these lists instead of every chunk with the term.
TOP_POSTINGS = 1000

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


def term_weight(tf: float, n_terms: float, avg_terms: float) -> float:
    """A term's BM25 weight in a chunk before its idf: tf saturation with length normalisation."""
    return tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * n_terms / max(avg_terms, 1e-9)))
