"""What each page of a knowledge base is like, as a whole: how long, how general, how current.

Reranking weighs these beside a passage's match to the question, so one long page that
touches every topic (an agency's 9,000-word HR policy) does not crowd out the specific
guide, and a page whose own text says it is dated (its latest year is years behind the
other pages competing for the question, or it carries a "policy review date" or a "no
longer applies" notice) loses to current guidance. Everything is read from the indexed
chunks themselves, so it works for any source. The store computes each page's profile once,
when its knowledge base's lexicon is refreshed (the end of every ingest: ``page_text`` and the
vector statistics), and a question reads the profiles of its candidates' pages with them
(``StoredPage``); ``build_profile`` computes the same from whole pages held in memory (offline
tools, and a page stored since the last refresh).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from govai.retrieval.retriever import KBIndex

_YEAR = re.compile(r"\b(19[89]\d|20[0-3]\d)\b")
# The page's own word that it may be out of date.
_DATED = re.compile(
    r"\b(no longer (?:applies|apply|available|in use|valid|accepting)|has been (?:withdrawn|superseded|replaced)|"
    r"(?:policy )?review date|this (?:guidance|page|policy) (?:is|was) (?:withdrawn|archived|out of date))\b",
    re.I,
)
MAX_STALE_YEARS = 10.0


@dataclass(frozen=True)
class PageProfile:
    """Per document number (``KBIndex.doc_of``): features of the page as a whole."""

    log_chunks: np.ndarray  # log(1 + number of passages)
    dispersion: np.ndarray  # 1 - |mean of its passage vectors|: 0 for a page about one thing
    latest_year: np.ndarray  # the latest year its text mentions (0: none)
    dated_notice: np.ndarray  # 1 when the page says it may be out of date
    legislation: np.ndarray  # 1 for a legislation section


def page_text(title: str, texts: list[str]) -> tuple[int, bool]:
    """The latest year a page's title and passages name (0: none) and whether they say it may be
    out of date (each passage is read with the title, as ``build_profile`` reads it)."""
    latest = 0
    dated = False
    for text in [title, *texts]:
        years = _YEAR.findall(text)
        if years:
            latest = max(latest, max(int(y) for y in years))
        dated = dated or _DATED.search(text) is not None
    return latest, dated


def is_legislation(source_id: str) -> bool:
    return source_id.startswith(("http://", "https://"))


_cache: dict[int, tuple[object, PageProfile]] = {}
_lock = threading.Lock()


def profile(idx: KBIndex) -> PageProfile:
    """The profile of ``idx``'s pages: the stored one it was read with, or computed from its
    chunks (cached for as long as the index object lives)."""
    stored = getattr(idx, "pages", None)  # an index of an older release has no stored profiles
    if stored is not None:
        return stored
    key = id(idx)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is idx.chunks:
            return hit[1]
    built = build_profile(idx)
    with _lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = (idx.chunks, built)
    return built


def build_profile(idx: KBIndex) -> PageProfile:
    docs = len(idx.centroids)
    counts = np.bincount(idx.doc_of, minlength=docs).astype(np.float64) if docs else np.zeros(0)
    sums = np.zeros((docs, idx.vectors.shape[1] if len(idx.vectors) else 0))
    if docs and len(idx.vectors):
        np.add.at(sums, idx.doc_of, idx.vectors.astype(np.float64))
    mean_norm = np.linalg.norm(sums, axis=1) / np.maximum(counts, 1) if docs else np.zeros(0)
    latest = np.zeros(docs)
    dated = np.zeros(docs)
    legislation = np.zeros(docs)
    for chunk, doc in zip(idx.chunks, idx.doc_of):
        text = f"{chunk.title}\n{chunk.text}"
        years = [int(y) for y in _YEAR.findall(text)]
        if years:
            latest[doc] = max(latest[doc], max(years))
        if _DATED.search(text):
            dated[doc] = 1.0
        if is_legislation(chunk.source_id):
            legislation[doc] = 1.0
    return PageProfile(
        log_chunks=np.log1p(counts), dispersion=np.clip(1.0 - mean_norm, 0.0, 1.0), latest_year=latest,
        dated_notice=dated, legislation=legislation,
    )


def stale_years(latest: np.ndarray) -> np.ndarray:
    """How many years each page's latest year lags "now" as the competing pages see it (the
    newest year most of them reach), capped; 0 for a page that names no year. Measured among
    the candidates of one question, so it does not depend on what else the index holds."""
    known = np.unique(latest[latest > 0])
    now = float(np.quantile(known, 0.9, method="higher")) if len(known) else 0.0
    return np.where(latest > 0, np.clip(now - latest, 0.0, MAX_STALE_YEARS), 0.0)
