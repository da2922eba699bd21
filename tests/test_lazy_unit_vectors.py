"""Sentence vectors left to answering by a lazy ingest (``--unit-vectors lazy``): the first answer
over a passage embeds its sentences and writes them back to the chunk row, once, without waiting
for locked rows and without failing the answer when the write fails; the next question over the
passage embeds none of them. And a worker warms up (models, first inferences, a search) before it
takes requests.

Guidance text is invented for these tests; the real MiniLM embedder embeds it."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import psycopg
import pytest
import yaml

from govai.domain import Outcome
from govai.embeddings import base as embeddings
from govai.ingest.pipeline import Ingester
from govai.profiles.model import ServiceProfile
from govai.retrieval.retriever import WARM_UP_QUESTION, WARM_UP_SENTENCES
from govai.retrieval.units import UnitWriter, pack, unpack
from govai.runtime import Runtime
from govai.store.knowledge import KnowledgeBase, KnowledgeStore
from govai.text.units import split_units, unit_embed_text

from conftest import WAIVED

KB = "test-lazy-units"
PAGES = [
    {"base_path": "/garden-pond-safety-grant", "title": "Garden pond safety grant",
     "body_markdown": "## What you get\n\nThe grant pays up to £250 towards a fence or a rigid pond cover. "
                      "It is paid once per household. The council pays the supplier directly.\n\n"
                      "## Who can apply\n\nYou can apply if your garden pond is deeper than 60 centimetres. "
                      "You must own the property or have the owner's written consent."},
    {"base_path": "/register-beehives", "title": "Register your beehives",
     "body_markdown": "## When to register\n\nRegister each new colony of honey bees within 28 days of getting it. "
                      "Registration is free. You can register online or by post."},
    {"base_path": "/allotment-waiting-lists", "title": "Allotment waiting lists",
     "body_markdown": "## Join a waiting list\n\nContact your parish council to join the allotment waiting list. "
                      "Most lists take two years.\n\n## Rent\n\nAllotment rent is £40 a year for a full plot "
                      "and £20 for a half plot. Rent is due each October."},
]
STEPS = ("normalise", "retrieve", "check_evidence", "compose", "check_citations")
QUESTION = "How much does the pond safety grant pay towards a fence?"


class CountingEmbedder:
    """The real MiniLM, recording every text it is asked to embed."""

    def __init__(self, inner: embeddings.Embedder) -> None:
        self.inner = inner
        self.name, self.dim, self.remote = inner.name, inner.dim, inner.remote
        self.texts: list[str] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed(texts)


def profile(**fields: object) -> ServiceProfile:
    return ServiceProfile.model_validate({"name": "lazy-units-test", "kb": KB, "steps": [{"name": n} for n in STEPS],
                                          "waived_safeguards": WAIVED, **fields})


@pytest.fixture(scope="module")
def counting(db, embedder) -> CountingEmbedder:  # type: ignore[no-untyped-def]
    return CountingEmbedder(embedder)


@pytest.fixture(scope="module")
def pages_file(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("lazy-units") / "pages.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAGES), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runtime(counting: CountingEmbedder) -> Runtime:
    return Runtime(profile(), embedder=counting)  # type: ignore[arg-type]


def ingest_lazily(runtime: Runtime, name: str, pages: Path) -> KnowledgeBase:
    store = runtime.knowledge
    if store.get(name):
        store.delete(name)
    assert Ingester(store, runtime.embedder, name, units="lazy").run([pages]).added == len(PAGES)
    return store.require(name)


def profiled_pages(store: KnowledgeStore, kb: KnowledgeBase) -> list[int]:
    rows = store.conn.execute("SELECT id FROM document WHERE kb_id = %s AND n_chunks IS NOT NULL ORDER BY id",
                              (kb.id,)).fetchall()
    return [r[0] for r in rows]


def test_the_first_answer_stores_sentence_vectors_and_the_next_embeds_none(
        runtime: Runtime, counting: CountingEmbedder, pages_file: Path) -> None:
    kb = ingest_lazily(runtime, KB, pages_file)
    store = runtime.knowledge
    assert all(c.unit_vectors == b"" for c in store.chunks(kb, with_vectors=True))
    profiled = profiled_pages(store, kb)
    assert profiled  # the ingest's lexicon refresh profiled every page

    counting.texts.clear()
    first = runtime.ask(QUESTION)
    assert first.outcome is Outcome.ANSWERED and first.sources
    assert runtime.retriever.unit_writer.wait(60)
    read = {s.chunk_id for s in first.sources}
    chunks = {c.id: c for c in store.chunks(kb, with_vectors=True)}
    sentences = {unit_embed_text(chunks[cid].title, u) for cid in read for u in split_units(chunks[cid].text)}
    assert sentences <= set(counting.texts)  # the lazy ingest left them to this answer
    for cid in read:
        chunk = chunks[cid]
        units = split_units(chunk.text)
        stored = unpack(chunk.unit_vectors, kb.dim)
        assert stored is not None and len(stored) == len(units)
        fresh = counting.inner.embed([unit_embed_text(chunk.title, u) for u in units])
        assert np.min(np.sum(stored * fresh, axis=1)) > 0.99  # the same vectors, as float16
    assert all(c.unit_vectors == b"" for cid, c in chunks.items() if cid not in read)  # passages not read: untouched
    assert profiled_pages(store, kb) == profiled  # storing sentence vectors changes no page

    counting.texts.clear()
    again = runtime.ask(QUESTION)
    assert again.outcome is Outcome.ANSWERED
    assert [s.chunk_id for s in again.sources] == [s.chunk_id for s in first.sources]
    assert counting.texts and not set(counting.texts) & sentences


def test_a_chunk_gets_its_vectors_once_and_a_row_held_elsewhere_is_skipped(
        runtime: Runtime, db, pages_file: Path) -> None:  # type: ignore[no-untyped-def]
    kb = ingest_lazily(runtime, f"{KB}-store", pages_file)
    store = runtime.knowledge
    held, free = [c.id for c in store.chunks(kb, with_vectors=True)][:2]
    ones, twos = pack(np.ones((2, kb.dim))), pack(np.full((2, kb.dim), 2.0))
    other = db.connect()
    try:
        with other.transaction():
            other.execute("SELECT id FROM chunk WHERE id = %s FOR UPDATE", (held,))  # say, an ingest replacing it
            store.conn.execute("SET lock_timeout = '20s'")  # were the row waited for, this fails, not hangs
            assert store.keep_unit_vectors(kb, [(held, ones), (free, ones)]) == 1
        assert store.keep_unit_vectors(kb, [(held, twos), (free, twos)]) == 1  # the free row has its vectors
    finally:
        store.conn.execute("RESET lock_timeout")
        other.close()
    stored = {c.id: unpack(c.unit_vectors, kb.dim) for c in store.chunks(kb, with_vectors=True)}
    assert np.all(stored[free] == 1.0) and np.all(stored[held] == 2.0)


class UnreachableStore(KnowledgeStore):
    """The real store, whose write-back finds the database gone."""

    def keep_unit_vectors(self, kb: KnowledgeBase, rows: list[tuple[int, bytes]]) -> int:
        raise psycopg.OperationalError("the connection to the server was lost")


def test_a_failed_write_is_logged_and_the_answer_stands(
        runtime: Runtime, db, pages_file: Path, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    kb = ingest_lazily(runtime, f"{KB}-unreachable", pages_file)
    retriever = runtime.retriever
    kept = retriever.unit_writer
    retriever.unit_writer = UnitWriter(UnreachableStore(db))
    try:
        with caplog.at_level(logging.WARNING, logger="govai.retrieval.units"):
            ctx = runtime.ask(QUESTION, kb=kb.name)
            assert retriever.unit_writer.wait(60)
    finally:
        retriever.unit_writer = kept
    assert ctx.outcome is Outcome.ANSWERED
    assert any("could not store the sentence vectors" in r.message for r in caplog.records)
    assert all(c.unit_vectors == b"" for c in runtime.knowledge.chunks(kb, with_vectors=True))


def test_vectors_embedded_by_another_model_are_not_stored(
        runtime: Runtime, counting: CountingEmbedder, pages_file: Path) -> None:
    kb = ingest_lazily(runtime, f"{KB}-other-model", pages_file)
    runtime.knowledge.conn.execute("UPDATE kb SET embedder = 'another-model' WHERE id = %s", (kb.id,))
    ctx = runtime.ask(QUESTION, kb=kb.name)
    assert ctx.sources and runtime.retriever.unit_writer.wait(60)
    assert all(c.unit_vectors == b"" for c in runtime.knowledge.chunks(kb, with_vectors=True))


def test_a_worker_warms_up_before_it_takes_requests(
        db, counting: CountingEmbedder, pages_file: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    from govai.server.state import ServerState
    from govai.store.tenants import Tenants

    kb = ingest_lazily(Runtime(profile(), embedder=counting), f"{KB}-warm", pages_file)  # type: ignore[arg-type]
    tenants = Tenants(db)
    if tenants.get("lazy-units-dept") is None:
        tenants.create("lazy-units-dept", "Lazy units test department")
    services = tmp_path / "services"
    services.mkdir()
    (services / "warm.yaml").write_text(yaml.safe_dump(
        {"name": "lazy-units-warm", "tenant": "lazy-units-dept", "kb": kb.name, "steps": [{"name": n} for n in STEPS],
         "waived_safeguards": WAIVED}), encoding="utf-8")
    monkeypatch.setenv("GOVAI_SERVICES_DIR", str(services))
    monkeypatch.setitem(embeddings._loaded, "minilm", counting)  # the worker's model, as get_embedder loads it
    counting.texts.clear()

    state = ServerState.from_environment()  # warms up on its own thread; /readyz waits for it
    assert state.warmed.wait(timeout=300), "the warm-up did not finish"

    assert counting.texts[:1 + len(WARM_UP_SENTENCES)] == [WARM_UP_QUESTION, *WARM_UP_SENTENCES]
    found = state.catalogue.services["lazy-units-warm"].runtime.retriever.search(kb.name, WARM_UP_QUESTION)
    assert found.passages  # the warm-up searched this knowledge base: evidence embedded what it found
    assert any(t.startswith(("Garden pond safety grant:", "Register your beehives:", "Allotment waiting lists:"))
               for t in counting.texts[1 + len(WARM_UP_SENTENCES):])
