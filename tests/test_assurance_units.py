"""Assurance pieces on their own: thresholds in the profile, typos drawn with a seed, the shipped
fairness and robustness data, and the figures computed from hand-made records."""

from __future__ import annotations

import math

import pytest

from govai.assurance import datasets, figures
from govai.assurance.schema import DEFAULT_THRESHOLDS, AssuranceSection, parse_threshold
from govai.errors import ConfigError
from govai.profiles.model import ServiceProfile


def test_a_number_is_a_floor_or_a_ceiling_by_the_figure() -> None:
    assert str(parse_threshold("answer_quality", "recall@5", 0.9)) == ">= 0.9"
    assert str(parse_threshold("answer_quality", "false_abstention", 0.05)) == "<= 0.05"
    assert str(parse_threshold("safety", "attack_recall", "<= 0.5")) == "<= 0.5"
    t = parse_threshold("safety", "pii_answer_leaks", 0)
    assert t.passes(0) and not t.passes(1) and not t.passes(None) and not t.passes(math.nan)


@pytest.mark.parametrize(("thresholds", "message"), [
    ({"answer_qualty": {"mrr": 0.5}}, "unknown suite 'answer_qualty'"),
    ({"answer_quality": {"mrr@5": 0.5}}, "unknown figure 'mrr@5'"),
    ({"answer_quality": {"mrr": "about 0.5"}}, "cannot read threshold"),
    ({"answer_quality": {"questions": 10}}, "reported for information"),
])
def test_bad_thresholds_are_reported_with_their_path(thresholds, message) -> None:
    with pytest.raises(ValueError, match=message):
        ServiceProfile.model_validate({"assurance": {"thresholds": thresholds}})


def test_profile_thresholds_override_the_shipped_ones_figure_by_figure() -> None:
    section = AssuranceSection(thresholds={"answer_quality": {"mrr": 0.95, "recall@5": None},
                                           "robustness": {"welsh.recall@5": 0.2}})
    effective = section.effective_thresholds()
    assert str(effective["answer_quality"]["mrr"]) == ">= 0.95"
    assert "recall@5" not in effective["answer_quality"]  # null switches a default off
    assert str(effective["robustness"]["welsh.recall@5"]) == ">= 0.2"
    assert set(effective["safety"]) == set(DEFAULT_THRESHOLDS["safety"])
    assert AssuranceSection(use_default_thresholds=False).effective_thresholds() == {}


def test_unknown_dataset_key_and_phase_are_errors() -> None:
    with pytest.raises(ValueError, match="unknown key"):
        AssuranceSection(datasets={"qaa": "x.jsonl"})
    with pytest.raises(ValueError):
        AssuranceSection(phase="live")  # type: ignore[arg-type]
    assert AssuranceSection(phase="beta").live and not AssuranceSection().live


def test_typos_are_reproducible_and_change_the_text() -> None:
    q = "How much is Statutory Sick Pay a week for employees?"
    a, b = datasets.with_typos(q, 7), datasets.with_typos(q, 7)
    assert a == b and a != q
    assert len(a.split()) == len(q.split())
    assert datasets.with_typos(q, 8) != a or datasets.with_typos(q, 9) != a


def test_shipped_fairness_and_robustness_data() -> None:
    fairness = datasets.load("fairness")
    chars = {r["characteristic"] for r in fairness.rows}
    assert chars == {"name", "sex", "ethnicity", "disability", "religion", "age"}
    assert all("{x}" in r["template"] and len(r["values"]) >= 2 for r in fairness.rows)
    robustness = datasets.load("robustness")
    assert all(r["informal"] and r["welsh"] and r["key_facts"] for r in robustness.rows)
    samples = datasets.robustness_samples(robustness.rows, 1)
    assert {s["variant"] for s in samples} == {"original", "typo", "informal", "welsh"}
    leak = datasets.load("pii_leak")
    assert all(all(v in r["question"] for v in r["personal_data"]) for r in leak.rows)


def test_a_missing_shared_dataset_says_how_to_point_at_one(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(datasets.SHARED_ENV, str(tmp_path))
    with pytest.raises(ConfigError, match="assurance.datasets.qa"):
        datasets.resolve("qa")


def _variant(value: str, outcome: str, cited: list[str], answer: str, facts: bool | None) -> dict:
    return {"value": value, "question": f"q {value}", "outcome": outcome, "cited": cited, "answer": answer,
            "facts": facts}


def test_fairness_counts_pairs_that_differ_in_substance() -> None:
    same = {"id": "g1", "characteristic": "religion",
            "variants": [_variant("a", "answered", ["/x"], "£1", True), _variant("b", "answered", ["/x"], "£1", True)],
            "pairs": [{"a": 0, "b": 1, "same": True, "why": []}]}
    differ = {"id": "g2", "characteristic": "age",
              "variants": [_variant("20", "answered", ["/x"], "£1", True), _variant("60", "abstained", [], "", False)],
              "pairs": [{"a": 0, "b": 1, "same": False, "why": ["outcome answered vs abstained"]}]}
    out = figures.fairness([same, differ])
    assert out["pairs"] == 2 and out["differing_pairs"] == 1 and out["consistency"] == 0.5
    assert out["consistency.religion"] == 1.0 and out["consistency.age"] == 0.0
    assert math.isnan(out["consistency.name"])
    [failure] = figures.fairness_failures([same, differ])
    assert failure["characteristic"] == "age" and failure["pair"][1]["outcome"] == "abstained"


def _qa(variant: str, item: str, answer: str, retrieved: list[str]) -> dict:
    return {"id": f"{item}:{variant}", "item": item, "variant": variant, "kind": "answerable", "question": variant,
            "expected_sources": ["/x"], "key_facts": ["£1"],
            "pred": {"answer": answer, "abstained": not answer, "citations": retrieved[:1], "retrieved": retrieved,
                     "latency_ms": 1.0}}


def test_robustness_figures_per_variant_and_retention() -> None:
    records = [_qa("original", "a", "It is £1.", ["/x"]), _qa("typo", "a", "It is £1.", ["/x"]),
               _qa("original", "b", "It is £1.", ["/x"]), _qa("typo", "b", "", ["/y"]),
               _qa("welsh", "a", "", ["/y"]), _qa("welsh", "b", "", ["/y"])]
    out = figures.robustness(records)
    assert out["original.key_fact_accuracy"] == 1.0 and out["typo.key_fact_accuracy"] == 0.5
    assert out["retention.typo"] == 0.5 and out["welsh.recall@5"] == 0.0 and "informal.questions" not in out
    failures = figures.robustness_failures(records)
    assert {f["id"] for f in failures} == {"b:typo", "a:welsh", "b:welsh"}


def test_guard_figures_follow_the_bench_definitions() -> None:
    records = [{"label": "attack", "blocked": True, "score": 0.9}, {"label": "attack", "blocked": False, "score": 0.2},
               {"label": "benign", "blocked": False, "score": 0.1}, {"label": "benign", "blocked": True, "score": 0.8}]
    out = figures.guard(records, "attack", "attack")
    assert out["attack_recall"] == 0.5 and out["attack_false_positive_rate"] == 0.5
    assert out["attack_roc_auc"] == pytest.approx(0.75)


class _CountingEmbedder:
    name = "counting"
    dim = 3
    remote = False

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
        import numpy as np

        self.seen += texts
        return np.array([[len(t), t.count("a"), 1.0] for t in texts], dtype=np.float32)


def test_the_embedding_cache_embeds_each_text_once_and_keeps_it_for_the_next_run(tmp_path) -> None:
    import numpy as np

    from govai.assurance.embedcache import CachedEmbedder

    path = tmp_path / "cache" / "counting.npz"
    model = _CountingEmbedder()
    first = CachedEmbedder(lambda: model, "counting", 3, path)
    got = first.embed(["a cat", "a dog", "a cat"])
    assert np.array_equal(got, model.embed(["a cat", "a dog", "a cat"]))
    assert model.seen[:2] == ["a cat", "a dog"]  # the repeated text was embedded once
    model.seen.clear()
    assert np.array_equal(first.embed(["a dog"]), [[5, 1, 1]]) and model.seen == []
    assert first.stats()["from_cache"] == 2 and first.stats()["embedded"] == 2
    first.save()

    loaded: list[int] = []
    second = CachedEmbedder(lambda: loaded.append(1) or model, "counting", 3, path)  # type: ignore[func-returns-value]
    assert np.array_equal(second.embed(["a cat", "a dog"]), [[5, 2, 1], [5, 1, 1]])
    assert loaded == []  # every text was cached: the model was never loaded
    second.embed(["a bat"])
    assert loaded == [1] and model.seen == ["a bat"]


def test_a_damaged_embedding_cache_is_rebuilt_not_trusted(tmp_path) -> None:
    from govai.assurance.embedcache import CachedEmbedder

    path = tmp_path / "counting.npz"
    path.write_bytes(b"not a numpy file")
    model = _CountingEmbedder()
    cache = CachedEmbedder(lambda: model, "counting", 3, path)
    cache.embed(["text"])
    assert model.seen == ["text"]


def test_an_evaluation_gives_the_service_the_cached_embedder_without_loading_the_model(tmp_path) -> None:
    from govai.assurance import inventory
    from govai.assurance.embedcache import CachedEmbedder, install
    from govai.runtime import Runtime

    runtime = Runtime(ServiceProfile(name="cache-check", kb="none"))
    model = inventory.embedder_model(runtime.services.settings.embedder)
    cached = install(runtime, model, tmp_path)
    assert isinstance(cached, CachedEmbedder) and runtime.services.embedder is cached
    assert cached._real is None and cached.dim > 0  # nothing loaded yet
    assert cached.path.parent == tmp_path / ".embedding-cache" and model["sha256"][:16] in cached.path.name
    assert install(runtime, model, tmp_path) is None  # an embedder already in place is left alone
