"""Retrieval served from the database (issue 14): BM25 is scored in SQL exactly as the formula
says, a search reads only its candidates' pages (never the whole knowledge base), a store from
before lexical search moved into the database is brought up to date on first use, and two
workers sharing one store answer alike and both see a change."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from govai.domain import Source
from govai.ingest.pipeline import Ingester
from govai.retrieval.lexical import tokenize
from govai.retrieval.retriever import BM25_B, BM25_K1, Mode, Retriever, StoredBM25
from govai.store.knowledge import KnowledgeStore

KB = "test-retrieval-db"


def _page(slug: str, title: str, sections: list[tuple[str, str]]) -> dict:
    return {"base_path": f"/{slug}", "title": title,
            "body_markdown": "\n\n".join(f"## {h}\n\n{body}" for h, body in sections)}


PAGES = [
    _page("tractor-road-tax", "Road tax for tractors", [
        ("Which tractors are exempt", "Agricultural tractors used only on farms pay no vehicle tax."),
        ("Tax classes", "A tractor driven on public roads to haul goods needs the right tax class."),
        ("How to tax", "Tax a tractor online with the V5C logbook reference number."),
    ]),
    _page("sheep-movement-records", "Record sheep movements", [
        ("When to report", "Report every movement of sheep or goats within 3 days of the move."),
        ("Holding register", "Keep a holding register of all sheep movements for 3 years."),
    ]),
    _page("hedge-cutting-rules", "Hedge cutting rules for farmers", [
        ("Closed season", "Do not cut hedgerows between 1 March and 31 August, the bird nesting season."),
        ("Exceptions", "You may cut a hedge in the closed season if it overhangs a road and is a danger."),
    ]),
    _page("well-water-testing", "Private water supplies", [
        ("Testing", "Your council tests a private well or borehole supplying water to a rented home."),
        ("Charges", "The council can charge up to £100 for a water sample visit."),
    ]),
]


@pytest.fixture(scope="module")
def store(db) -> KnowledgeStore:
    store = KnowledgeStore(db)
    if store.get(KB):
        store.delete(KB)
    return store


@pytest.fixture(scope="module")
def retriever(store: KnowledgeStore, embedder, tmp_path_factory) -> Retriever:
    path = tmp_path_factory.mktemp("retrieval-db") / "pages.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAGES), encoding="utf-8")
    report = Ingester(store, embedder, KB).run([path])
    assert report.added == len(PAGES) and not report.failures
    return Retriever(store, embedder)


def _reference_bm25(texts: list[str], query: str) -> list[float]:
    """BM25 (k1 1.2, b 0.75, idf log(1 + (n - df + .5) / (df + .5))) written out from scratch."""
    docs = [Counter(tokenize(t)) for t in texts]
    avg = sum(sum(d.values()) for d in docs) / len(docs)
    out = []
    for d in docs:
        score = 0.0
        for term in set(tokenize(query)):
            df = sum(1 for other in docs if term in other)
            if term in d:
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                norm = BM25_K1 * (1 - BM25_B + BM25_B * sum(d.values()) / avg)
                score += idf * d[term] * (BM25_K1 + 1) / (d[term] + norm)
        out.append(score)
    return out


def test_sql_bm25_scores_match_the_formula(retriever: Retriever, store: KnowledgeStore) -> None:
    kb = retriever.knowledge_base(KB)
    chunks = store.chunks(kb)
    texts = [f"{c.title}\n{' '.join(c.headings)}\n{c.text}" for c in chunks]
    assert kb.n_chunks == len(chunks)
    query = "how long must I keep a register of sheep movements"
    expected = dict(zip([c.id for c in chunks], _reference_bm25(texts, query), strict=True))
    weights = StoredBM25(store, kb, []).weights(query)
    found = store.lexical(kb, weights, 100, BM25_K1, BM25_B)
    assert found, "the query shares terms with the pages"
    assert {cid for cid, _ in found} == {cid for cid, s in expected.items() if s > 0}
    for cid, score in found:
        assert score == pytest.approx(expected[cid], rel=1e-6)
    # The per-question index scores its rows the same way, with the collection's statistics.
    idx = retriever.index(KB, [Source(source_id="x", doc_id="x", chunk_id=cid, title="", url="", text="")
                               for cid, _ in found])
    local = idx.bm25.scores(query)
    for cid, score in found:
        assert float(local[idx.by_id[cid]]) == pytest.approx(score, rel=1e-5)


@pytest.mark.parametrize("mode", list(Mode))
def test_search_reads_only_the_candidates_pages(retriever: Retriever, store: KnowledgeStore, mode: Mode,
                                                monkeypatch) -> None:
    def whole_kb(*args, **kwargs):
        raise AssertionError("a search must not read the whole knowledge base")

    read: list[int] = []
    candidate_chunks = store.candidate_chunks

    def spy(kb, chunk_ids):
        rows = candidate_chunks(kb, chunk_ids)
        read.append(len(rows))
        return rows

    monkeypatch.setattr(store, "chunks", whole_kb)
    monkeypatch.setattr(store, "candidate_chunks", spy)
    result = retriever.search(KB, "can I cut my hedge in April when birds are nesting", mode=mode, k=1, passages=1)
    assert result.ranked == ["/hedge-cutting-rules"]
    assert read and all(n >= 1 for n in read)


def test_bm25_mode_reads_only_pages_with_a_query_term(retriever: Retriever, store: KnowledgeStore,
                                                      monkeypatch) -> None:
    read: list[set[str]] = []
    candidate_chunks = store.candidate_chunks

    def spy(kb, chunk_ids):
        rows = candidate_chunks(kb, chunk_ids)
        read.append({c.source_id for c in rows})
        return rows

    monkeypatch.setattr(store, "candidate_chunks", spy)
    retriever.search(KB, "borehole water sample", mode=Mode.BM25)
    assert read == [{"/well-water-testing"}]


def test_evidence_reuses_what_the_search_read(retriever: Retriever, store: KnowledgeStore, monkeypatch) -> None:
    found = retriever.search(KB, "what does a water sample visit cost")
    monkeypatch.setattr(store, "candidate_chunks", lambda *a: pytest.fail("read again"))
    idx = retriever.index(KB, found.passages)
    assert all(p.chunk_id in idx.by_id for p in found.passages)
    assert idx.sentence_vectors(found.passages[0]) is not None


def test_a_store_from_before_the_lexicon_is_brought_up_to_date(retriever: Retriever, store: KnowledgeStore) -> None:
    question = "which tractors pay no vehicle tax"
    before = retriever.search(KB, question, mode=Mode.BM25)
    kb = store.require(KB)
    store.conn.execute("UPDATE chunk SET terms = NULL, n_terms = NULL WHERE kb_id = %s", (kb.id,))
    store.conn.execute("DELETE FROM kb_term WHERE kb_id = %s", (kb.id,))
    store.conn.execute("UPDATE kb SET lexicon_revision = NULL, n_chunks = 0, avg_terms = 0 WHERE id = %s", (kb.id,))
    after = Retriever(store, retriever.embedder).search(KB, question, mode=Mode.BM25)
    assert after.ranked == before.ranked and after.ranked[0] == "/tractor-road-tax"
    assert [p.score for p in after.passages] == pytest.approx([p.score for p in before.passages])
    assert store.require(KB).lexicon_current


def test_two_workers_share_one_store_and_see_changes(retriever: Retriever, store: KnowledgeStore, embedder,
                                                     tmp_path: Path) -> None:
    other = Retriever(store, embedder)  # a second worker: nothing to load before it answers
    question = "how many days to report moving my goats"
    assert other.search(KB, question).ranked == retriever.search(KB, question).ranked
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps(_page("goat-keeper-register", "Register as a goat keeper", [
        ("Goat keepers", "Every goat keeper must register a holding number before moving goats."),
    ])) + "\n", encoding="utf-8")
    Ingester(store, embedder, KB).run([extra])
    assert "/goat-keeper-register" in retriever.search(KB, "register as a goat keeper", mode=Mode.BM25).ranked
    assert "/goat-keeper-register" in other.search(KB, "register as a goat keeper", mode=Mode.BM25).ranked
    assert store.require(KB).n_chunks == len(store.chunks(store.require(KB)))


# ------------------------------------------------------------------ scaling: postings and page profiles


def _brute_top(weights: dict[str, dict[int, float]], idf: dict[str, float], k: int) -> list[int]:
    scores: dict[int, float] = {}
    for t, per_chunk in weights.items():
        for cid, w in per_chunk.items():
            scores[cid] = scores.get(cid, 0.0) + idf[t] * w
    return [cid for cid, _ in sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]]


@pytest.mark.parametrize("seed", range(40))
def test_bounded_candidates_hold_the_true_top_k_when_they_say_so(seed: int) -> None:
    """Random postings, cut to a few per term: whenever the bound says the result is exact,
    scoring the kept candidates gives exactly the top k of every chunk; and the chunks it drops
    can never be in it."""
    import numpy as np

    from govai.store.knowledge import Postings, bounded_candidates

    rng = np.random.default_rng(seed)
    n_chunks, k, cut = 300, int(rng.integers(1, 12)), int(rng.integers(3, 40))
    weights: dict[str, dict[int, float]] = {}
    for t in range(int(rng.integers(1, 6))):
        holders = rng.choice(n_chunks, size=int(rng.integers(1, 120)), replace=False)
        weights[f"t{t}"] = {int(c): float(rng.uniform(0.1, 2.2)) for c in holders}
    idf = {t: float(rng.uniform(0.2, 6.0)) for t in weights}
    lists = {}
    for t, per_chunk in weights.items():
        ranked = sorted(per_chunk.items(), key=lambda x: (-x[1], x[0]))
        kept = ranked[:cut]
        floor = kept[-1][1] if len(ranked) > cut else 0.0
        lists[t] = Postings(np.array([c for c, _ in kept]), np.array([w for _, w in kept]), floor)
    keep, exact = bounded_candidates(idf, lists, k)
    kept = set(keep)
    listed = {int(c) for p in lists.values() for c in p.ids}
    assert kept <= listed
    # Pruning never drops a chunk of the top k among the listed chunks (MaxScore's guarantee)...
    assert set(_brute_top({t: {c: w for c, w in pc.items() if c in listed} for t, pc in weights.items()}, idf, k)) <= kept
    # ...and when the bound says so, no chunk outside the lists could have entered the top k.
    if exact:
        assert _brute_top({t: {c: w for c, w in pc.items() if c in kept} for t, pc in weights.items()}, idf, k) == \
            _brute_top(weights, idf, k)


def test_lexical_search_through_cut_postings_matches_a_full_scan(retriever: Retriever, store: KnowledgeStore,
                                                                 monkeypatch) -> None:
    """With postings lists cut to two chunks a term, search reads only those and still returns the
    full scan's ranking whenever it reports it exact (and at least one question here is exact
    with a list cut short)."""
    import govai.store.knowledge as knowledge

    kb = retriever.knowledge_base(KB)
    monkeypatch.setattr(knowledge, "TOP_POSTINGS", 2)
    store.conn.execute("UPDATE kb SET lexicon_revision = NULL WHERE id = %s", (kb.id,))
    kb = retriever.knowledge_base(KB)
    try:
        cut_exact = 0
        for question in ["tax a tractor online", "sheep movements register", "hedge cutting closed season",
                         "council water sample charge", "tractor tax class on public roads"]:
            weights = StoredBM25(store, kb, []).weights(question)
            lists = store.postings(kb, list(weights))
            assert lists is not None and all(len(p.ids) <= 2 for p in lists.values())
            for k in (1, 2, 3):
                found = store.lexical(kb, weights, k, BM25_K1, BM25_B)
                if store.last_lexical_exact:
                    scan = store._lexical_scan(kb, weights, k, BM25_K1, BM25_B)
                    assert [c for c, _ in found] == [c for c, _ in scan]
                    assert [s for _, s in found] == pytest.approx([s for _, s in scan], rel=1e-6)
                    cut_exact += any(p.floor > 0 for p in lists.values())
        assert cut_exact >= 1
    finally:
        monkeypatch.undo()
        store.conn.execute("UPDATE kb SET lexicon_revision = NULL WHERE id = %s", (kb.id,))
        retriever.knowledge_base(KB)


def test_stored_page_profiles_equal_the_whole_pages(retriever: Retriever, store: KnowledgeStore) -> None:
    """Each page's stored profile is what reranking computed from the whole page in memory."""
    import numpy as np

    from govai.retrieval.pages import build_profile

    kb = retriever.knowledge_base(KB)
    whole = retriever.index(KB)  # every chunk: the profile computed from whole pages
    expected = build_profile(whole)
    docs = {c.document_id: int(whole.doc_of[i]) for i, c in enumerate(whole.chunks)}
    stored = store.pages(kb, list(docs))
    assert set(stored) == set(docs)
    for doc_id, number in docs.items():
        page = stored[doc_id]
        assert page.n_chunks == round(float(np.expm1(expected.log_chunks[number])))
        assert page.dispersion == pytest.approx(expected.dispersion[number], abs=1e-6)
        assert page.latest_year == expected.latest_year[number]
        assert float(page.dated) == expected.dated_notice[number]
        assert float(page.legislation) == expected.legislation[number]
        assert float(page.centroid @ whole.centroids[number]) == pytest.approx(1.0, abs=1e-5)


def test_a_changed_page_loses_its_profile_until_the_next_refresh(retriever: Retriever, store: KnowledgeStore,
                                                                 monkeypatch) -> None:
    """Whatever changes a page's chunks (their text, vectors or page) clears its profile; until
    the next refresh, a question computes it from the page's chunks, and answers as before.
    A write that changes none of these (sentence vectors stored by answering) keeps it."""
    question = "how much can the council charge for a water sample"
    before = retriever.search(KB, question)
    kb = store.require(KB)
    doc_id = store.conn.execute("SELECT id FROM document WHERE kb_id = %s AND source_id = '/well-water-testing'",
                                (kb.id,)).fetchone()[0]
    store.conn.execute("UPDATE chunk SET flags = flags, unit_vectors = unit_vectors WHERE document_id = %s",
                       (doc_id,))
    assert set(store.pages(kb, [doc_id])) == {doc_id}
    store.conn.execute("UPDATE chunk SET text = text || ' ' WHERE document_id = %s", (doc_id,))
    assert store.pages(kb, [doc_id]) == {}
    read: list[list[int]] = []
    document_chunks = store.document_chunks
    monkeypatch.setattr(store, "document_chunks", lambda kb, ids: read.append(list(ids)) or document_chunks(kb, ids))
    after = Retriever(store, retriever.embedder).search(KB, question)
    assert read == [[doc_id]]
    assert after.ranked == before.ranked
    assert [p.score for p in after.passages] == pytest.approx([p.score for p in before.passages])
    store.bump_revision(kb)
    chunks = store.conn.execute("SELECT count(*) FROM chunk WHERE document_id = %s", (doc_id,)).fetchone()[0]
    assert store.pages(kb, [doc_id])[doc_id].n_chunks == chunks


def test_a_search_reads_no_page_beyond_its_candidates(retriever: Retriever, store: KnowledgeStore,
                                                      monkeypatch) -> None:
    retriever.knowledge_base(KB)
    monkeypatch.setattr(store, "document_chunks", lambda *a: pytest.fail("pages are read as stored profiles"))
    monkeypatch.setattr(store, "page_chunks", lambda *a: pytest.fail("pages are read as stored profiles"))
    assert Retriever(store, retriever.embedder).search(KB, "register sheep movements").ranked
