"""The pipelined ingest: writes keyed by source id and content hash (a killed ingest resumes
where it stopped and never duplicates), COPY batches, lazy sentence vectors, dedup.
Pages are invented for these tests; a stand-in embedder keeps them fast."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from govai.ingest.chunking import chunk_document
from govai.ingest.document import Document, Section
from govai.ingest.pipeline import Ingester
from govai.ingest.work import ChunkJob, embed_batch
from govai.store.knowledge import DocumentRows, KnowledgeStore

PREFIX = "test-ingest-pipeline"


class StandInEmbedder:
    """Deterministic 8-dimensional vectors from each text's hash; records each call's texts."""

    name = "stand-in"
    dim = 8
    remote = False

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts]
        vectors = np.asarray(rows, dtype=np.float32) + 1.0
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def store(db) -> KnowledgeStore:  # noqa: ANN001
    store = KnowledgeStore(db)
    for row in store.list():
        if row["name"].startswith(PREFIX):
            store.delete(row["name"])
    return store


def pages(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"page-{n:03}.md").write_text(
            f"# Page {n}\n\n## Fences\n\nPage {n} says a garden fence may be {n % 7 + 1} metres high. "
            f"Ask the council first.\n\n## Hedges\n\nHedges on page {n} must be cut by {n % 12 + 1} March.\n",
            encoding="utf-8")
    return folder


def counts(store: KnowledgeStore, kb: str) -> tuple[int, int, int, int]:
    """(documents, distinct source ids, chunks, distinct (document, ord)) of ``kb``."""
    return store.conn.execute(
        "SELECT (SELECT count(*) FROM document d WHERE d.kb_id = k.id),"
        " (SELECT count(DISTINCT source_id) FROM document d WHERE d.kb_id = k.id),"
        " (SELECT count(*) FROM chunk c WHERE c.kb_id = k.id),"
        " (SELECT count(DISTINCT (document_id, ord)) FROM chunk c WHERE c.kb_id = k.id)"
        " FROM kb k WHERE k.name = %s", (kb,)).fetchone()


# A separate process, killed with SIGKILL part way: nothing in it gets to clean up.
KILLED_INGEST = """
import hashlib, sys, time
from pathlib import Path
import numpy as np
import govai.ingest.pipeline as pipeline
from govai.ingest.pipeline import Ingester
from govai.store.database import get_database
from govai.store.knowledge import KnowledgeStore

class Slow:
    name, dim, remote = "stand-in", 8, False
    def embed(self, texts):
        time.sleep(0.4)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts]
        v = np.asarray(rows, dtype=np.float32) + 1.0
        return v / np.linalg.norm(v, axis=1, keepdims=True)

pipeline.BATCH_CHUNKS = 4
Ingester(KnowledgeStore(get_database()), Slow(), sys.argv[1], screen=None).run([Path(sys.argv[2])])
print("finished")
"""


def test_a_killed_ingest_resumes_where_it_stopped_and_never_duplicates(store: KnowledgeStore, tmp_path: Path) -> None:
    kb = f"{PREFIX}-killed"
    folder = pages(tmp_path / "guidance", 60)
    expected_chunks = sum(
        len(chunk_document(doc)) for p in sorted(folder.iterdir())
        for doc in __import__("govai.ingest.sources", fromlist=["reader_for"]).reader_for(p).read(p))
    proc = subprocess.Popen([sys.executable, "-c", KILLED_INGEST, kb, str(folder)], env=os.environ.copy(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            row = store.conn.execute(
                "SELECT count(*) FROM document d JOIN kb k ON k.id = d.kb_id WHERE k.name = %s", (kb,)).fetchone()
            if row[0] >= 6:  # some batches written, most not
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    documents, distinct, chunks, distinct_chunks = counts(store, kb)
    assert 6 <= documents < 60 and documents == distinct and chunks == distinct_chunks
    assert store.require(kb).complete is False

    # Run again: what landed is skipped (not embedded again), the rest is written, nothing twice.
    embedder = StandInEmbedder()
    report = Ingester(store, embedder, kb, screen=None).run([folder])
    assert report.complete and store.require(kb).complete
    assert report.unchanged == documents and report.added == 60 - documents
    assert report.chunks_embedded == expected_chunks - chunks
    assert counts(store, kb) == (60, 60, expected_chunks, expected_chunks)
    again = Ingester(store, StandInEmbedder(), kb, screen=None).run([folder])
    assert again.unchanged == 60 and again.chunks_embedded == 0
    assert counts(store, kb) == (60, 60, expected_chunks, expected_chunks)


def test_writing_the_same_batch_twice_keeps_one_copy(store: KnowledgeStore) -> None:
    kb = store.ensure(f"{PREFIX}-idempotent", "stand-in", 8)
    doc = Document(source_id="/fences", title="Fences", url="https://example.org/fences", kind="markdown",
                   origin="/tmp/fences.md", sections=[Section(text="A fence may be 2 metres high."),
                                                      Section(headings=["Hedges"], text="Cut hedges in March.")])
    chunks = chunk_document(doc)
    vectors = [(np.full(8, 0.5, dtype=np.float32), b"") for _ in chunks]
    rows = DocumentRows(doc, chunks, vectors, [[] for _ in chunks])
    store.save_documents(kb, [rows])
    store.save_documents(kb, [rows, rows])  # again, and twice in one batch: the later copy wins
    assert counts(store, kb.name) == (1, 1, 2, 2)
    stored = store.chunks(kb, with_vectors=True)
    assert [c.text for c in stored] == [c.text for c in chunks]
    assert np.allclose(stored[0].embedding, 0.5)


def test_lazy_units_leave_sentence_vectors_to_answering_and_keep_chunk_vectors(store: KnowledgeStore,
                                                                                tmp_path: Path) -> None:
    folder = pages(tmp_path / "guidance", 3)
    eager, lazy = StandInEmbedder(), StandInEmbedder()
    Ingester(store, eager, f"{PREFIX}-eager", screen=None).run([folder])
    Ingester(store, lazy, f"{PREFIX}-lazy", screen=None, units="lazy").run([folder])
    by_text = {}
    for name in ("eager", "lazy"):
        kb = store.require(f"{PREFIX}-{name}")
        by_text[name] = {c.text: (c.embedding, c.unit_vectors) for c in store.chunks(kb, with_vectors=True)}
    assert by_text["eager"].keys() == by_text["lazy"].keys()
    for text, (vector, units) in by_text["eager"].items():
        assert np.array_equal(vector, by_text["lazy"][text][0])
        assert len(units) > 0 and by_text["lazy"][text][1] == b""  # empty: answering embeds them
    assert sum(map(len, lazy.calls)) < sum(map(len, eager.calls))
    with pytest.raises(Exception, match="unit vectors must be one of eager, lazy"):
        Ingester(store, lazy, f"{PREFIX}-lazy", units="later")


def test_a_text_is_embedded_once_per_batch_and_known_vectors_are_not_embedded() -> None:
    embedder = StandInEmbedder()
    job = dict(title="Fences", headings=[], text="A fence may be 2 metres high. Ask the council first.")
    jobs = [ChunkJob(**job, embed_text="Fences\nA", content_hash="h1", embed=True),
            ChunkJob(**job, embed_text="Fences\nA", content_hash="h1", embed=True),  # the same chunk again
            ChunkJob(**job, embed_text="Fences\nB", content_hash="h2", embed=True),  # same sentences, other chunk
            ChunkJob(**job, embed_text="Fences\nC", content_hash="h3", embed=False)]  # the store has it
    result = embed_batch(embedder, jobs, screen=lambda text: ["flag"] if "council" in text else [])
    (texts,) = embedder.calls
    assert sorted(texts) == sorted({"Fences\nA", "Fences\nB", "Fences: A fence may be 2 metres high.",
                                    "Fences: Ask the council first."})
    assert set(result.vectors) == {"h1", "h2"} and result.embedded == 2
    assert len(result.vectors["h1"][1]) == 2 * 8 * 2  # two sentences, 8 float16 values each
    assert result.flags == [["flag"]] * 4 and len(result.terms) == 4
