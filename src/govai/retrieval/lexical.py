"""GovAI's lexical terms: the tokenizer BM25 scores with. The terms are stored per chunk at
ingest and scored in the database (``store/knowledge.py``, ``retrieval/retriever.py``)."""

from __future__ import annotations

import re

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
