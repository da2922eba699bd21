"""The PostgreSQL + pgvector store: migrations, isolated knowledge bases, deletion.

Runs against the real embedded server (the ``db`` fixture)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from govai.errors import ConfigError
from govai.ingest.pipeline import Ingester
from govai.store.database import migrate
from govai.store.knowledge import KnowledgeStore

PREFIX = "test-store"


@pytest.fixture(scope="module")
def store(db) -> KnowledgeStore:
    store = KnowledgeStore(db)
    for row in store.list():  # left over from an earlier run against DATABASE_URL
        if row["name"].startswith(PREFIX):
            store.delete(row["name"])
    return store


def write_page(folder: Path, name: str, source_id: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\ntitle: {name.removesuffix('.md').title()}\nsource_id: {source_id}\n---\n{body}\n")
    return path


def hnsw_index_exists(store: KnowledgeStore, kb_id: int) -> bool:
    row = store.conn.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", (f"chunk_hnsw_kb{kb_id}",)).fetchone()
    return row is not None


# ---------------------------------------------------------------- migrations


def test_every_migration_is_applied_once(db) -> None:
    files = sorted(
        int(f.name.split("_", 1)[0])
        for f in (resources.files("govai.store") / "migrations").iterdir()
        if f.name.endswith(".sql")
    )
    rows = db.conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == files


def test_migrate_again_is_a_no_op(db) -> None:
    before = db.conn.execute("SELECT version, applied_at FROM schema_migrations ORDER BY version").fetchall()
    assert migrate(db.conn) == []
    with db.connect() as other:  # a second connection (another process) also finds nothing to do
        assert migrate(other) == []
    after = db.conn.execute("SELECT version, applied_at FROM schema_migrations ORDER BY version").fetchall()
    assert after == before


def test_pgvector_is_installed(db) -> None:
    assert db.conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone() is not None


# ---------------------------------------------------------------- knowledge bases


@pytest.mark.parametrize(
    "name", ["", "has space", "-leading-dash", ".hidden", "semi;colon", "x" * 64, "quote'name", "ümlaut"]
)
def test_invalid_kb_names_are_rejected(store: KnowledgeStore, name: str) -> None:
    with pytest.raises(ConfigError, match="invalid knowledge base name|needs a name|use at most 63"):
        store.ensure(name, "minilm", 384)
    assert store.get(name) is None


def test_ensure_is_idempotent_and_creates_one_hnsw_index(store: KnowledgeStore) -> None:
    first = store.ensure(f"{PREFIX}-ensure", "minilm", 384)
    again = store.ensure(f"{PREFIX}-ensure", "minilm", 384)
    assert first.id == again.id
    assert (first.embedder, first.dim) == ("minilm", 384)
    assert hnsw_index_exists(store, first.id)
    store.delete(first.name)


def test_a_kb_cannot_switch_embedder(store: KnowledgeStore) -> None:
    store.ensure(f"{PREFIX}-embedder", "minilm", 384)
    with pytest.raises(ConfigError, match="built with embedder 'minilm'"):
        store.ensure(f"{PREFIX}-embedder", "openai:text-embedding-3-small:1536", 1536)
    store.delete(f"{PREFIX}-embedder")


def test_require_names_the_fix_for_an_unknown_kb(store: KnowledgeStore) -> None:
    with pytest.raises(ConfigError, match=f"govai kb ingest SOURCE --kb {PREFIX}-absent"):
        store.require(f"{PREFIX}-absent")


def test_knowledge_bases_are_isolated(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    """The same source id in two knowledge bases holds each one's own text."""
    a = write_page(tmp_path / "a", "ponds.md", "/shared-page", "Ponds deeper than 60 centimetres need a fence.")
    b = write_page(tmp_path / "b", "ponds.md", "/shared-page", "Beehives must be registered within 28 days.")
    Ingester(store, embedder, f"{PREFIX}-iso-a").run([a])
    Ingester(store, embedder, f"{PREFIX}-iso-b").run([b])
    kb_a, kb_b = store.require(f"{PREFIX}-iso-a"), store.require(f"{PREFIX}-iso-b")
    assert kb_a.id != kb_b.id
    chunks_a, chunks_b = store.chunks(kb_a), store.chunks(kb_b)
    assert [c.source_id for c in chunks_a] == ["/shared-page"]
    assert [c.source_id for c in chunks_b] == ["/shared-page"]
    assert "fence" in chunks_a[0].text and "fence" not in chunks_b[0].text
    assert "Beehives" in chunks_b[0].text

    # Nearest-neighbour search stays inside its knowledge base.
    vector = embedder.embed(["register a beehive"])[0]
    hits_a = store.nearest(kb_a, vector, 5)
    assert [cid for cid, _ in hits_a] == [chunks_a[0].id]

    # Re-ingesting into one does not touch the other.
    Ingester(store, embedder, f"{PREFIX}-iso-a").run([tmp_path / "a" / "missing.md"])
    assert [c.text for c in store.chunks(store.require(f"{PREFIX}-iso-b"))] == [chunks_b[0].text]

    listed = {r["name"]: r for r in store.list()}
    assert listed[f"{PREFIX}-iso-a"]["documents"] == 1
    assert listed[f"{PREFIX}-iso-b"]["chunks"] == 1


def test_nearest_finds_a_chunk_by_its_own_vector(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    folder = tmp_path / "near"
    write_page(folder, "fences.md", "/fences", "A fence around a pond must be at least 1.1 metres high.")
    write_page(folder, "hives.md", "/hives", "Register every beehive with the national bee unit.")
    write_page(folder, "smoke.md", "/smoke", "Bonfire smoke can be a statutory nuisance.")
    Ingester(store, embedder, f"{PREFIX}-near").run([folder])
    kb = store.require(f"{PREFIX}-near")
    chunks = store.chunks(kb, with_vectors=True)
    assert len(chunks) == 3
    for chunk in chunks:
        assert chunk.embedding.shape == (384,)
        assert np.linalg.norm(chunk.embedding) == pytest.approx(1.0, abs=1e-3)
        (best, similarity), *_ = store.nearest(kb, chunk.embedding, 3)
        assert best == chunk.id
        assert similarity == pytest.approx(1.0, abs=1e-3)
    # A rebuilt graph (as after a large ingest) finds the same neighbours, with its build settings.
    store.rebuild_index(kb)
    assert all(store.nearest(kb, c.embedding, 1)[0][0] == c.id for c in chunks)
    definition = store.conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE indexname = %s", (f"chunk_hnsw_kb{kb.id}",)).fetchone()[0]
    assert "ef_construction='128'" in definition.replace(" ", "") or "ef_construction=128" in definition.replace(" ", "")


def test_deleting_a_kb_removes_its_documents_chunks_and_index(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    write_page(folder, "one.md", "/one", "## Part one\n\nFirst page text about pond liners.")
    write_page(folder, "two.md", "/two", "Second page text about garden sheds.")
    Ingester(store, embedder, f"{PREFIX}-delete").run([folder])
    kb = store.require(f"{PREFIX}-delete")
    assert hnsw_index_exists(store, kb.id)
    count = "SELECT (SELECT count(*) FROM document WHERE kb_id = %s), (SELECT count(*) FROM chunk WHERE kb_id = %s)"
    assert store.conn.execute(count, (kb.id, kb.id)).fetchone() == (2, 2)

    store.delete(kb.name)

    assert store.get(kb.name) is None
    assert store.conn.execute(count, (kb.id, kb.id)).fetchone() == (0, 0)
    assert not hnsw_index_exists(store, kb.id)
    with pytest.raises(ConfigError):
        store.delete(kb.name)


def test_revision_increases_with_every_ingest(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    page = write_page(tmp_path, "rev.md", "/rev", "Text about revisions of guidance pages.")
    Ingester(store, embedder, f"{PREFIX}-rev").run([page])
    first = store.require(f"{PREFIX}-rev").revision
    Ingester(store, embedder, f"{PREFIX}-rev").run([page])
    assert store.require(f"{PREFIX}-rev").revision > first


def test_a_server_without_pgvector_is_a_clear_error() -> None:
    """The machine's own PostgreSQL 15 has no pgvector: say so, don't crash."""
    import psycopg

    from govai.errors import StoreError
    from govai.store.database import Database

    url = "postgresql://postgres@127.0.0.1:5432/test"
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            available = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone()
    except psycopg.OperationalError:
        pytest.skip("no local PostgreSQL on 127.0.0.1:5432")
    if available:
        pytest.skip("the local PostgreSQL has pgvector")
    with pytest.raises(StoreError, match="no pgvector extension"):
        Database(url=url).connect()


def test_this_process_holds_the_session_server(db) -> None:
    """The embedded server counts the test process as a holder until it exits (tests/test_db_lifecycle.py)."""
    import os

    from govai.config import get_settings
    from govai.store.embedded import embedded_status

    if not db.embedded:
        pytest.skip("DATABASE_URL is set")
    status = embedded_status(get_settings().pgdata)
    assert status.running and status.state == "ready"
    assert os.getpid() in status.holders
    assert db.url == status.uri
