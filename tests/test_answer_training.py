"""Training data and features of the learned reranker and sentence ranker (issue 16):
questions asked two at a time, the features that help carry every fact, and the training
helpers. No database or embedding model is needed: vectors are made up."""

from __future__ import annotations

import numpy as np
import pytest

from govai.domain import Source
from govai.retrieval.evidence import Evidence, Sentence


def _row(rid: str, page: str, question: str, fact: str) -> dict:
    return {"id": rid, "kind": "answerable", "question": question, "expected_sources": [page], "key_facts": [fact]}


ROWS = [
    _row("a1", "/pond-grant", "How much is the pond grant?", "£250"),
    _row("a2", "/pond-grant#apply", "Who can apply for the pond grant?", "own your home"),
    _row("a3", "/pond-grant", "Do I have to pay the pond grant back?", "do not have to pay"),
    _row("b1", "/beehives", "How soon must I register a new colony?", "28 days"),
    {"id": "u1", "kind": "unanswerable", "question": "What is the fee for a beehive licence?",
     "expected_sources": [], "key_facts": []},
]


def test_two_questions_about_one_page_are_asked_as_one_and_need_both_facts() -> None:
    from govai.retrieval.train import compound_rows, page_of
    from govai.text.parts import split_ask

    rows = compound_rows(ROWS)
    assert [r["id"] for r in rows] == ["a1+a2", "a2+a3"]  # consecutive pairs, one page; not across pages
    first = rows[0]
    assert first["key_facts"] == ["£250", "own your home"]
    assert page_of(first) == "/pond-grant"
    assert len(split_ask(first["question"]).asks) == 2
    assert compound_rows(ROWS) == rows  # a fixed seed: the same data every run


def test_training_rows_hold_written_citizen_compound_and_forum_questions() -> None:
    from govai.retrieval.train import row_kind, training_rows
    from govai.text.parts import split_ask

    rows = training_rows(ROWS)
    kinds = [row_kind(r) for r in rows]
    assert kinds.count("written") == 4 and kinds.count("citizen") == 4 and kinds.count("compound") == 2
    assert kinds.count("forum") == 4 and kinds.count("forum-compound") == 2  # each written and two-part question
    assert all(r["kind"] != "unanswerable" for r in rows)
    post = next(r for r in rows if r["id"] == "a1~forum")
    assert "pond grant" in post["question"].lower() and split_ask(post["question"]).story_share > 0.5
    without = [row_kind(r) for r in training_rows(ROWS, compound=False, forum=False)]
    assert without.count("compound") == 0 and without.count("forum") == 0
    # The posts have their own random stream: adding them leaves the other variants as they were.
    assert [r for r in rows if "~forum" not in r["id"]] == training_rows(ROWS, forum=False)


class CountingEmbedder:
    name, dim, remote = "counting", 3, False

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_a_question_is_embedded_once_in_training() -> None:
    from govai.retrieval.train import RememberingEmbedder

    inner = CountingEmbedder()
    embedder = RememberingEmbedder(inner)
    first = embedder.embed(["How much is the pond grant?"])
    again = embedder.embed(["How much is the pond grant?"])
    assert first.shape == (1, 3) and np.array_equal(first, again)
    assert inner.calls == [["How much is the pond grant?"]]
    embedder.embed(["a", "b"])  # batches are not remembered
    embedder.embed(["a", "b"])
    assert len(inner.calls) == 3 and embedder.dim == 3


def _evidence(question: str, texts: list[str], similarity: list[float], ask_similarity: list[float] | None = None,
              title: str = "Garden pond safety grant", headings: list[str] | None = None) -> Evidence:
    source = Source(source_id="/pond-grant", doc_id="/pond-grant", chunk_id=-1, title=title,
                    headings=headings or [], url="https://www.gov.uk/pond-grant", text=" ".join(texts))
    sentences = [Sentence(t, 0, k) for k, t in enumerate(texts)]
    vectors = [np.zeros(3, dtype=np.float32) for _ in texts]
    evidence = Evidence(question, np.zeros(3, dtype=np.float32), [source], sentences, vectors, similarity)
    if ask_similarity is not None:
        evidence.asks = ["ask"]
        evidence.ask_similarity = [ask_similarity]
    return evidence


def test_rank_features_follow_the_ask_and_the_best_typed_sentence_is_marked() -> None:
    from govai.retrieval.selection import FEATURES, unit_features

    texts = ["The grant pays up to £250 towards a fence.", "Fences cost about £400 to build.",
             "You do not have to pay it back."]
    question = "We have a deep pond and two toddlers. How much is the pond grant?"
    evidence = _evidence(question, texts, [0.5, 0.6, 0.4], ask_similarity=[0.7, 0.5, 0.3])
    x = unit_features(evidence, [0, 1, 2])
    col = {name: x[:, FEATURES.index(name)] for name in FEATURES}
    assert col["rank_ask"].tolist() == [1.0, 0.5, 1 / 3]  # by similarity to the ask, not to the story
    assert col["rank_context"][1] == 1.0
    assert col["typed"].tolist() == [1.0, 1.0, 0.0]  # both hold an amount...
    assert col["typed_best"].tolist() == [1.0, 0.0, 0.0]  # ...the one closest to the ask is the best of them


def test_story_features_scale_with_the_share_of_the_question_that_is_story() -> None:
    from govai.retrieval.selection import FEATURES, unit_features

    texts = ["The grant pays up to £250 towards a fence.", "You do not have to pay it back."]
    plain = unit_features(_evidence("How much is the pond grant?", texts, [0.5, 0.4], [0.5, 0.4]), [0, 1])
    story = "We have a deep pond in the back garden and two toddlers who love it. How much is the pond grant?"
    told = unit_features(_evidence(story, texts, [0.5, 0.4], [0.7, 0.3]), [0, 1])
    i = FEATURES.index("sim_ask_story")
    assert plain[:, i].tolist() == [0.0, 0.0]  # no story: the story features say nothing
    share = 15 / 21  # 15 of the 21 words tell the story
    assert told[:, i] == pytest.approx([0.7 * share, 0.3 * share])
    assert told[:, FEATURES.index("sim_question_story")] == pytest.approx([0.5 * share, 0.4 * share])


def test_the_shipped_sentence_model_matches_the_features_and_was_trained_on_forum_posts() -> None:
    from govai.retrieval.selection import FEATURES, load_model, model_path

    if not model_path().exists():
        pytest.skip("no trained sentence model is shipped")
    model = load_model()
    assert model.meta.get("source") != "hand-set", "the model file no longer matches FEATURES: retrain it"
    assert len(model.weights) == len(FEATURES)
    by_kind = model.meta["cross_validation"]["by_kind"]
    assert {"written", "citizen", "compound", "forum", "forum-compound"} <= set(by_kind)
    # shipped only because it beat the hand-set weights out of fold
    cv = model.meta["cross_validation"]
    assert cv["key_fact_accuracy"] > cv["hand_key_fact_accuracy"]


def test_each_ask_of_a_multi_part_question_adds_its_answer_type() -> None:
    from govai.retrieval.selection import FEATURES, unit_features

    texts = ["The grant pays up to £250 towards a fence.", "Apply within 28 days of the quote."]
    evidence = _evidence("What does the pond grant cover? And how long do I have to apply?", texts, [0.5, 0.5])
    x = unit_features(evidence, [0, 1])
    assert x[:, FEATURES.index("typed_part")].tolist() == [0.0, 1.0]  # the second ask wants a period


def test_heading_coverage_counts_the_ask_terms_in_the_title_and_headings_only() -> None:
    from govai.retrieval.selection import FEATURES, unit_features

    texts = ["It pays up to £250.", "Send the form by post."]
    covered = _evidence("How much is the pond grant?", texts, [0.5, 0.5], headings=["What you get"])
    elsewhere = _evidence("How much is the pond grant?", texts, [0.5, 0.5], title="Register your beehives")
    k = FEATURES.index("cover_heading_ask")
    assert (unit_features(covered, [0, 1])[:, k] > 0.9).all()
    assert (unit_features(elsewhere, [0, 1])[:, k] == 0.0).all()


def test_remembered_features_give_the_same_choice_as_fresh_ones() -> None:
    from govai.providers.extractive import ExtractiveComposer
    from govai.retrieval.train import features_remembered

    texts = ["The grant pays up to £250 towards a fence.", "Fences cost about £400 to build.",
             "You do not have to pay it back.", "Apply to your council."]
    evidence = _evidence("How much is the pond grant and do I pay it back?", texts, [0.6, 0.5, 0.55, 0.2])
    composer = ExtractiveComposer()
    fresh = composer.compose(evidence.question, evidence.sources, evidence).answer
    with features_remembered():
        assert composer.compose(evidence.question, evidence.sources, evidence).answer == fresh
        assert composer.compose(evidence.question, evidence.sources, evidence).answer == fresh


def test_the_selection_setting_is_the_best_whose_answers_are_no_longer_than_the_hand_set_ones() -> None:
    from govai.retrieval.selection import hand_model, unit_features
    from govai.retrieval.train import SentenceItem, cross_validate_sentences, quoted

    texts = ["The grant pays up to £250 towards a fence.", "Fences cost about £400 to build in most gardens.",
             "You do not have to pay it back.", "Apply to your council for the grant online or by post.",
             "Most applicants get between 40% and 60% of the cost."]
    items = []
    for k, (question, fact) in enumerate([("How much is the pond grant?", "£250"),
                                          ("Do I have to pay the pond grant back?", "do not have to pay"),
                                          ("How do I apply for the pond grant?", "Apply to your council")]):
        evidence = _evidence(question, texts, [0.3 + 0.1 * (fact.lower() in t.lower()) for t in texts])
        keep = list(range(len(texts)))
        row = {"id": f"q{k}", "question": question, "expected_sources": [f"/page-{k}"], "key_facts": [fact]}
        y = np.array([fact.lower() in t.lower() for t in texts])
        items.append(SentenceItem(row, evidence, keep, unit_features(evidence, keep), y))
    report, _ = cross_validate_sentences(items, None)
    assert report["mean_words"] <= report["hand_mean_words"]
    assert report["hand_mean_words"] == pytest.approx(np.mean([quoted(it, hand_model())[1] for it in items]), abs=0.05)
    wider = [k for k, words in report["grid_words"].items() if words > report["hand_mean_words"]]
    assert f"{report['margin']}/{report['max_sentences']}" not in wider


class FakeBM25:
    """BM25 statistics of a made-up collection: every term equally rare, no chunk matches."""

    def __init__(self, n: int) -> None:
        self.n = n

    def weights(self, query: str) -> dict[str, float]:
        from govai.retrieval.lexical import tokenize

        return {t: 1.0 for t in tokenize(query)}

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        return []

    def scores(self, query: str) -> np.ndarray:
        return np.zeros(self.n, dtype=np.float32)


def test_the_reranker_sees_the_ask_in_a_page_title_not_the_story() -> None:
    from types import SimpleNamespace

    from govai.retrieval.rerank import FEATURES, candidate_features
    from govai.retrieval.retriever import _centroids
    from govai.store.knowledge import StoredChunk

    def chunk(i: int, source: str, title: str, headings: list[str]) -> StoredChunk:
        return StoredChunk(id=i, source_id=source, title=title, url="https://www.gov.uk" + source, anchor=None,
                           headings=headings, text="Some guidance text.", flags=[])

    chunks = [chunk(1, "/paternity-pay-leave", "Paternity pay and leave", ["Pay"]),
              chunk(2, "/hr-policy", "Staff handbook", ["Children and family"])]
    vectors = np.eye(2, 3, dtype=np.float32)
    doc_of, centroids = _centroids(chunks, vectors)
    idx = SimpleNamespace(chunks=chunks, vectors=vectors, doc_of=doc_of, centroids=centroids, bm25=FakeBM25(2),
                          pages=None)
    question = "My wife had our baby last week and my children are 3 and 5. How much paternity pay do I get?"
    candidates, x = candidate_features(question, np.ones(3, dtype=np.float32) / 3 ** 0.5, idx, [0, 1], [])
    title = x[:, FEATURES.index("title_ask")]
    assert candidates == [0, 1]
    assert title[0] > 0.5 and title[1] == 0.0  # "children" is the story's word, not the ask's


def test_kept_training_items_are_reused_only_under_the_same_key(tmp_path) -> None:
    from govai.retrieval.selection import FEATURES
    from govai.retrieval.train import SentenceItem, load_items, save_items

    evidence = _evidence("How much is the pond grant?", ["The grant pays up to £250.", "Apply online."], [0.6, 0.2])
    item = SentenceItem({"id": "a1"}, evidence, [0, 1], np.zeros((2, 1)), np.array([True, False]))
    path = tmp_path / "items.pkl"
    assert load_items(path, "k1") is None  # nothing kept yet
    save_items(path, "k1", [], [item])
    assert load_items(path, "k2") is None  # other questions, knowledge base or code
    rerank_items, sentence_items = load_items(path, "k1")
    assert rerank_items == [] and sentence_items[0].x.shape == (2, len(FEATURES))  # features recomputed
    path.write_bytes(b"not a pickle")
    assert load_items(path, "k1") is None
