"""Retrieval over a small knowledge base of invented GOV.UK-style pages on distinct
topics: every mode ranks the right page first, results are one per source, passages
carry deep-link anchors, and a new KB revision rebuilds the in-memory index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govai.ingest.pipeline import Ingester
from govai.retrieval.retriever import Mode, Retriever
from govai.store.knowledge import KnowledgeStore

KB = "test-retrieval"

PAGES = [
    {
        "base_path": "/garden-pond-safety-grant",
        "title": "Garden pond safety grant",
        "description": "Money from your council towards fencing a deep garden pond.",
        "body_markdown": (
            "## Who can apply\n\nYou can apply if you own a home with a garden pond deeper than 60 centimetres "
            "and a child under 5 lives with you or visits often.\n\n"
            "## What you get\n\nThe grant pays up to £250 towards a fence or a rigid pond cover.\n\n"
            "## How to apply\n\nApply to your local council with a photo of the pond and a quote from a fencer."
        ),
    },
    {
        "base_path": "/register-beehives",
        "title": "Register your beehives",
        "description": "Beekeepers must register their hives with the national bee unit.",
        "body_markdown": (
            "## When to register\n\nRegister each new colony of honey bees within 28 days of getting it.\n\n"
            "## Inspections\n\nA bee inspector may visit your apiary to check for foulbrood and other diseases."
        ),
    },
    {
        "base_path": "/complain-about-bonfire-smoke",
        "title": "Complain about bonfire smoke",
        "description": "What to do if a neighbour's garden bonfires keep filling your home with smoke.",
        "body_markdown": (
            "## Talk to your neighbour first\n\nTry to agree times when they will not burn garden waste.\n\n"
            "## Report it to the council\n\nThe environmental health team can serve an abatement notice if "
            "the smoke is a statutory nuisance. Ignoring the notice can lead to a fine of up to £5,000."
        ),
    },
    {
        "base_path": "/allotment-waiting-lists",
        "title": "Allotment waiting lists",
        "description": "How to rent an allotment plot to grow vegetables.",
        "body_markdown": (
            "## Join a waiting list\n\nContact your parish or town council to join the allotment waiting list.\n\n"
            "## Rent\n\nAllotment rent is usually paid once a year and half plots cost less."
        ),
    },
    {
        "base_path": "/passport-photo-rules",
        "title": "Passport photo rules",
        "description": "The rules your photo must meet for a passport application.",
        "body_markdown": (
            "## Size and background\n\nThe photo must be 45 millimetres high by 35 millimetres wide, taken "
            "against a plain cream or light grey background.\n\n"
            "## Your expression\n\nYou must have a neutral expression with your mouth closed and no glasses."
        ),
    },
    {
        "base_path": "/fishing-rod-licence",
        "title": "Buy a rod fishing licence",
        "description": "You need a rod licence to fish for freshwater fish, salmon or trout.",
        "body_markdown": (
            "## Who needs a licence\n\nAnyone aged 13 or over needs a rod licence to fish in rivers, lakes "
            "and canals.\n\n## Prices\n\nA 1-day licence costs £7.50 and a 12-month licence costs £35."
        ),
    },
]

QUESTIONS = [
    ("how much money can I get to put a fence round my garden pond", "/garden-pond-safety-grant"),
    ("how many days do I have to register a new colony of honey bees", "/register-beehives"),
    ("my neighbour keeps burning garden waste and the bonfire smoke comes into my house",
     "/complain-about-bonfire-smoke"),
    ("how do I get on the waiting list for an allotment plot", "/allotment-waiting-lists"),
    ("what size must my passport photo be and what background", "/passport-photo-rules"),
    ("do I need a rod licence to fish in a canal and what does it cost", "/fishing-rod-licence"),
]


@pytest.fixture(scope="module")
def store(db) -> KnowledgeStore:
    store = KnowledgeStore(db)
    if store.get(KB):
        store.delete(KB)
    return store


@pytest.fixture(scope="module")
def pages_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("retrieval") / "pages.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAGES), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def retriever(store: KnowledgeStore, embedder, pages_file: Path) -> Retriever:
    report = Ingester(store, embedder, KB).run([pages_file])
    assert report.added == len(PAGES) and not report.failures
    return Retriever(store, embedder)


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize(("question", "expected"), QUESTIONS, ids=[e for _, e in QUESTIONS])
def test_each_mode_ranks_the_right_page_first(retriever: Retriever, mode: Mode, question: str, expected: str) -> None:
    result = retriever.search(KB, question, mode=mode)
    assert result.ranked[0] == expected
    assert result.passages[0].doc_id == expected


@pytest.mark.parametrize("mode", list(Mode))
def test_results_are_one_per_source_and_cut_to_k(retriever: Retriever, mode: Mode) -> None:
    result = retriever.search(KB, "council garden fence smoke allotment licence photo bees", k=4, mode=mode)
    assert len(result.ranked) == len(set(result.ranked)) <= 4
    # Several passages of one page may be handed to composition, best first.
    assert len(result.passages) <= 8
    scores = [p.score for p in result.passages]
    assert scores == sorted(scores, reverse=True)


def test_every_page_is_retrievable_within_k(retriever: Retriever) -> None:
    result = retriever.search(KB, "garden", k=10)
    assert len(result.ranked) == len(PAGES)
    assert set(result.ranked) == {p["base_path"] for p in PAGES}


def test_passages_carry_anchors_for_deep_links(retriever: Retriever) -> None:
    result = retriever.search(KB, "what happens if I ignore an abatement notice about smoke")
    top = result.passages[0]
    assert top.source_id == "/complain-about-bonfire-smoke#report-it-to-the-council"
    assert top.doc_id == "/complain-about-bonfire-smoke"
    assert top.url == "https://www.gov.uk/complain-about-bonfire-smoke#report-it-to-the-council"
    assert top.title == "Complain about bonfire smoke"
    assert top.headings == ["Report it to the council"]
    assert "£5,000" in top.text
    # Ranked ids never carry an anchor.
    assert all("#" not in sid for sid in result.ranked)


def test_description_passage_has_no_anchor(retriever: Retriever) -> None:
    result = retriever.search(KB, "beekeepers must register their hives with the national bee unit")
    top = result.passages[0]
    assert top.doc_id == "/register-beehives"
    assert top.source_id == "/register-beehives" and top.url == "https://www.gov.uk/register-beehives"


def test_a_question_with_no_known_words_finds_nothing_lexically(retriever: Retriever) -> None:
    assert retriever.search(KB, "zzyzx qwvprt", mode=Mode.BM25).ranked == []


def test_an_empty_kb_returns_nothing(store: KnowledgeStore, embedder) -> None:
    store.ensure(f"{KB}-empty", embedder.name, embedder.dim)
    result = Retriever(store, embedder).search(f"{KB}-empty", "anything at all")
    assert result.ranked == [] and result.passages == []
    store.delete(f"{KB}-empty")


def test_a_new_revision_rebuilds_the_index(retriever: Retriever, store: KnowledgeStore, embedder, pages_file: Path,
                                           tmp_path: Path) -> None:
    before = retriever.index(KB)
    assert retriever.index(KB) is before  # cached while the revision holds

    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({
        "base_path": "/report-a-stray-llama",
        "title": "Report a stray llama",
        "body_markdown": "Call the animal warden if you find a stray llama or alpaca wandering on a road.",
    }) + "\n")
    Ingester(store, embedder, KB).run([extra])

    after = retriever.index(KB)
    assert after is not before
    assert after.kb.revision > before.kb.revision
    assert retriever.search(KB, "I found a llama wandering on the road").ranked[0] == "/report-a-stray-llama"

    # Deleting and re-creating the KB under the same name is also noticed.
    store.delete(KB)
    Ingester(store, embedder, KB).run([pages_file])
    rebuilt = retriever.index(KB)
    assert rebuilt.kb.id != after.kb.id
    assert "/report-a-stray-llama" not in {c.source_id for c in rebuilt.chunks}


@pytest.mark.parametrize("mode", list(Mode))
def test_excluded_sources_are_left_out_as_if_withdrawn(retriever: Retriever, mode: Mode) -> None:
    question = "How much does the pond grant pay towards a fence?"
    assert retriever.search(KB, question, mode=mode).ranked[0] == "/garden-pond-safety-grant"
    result = retriever.search(KB, question, mode=mode, exclude={"/garden-pond-safety-grant"})
    assert "/garden-pond-safety-grant" not in result.ranked
    assert all(p.doc_id != "/garden-pond-safety-grant" for p in result.passages)
    if mode is not Mode.BM25:  # dense retrieval always finds a nearest page among those left
        assert result.ranked and result.passages


# ---------------------------------------------------------------- issue 16: page profiles, learned reranker


def test_page_profile_sees_long_dated_and_legislation_pages(retriever: Retriever) -> None:
    from govai.retrieval.pages import build_profile

    idx = retriever.index(KB)
    profile = build_profile(idx)
    docs = len(idx.centroids)
    for name in ("log_chunks", "dispersion", "latest_year", "dated_notice", "legislation"):
        values = getattr(profile, name)
        assert values.shape == (docs,) and (values >= 0).all()


def test_a_page_years_behind_its_competitors_is_stale() -> None:
    import numpy as np

    from govai.retrieval.pages import MAX_STALE_YEARS, stale_years

    latest = np.array([2024.0, 2025.0, 2018.0, 0.0, 1990.0])
    assert stale_years(latest).tolist() == [1.0, 0.0, 7.0, 0.0, MAX_STALE_YEARS]


def test_reranker_features_and_the_shipped_model_agree() -> None:
    from govai.retrieval.rerank import FEATURES, hand_model, load_model

    model = load_model()
    assert len(model.weights) == len(FEATURES)
    assert hand_model().weights[FEATURES.index("dense")] == 1.0


def test_the_ask_alone_adds_lexical_candidates(retriever: Retriever) -> None:
    from govai.retrieval.rerank import FEATURES, candidate_features

    idx = retriever.index(KB)
    question = "My sister has three kids and we split up last year - how much is the grant for a pond fence?"
    qvec = retriever.embedder.embed([question])[0]
    candidates, x = candidate_features(question, qvec, idx, [], idx.bm25.search(question, 60))
    assert candidates == [] and x.shape == (0, len(FEATURES))
    candidates, x = candidate_features(question, qvec, idx, [0], idx.bm25.search(question, 60))
    assert x.shape == (len(candidates), len(FEATURES)) and len(candidates) >= 1


def test_the_listwise_fit_learns_which_feature_marks_the_answer() -> None:
    import numpy as np

    from govai.retrieval.train import fit_listwise

    rng = np.random.default_rng(7)
    groups = []
    for _ in range(60):
        x = rng.normal(size=(12, 3))
        y = np.zeros(12, dtype=bool)
        y[int(np.argmax(x[:, 1]))] = True  # the second feature alone marks the answer
        groups.append((x, y))
    w = fit_listwise(groups)
    assert abs(w[1]) > 3 * max(abs(w[0]), abs(w[2])) and w[1] > 0


def test_cross_validation_folds_keep_each_page_together() -> None:
    from govai.retrieval.train import grouped_folds, page_of

    rows = [{"expected_sources": [s]} for s in (
        "/pip", "/pip#how-to-claim", "https://www.gov.uk/pip/",
        "https://www.legislation.gov.uk/ukpga/2024/21/section/18",
        "https://www.legislation.gov.uk/ukpga/2024/21/section/2", "/carers-allowance")]
    keys = [page_of(r) for r in rows]
    assert keys[0] == keys[1] == keys[2] and keys[3] == keys[4] != keys[0]
    for folds in (None, 2):
        for held in grouped_folds(keys, folds):
            held_pages = {keys[i] for i in held}
            assert all(keys[i] not in held_pages for i in range(len(keys)) if i not in held)


def test_a_forum_variant_buries_the_same_ask_in_a_long_post() -> None:
    import random

    from govai.evals.variants import forum_variant

    question = "How long do I have to repay a Budgeting Loan?"
    posts = [forum_variant(question, random.Random(seed)) for seed in range(20)]
    assert posts == [forum_variant(question, random.Random(seed)) for seed in range(20)]
    assert all("how long do i have to repay a budgeting loan" in p.lower() for p in posts)
    assert min(len(p.split()) for p in posts) >= 35
    assert any("\n\n" in p for p in posts) and any(p == p.lower() for p in posts)
    assert any(not p.rstrip().endswith("?") for p in posts)  # sometimes more story after the ask


def test_a_citizen_variant_tells_a_story_then_asks_the_same_thing() -> None:
    import random

    from govai.evals.variants import STORIES, citizen_variant
    from govai.text.parts import split_ask

    question = "How long do I have to repay a Budgeting Loan?"
    variant = citizen_variant(question, random.Random(3))
    assert variant == citizen_variant(question, random.Random(3))  # same seed, same data
    assert any(variant.lower().startswith(s.lower()) for s in STORIES)
    split = split_ask(variant)
    assert split.has_situation and split.ask.lower().startswith("how long do i have to repay")
