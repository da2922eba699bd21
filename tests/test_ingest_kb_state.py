"""What an ingest leaves behind: no knowledge base when every path fails, a record of
whether the last ingest finished, large files embedded batch by batch with progress and
the HNSW graph built once, and text PostgreSQL cannot hold reported, not fatal.

Pages are invented for these tests; a small stand-in embedder keeps them fast where the
vectors themselves do not matter."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import govai.ingest.pipeline as pipeline
from govai.cli.common import results
from govai.cli.main import app
from govai.ingest.chunking import chunk_document
from govai.ingest.pipeline import Ingester
from govai.ingest.sources import reader_for
from govai.store.knowledge import KnowledgeStore

PREFIX = "test-ingest-state"
runner = CliRunner()


class Killed(BaseException):
    """Stands in for the process being killed: nothing after it runs, no handler catches it."""


class StandInEmbedder:
    """Deterministic 8-dimensional vectors from each text's hash; records each call."""

    name = "stand-in"
    dim = 8
    remote = False

    def __init__(self, on_call=None) -> None:  # noqa: ANN001
        self.calls: list[int] = []
        self.on_call = on_call

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(len(texts))
        if self.on_call:
            self.on_call(len(self.calls))
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


def page(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- every path fails


def test_an_ingest_where_every_path_fails_creates_no_knowledge_base(store: KnowledgeStore, tmp_path: Path) -> None:
    kb = f"{PREFIX}-none"
    (tmp_path / "tool.exe").write_bytes(b"MZ\x90\x00")
    (tmp_path / "empty.md").write_text("  \n")
    report = Ingester(store, StandInEmbedder(), kb).run([tmp_path, tmp_path / "missing.md"])
    assert store.get(kb) is None
    assert report.files == 0 and len(report.failures) == 3
    assert (report.created, report.complete) == (False, False)


def test_the_cli_exits_non_zero_and_says_no_knowledge_base_was_created(store: KnowledgeStore, tmp_path: Path) -> None:
    kb = f"{PREFIX}-cli-none"
    bad = tmp_path / "pages.jsonl"
    bad.write_text("{not json\n")
    result = runner.invoke(app, ["kb", "ingest", str(bad), str(tmp_path / "gone"), "--kb", kb],
                           catch_exceptions=False)
    assert result.exit_code == 1
    message = " ".join(result.stderr.split())
    assert "nothing was ingested: every path failed" in message
    assert f"knowledge base '{kb}' was not created" in message
    assert f"{bad}:1: not valid JSON" in message
    assert store.get(kb) is None


# ---------------------------------------------------------------- complete or not


def test_an_ingest_killed_part_way_leaves_the_knowledge_base_incomplete(
    store: KnowledgeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = f"{PREFIX}-killed"
    monkeypatch.setattr(pipeline, "BATCH_CHUNKS", 1)  # one model call per page
    folder = tmp_path / "guidance"
    for n in range(3):
        page(folder, f"page-{n}.md", f"Page {n} says fences must be {n + 1} metres high.")
    assert Ingester(store, StandInEmbedder(), kb, screen=None).run([folder]).complete
    assert store.require(kb).complete

    for n in range(3):
        page(folder, f"page-{n}.md", f"Page {n} now says fences must be {n + 2} metres high.")

    def kill_on_second_call(call: int) -> None:
        if call == 2:
            raise Killed

    with pytest.raises(Killed):
        Ingester(store, StandInEmbedder(kill_on_second_call), kb, screen=None).run([folder])
    assert store.require(kb).complete is False
    assert {r["name"]: r["complete"] for r in store.list()}[kb] is False
    listed = runner.invoke(app, ["kb", "list", "--json"], catch_exceptions=False)
    assert {r["name"]: r["complete"] for r in json.loads(listed.stdout)}[kb] is False
    monkeypatch.setattr(results, "width", 200)  # one table row a line
    table = runner.invoke(app, ["kb", "list"], catch_exceptions=False)
    row = next(line for line in table.stdout.splitlines() if kb in line)
    assert "no: last ingest did not finish" in row

    # Running it again finishes the job and marks it complete.
    again = Ingester(store, StandInEmbedder(), kb, screen=None).run([folder])
    assert again.complete and again.updated == 2 and again.unchanged == 1  # the first page landed before the kill
    assert store.require(kb).complete


def test_only_the_latest_ingest_marks_a_knowledge_base_complete(store: KnowledgeStore) -> None:
    kb = store.ensure(f"{PREFIX}-overlap", "stand-in", 8)
    first = store.begin_ingest(kb)
    second = store.begin_ingest(kb)  # a second ingest starts before the first ends
    store.finish_ingest(kb, first)
    assert store.require(kb.name).complete is False  # the second is still running
    store.finish_ingest(kb, second)
    assert store.require(kb.name).complete is True


# ---------------------------------------------------------------- large files


def hnsw_index_exists(store: KnowledgeStore, kb: str) -> bool:
    row = store.conn.execute("SELECT to_regclass('chunk_hnsw_kb' || (SELECT id FROM kb WHERE name = %s))", (kb,))
    return row.fetchone()[0] is not None


def prose(words: int, seed: int = 7) -> str:
    """Paragraphs of plain sentences with a heading now and then, as a long text file has."""
    vocabulary = ("council tax benefit claim payment housing evidence letter appeal decision weeks "
                  "income savings partner school pension employer records office form address").split()
    rng = random.Random(seed)
    out: list[str] = []
    for number in range(words // 60):
        if number % 10 == 0:
            out.append(f"Part {number // 10} about {rng.choice(vocabulary)}")
        sentences = [" ".join(rng.choice(vocabulary) for _ in range(12)).capitalize() + "." for _ in range(5)]
        out.append(" ".join(sentences))
    return "\n\n".join(out)


def test_a_large_file_is_embedded_in_batches_with_progress_and_one_index_build(
    store: KnowledgeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = f"{PREFIX}-large"
    monkeypatch.setattr(pipeline, "BATCH_CHUNKS", 40)
    monkeypatch.setattr(pipeline, "REINDEX_AFTER", 100)
    path = tmp_path / "handbook.txt"
    path.write_text(prose(30_000), encoding="utf-8")
    (doc,) = reader_for(path).read(path)
    expected = chunk_document(doc)
    assert len(expected) > 160

    index_during_calls: list[bool] = []
    embedder = StandInEmbedder(lambda call: index_during_calls.append(hnsw_index_exists(store, kb)))
    progress: list[tuple[int, int]] = []
    report = Ingester(store, embedder, kb, screen=None).run([path], lambda done, total: progress.append((done, total)))

    assert report.chunks_embedded == len(expected)
    # One model call per batch of chunks (each call also carries their sentences), not one for the file.
    assert len(embedder.calls) == -(-len(expected) // 40)
    # The bar moves while the one file is embedded, and ends full.
    total = path.stat().st_size
    assert {t for _, t in progress} == {total} and progress[-1][0] == total
    done = [d for d, _ in progress]
    assert done == sorted(done) and len({d for d in done if 0 < d < total}) >= len(embedder.calls) - 1
    # The HNSW graph is not grown row by row through the write, but built once afterwards.
    assert index_during_calls and not any(index_during_calls)
    stored_kb = store.require(kb)
    assert hnsw_index_exists(store, kb)
    chunks = store.chunks(stored_kb, with_vectors=True)
    assert [c.text for c in chunks] == [c.text for c in expected]
    assert store.nearest(stored_kb, chunks[5].embedding, 1)[0][0] == chunks[5].id
    assert report.complete


# ---------------------------------------------------------------- text PostgreSQL cannot hold


def test_nul_and_lone_surrogate_escapes_in_json_lines_are_stored_cleaned(store: KnowledgeStore,
                                                                          tmp_path: Path) -> None:
    kb = f"{PREFIX}-escapes"
    path = tmp_path / "pages.jsonl"
    path.write_text(
        '{"base_path": "/nul", "title": "Fence\\u0000 rules", "body_markdown": "Pay \\ud83d by Friday.\\u0000"}\n'
        '{"base_path": "/plain", "title": "Plain", "body_markdown": "Nothing odd here."}\n',
        encoding="ascii",
    )
    report = Ingester(store, StandInEmbedder(), kb, screen=None).run([path])
    assert report.failures == [] and report.added == 2
    assert [w for _, w in report.warnings] == [
        f"{path}:1: 1 lone surrogate escape(s) replaced with �", f"{path}:1: 2 NUL character(s) removed"]
    texts = {c.source_id: (c.title, c.text) for c in store.chunks(store.require(kb))}
    assert texts["/nul"] == ("Fence rules", "Pay \ufffd by Friday.")


def test_a_document_postgresql_refuses_is_reported_and_the_rest_lands(store: KnowledgeStore, tmp_path: Path) -> None:
    kb = f"{PREFIX}-refused"
    act = tmp_path / "act.txt"  # legislation section text keeps what it reads, NUL included
    act.write_text("URL_Of_PAGE:\nhttps://www.legislation.gov.uk/ukpga/2099/1/section/1\n1\nFences\n"
                   "A fence must be 1.1 metres\x00 high.\n", encoding="utf-8")
    good = page(tmp_path, "fences.md", "Fences must be 1.1 metres high.")
    report = Ingester(store, StandInEmbedder(), kb, screen=None).run([act, good])
    assert [(path, reason.split(" (")[0]) for path, reason in report.failures] == [
        (str(act.resolve()), "cannot store https://www.legislation.gov.uk/ukpga/2099/1/section/1")]
    assert "its stored copy is unchanged" in report.failures[0][1]
    assert {c.source_id for c in store.chunks(store.require(kb))} == {str(good.resolve())}
    assert report.complete
