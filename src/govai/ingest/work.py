"""The units of work of an ingest, as plain functions of picklable values, so that any
executor can run them: in this process (threads) or on Ray workers.

- ``read_source``: read one file and chunk its documents;
- ``embed_batch``: embed a batch of chunks (and their quotable units), screen them and
  find their lexical terms.

Writing stays with the ingest that owns the database connection (``Ingester``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from govai.embeddings.base import Embedder
from govai.errors import IngestError
from govai.ingest.chunking import Chunk, chunk_document
from govai.ingest.document import Document, Skipped
from govai.ingest.sources import reader_for
from govai.retrieval.units import pack
from govai.store.knowledge import chunk_terms
from govai.text.units import split_units, unit_embed_text

Screen = Callable[[str], list[str]]

# How each chunk's quotable units (sentences) get their vectors:
# "eager": embedded at ingest with the chunk, so answering embeds only the question (default);
# "lazy": not at ingest; answering embeds the units of the passages it reads (see docs/ingest.md).
UNIT_MODES = ("eager", "lazy")


@dataclass
class ReadResult:
    path: Path
    documents: list[tuple[Document, list[Chunk]]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # reasons for the parts that could not be read
    error: str | None = None  # the whole file could not be read


def read_source(path: Path) -> ReadResult:
    """Read one file with the first reader that claims it and chunk each document. A file that
    cannot be read gives its reason, never an exception: one bad file must not sink a batch."""
    try:
        items = list(reader_for(path).read(path))
    except IngestError as exc:
        return ReadResult(path, error=str(exc))
    except (OSError, ValueError, RuntimeError) as exc:  # parser bugs must not sink the batch
        return ReadResult(path, error=f"{type(exc).__name__}: {exc}")
    return ReadResult(
        path,
        documents=[(item, chunk_document(item)) for item in items if isinstance(item, Document)],
        skipped=[item.reason for item in items if isinstance(item, Skipped)],
    )


@dataclass
class ChunkJob:
    title: str
    headings: list[str]
    text: str
    embed_text: str
    content_hash: str
    embed: bool  # False: the store already holds this text's vectors


@dataclass
class EmbedResult:
    vectors: dict[str, tuple[np.ndarray, bytes]]  # content hash -> (chunk vector, packed unit vectors)
    flags: list[list[str]]  # per job, in order
    terms: list[tuple[str, int]]  # per job, in order
    embedded: int  # chunk texts embedded


def embed_batch(embedder: Embedder, jobs: list[ChunkJob], screen: Screen | None, units: str = "eager") -> EmbedResult:
    """Embed the chunks that need it, with their units when ``units`` is "eager", in one model
    call; a text that occurs twice (a repeated sentence, a chunk repeated in the batch) is
    embedded once. Also screen every chunk and find its terms."""
    todo: dict[str, ChunkJob] = {}
    for job in jobs:
        if job.embed:
            todo.setdefault(job.content_hash, job)
    texts: dict[str, int] = {}  # unique text -> row of the model's output

    def row(text: str) -> int:
        return texts.setdefault(text, len(texts))

    plan: list[tuple[str, int, list[int]]] = []
    for h, job in todo.items():
        unit_rows = [row(unit_embed_text(job.title, u)) for u in split_units(job.text)] if units == "eager" else []
        plan.append((h, row(job.embed_text), unit_rows))
    output = embedder.embed(list(texts)) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    empty = pack(np.zeros((0, embedder.dim), dtype=np.float32))
    vectors = {h: (output[r], pack(output[rows]) if rows else empty) for h, r, rows in plan}
    return EmbedResult(
        vectors=vectors,
        flags=[screen(job.text) if screen else [] for job in jobs],
        terms=[chunk_terms(job.title, job.headings, job.text) for job in jobs],
        embedded=len(plan),
    )
