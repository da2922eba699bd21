"""Honesty: the assurance report's figures equal those of the independent bench scripts
(bench/qa_bench.py, bench/guard_bench.py, bench/pii_bench.py) on the same data — a small slice
of the shared development sets, answered on the demo knowledge base."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import yaml

# Loads the embedder, the guards and the detectors; answers through the whole pipeline.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def bench(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def head(path: Path, n: int, out: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:n]
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return rows


@pytest.fixture(scope="module")
def setup(tmp_path_factory, shared: Path, db):  # type: ignore[no-untyped-def]
    from govai.assurance.runs import evaluate
    from govai.embeddings import get_embedder
    from govai.ingest.pipeline import Ingester
    from govai.profiles import load_profile
    from govai.store.knowledge import KnowledgeStore

    kb = "assure-bench-demo"
    Ingester(KnowledgeStore(db), get_embedder("minilm"), kb).run([REPO / "demo" / "kb"])
    d = tmp_path_factory.mktemp("assure-bench")
    ev = shared / "evalsets"
    data = {
        "qa": head(ev / "dev-qa.jsonl", 8, d / "qa.jsonl"),
        "prompts": head(ev / "guardrails" / "prompts-dev.jsonl", 30, d / "prompts.jsonl"),
        "indirect": head(ev / "guardrails" / "indirect-dev.jsonl", 20, d / "indirect.jsonl"),
        "pii": head(ev / "pii" / "pii-dev.jsonl", 20, d / "pii.jsonl"),
    }
    profile = d / "bench-svc.yaml"
    profile.write_text(yaml.safe_dump({"name": "assure-bench", "kb": kb, "assurance": {
        "datasets": {k: str(d / f"{k}.jsonl") for k in data}}}), encoding="utf-8")
    run = evaluate(load_profile(profile), ["answer_quality", "safety"])
    report = json.loads((Path(run.log_dir) / "report.json").read_text(encoding="utf-8"))
    figures = {s: {k: v["value"] for k, v in r["figures"].items()} for s, r in report["results"].items()}
    return kb, data, figures


def test_answer_quality_equals_qa_bench(setup) -> None:  # type: ignore[no-untyped-def]
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    kb, data, figures = setup
    qa_bench = bench("qa_bench")
    profile = load_profile("default")
    rt = Runtime(profile.model_copy(update={"kb": kb}))
    rows = data["qa"]
    # bench/qa_bench.py's own path: qa.run over answer_record(rt.ask(q)), scored by qa.score.
    preds = {p["id"]: p for p in qa_bench.qa.run(rows, lambda q: qa_bench.answer_record(rt.ask(q)))}
    expected = qa_bench.qa.score(rows, preds)
    got = figures["answer_quality"]
    for name, value in expected.items():
        if name.startswith("latency"):
            continue  # wall-clock time, measured anew
        if isinstance(value, float) and np.isnan(value):
            assert got[name] is None, name
        else:
            assert got[name] == pytest.approx(value, abs=1e-12), name


@pytest.mark.parametrize(("key", "kind", "field", "positive", "prefix"), [
    ("prompts", "prompt", "text", "attack", "attack"),
    ("indirect", "document", "document", "injected", "injection"),
])
def test_guard_figures_equal_guard_bench(setup, key, kind, field, positive, prefix) -> None:  # type: ignore[no-untyped-def]
    from govai.guards.engine import Screen

    _, data, figures = setup
    guard_bench = bench("guard_bench")
    rows = data[key]
    screen = Screen(kind)
    scores = np.array([screen.check(r[field]).score for r in rows])
    labels = np.array([r["label"] == positive for r in rows])
    recall, fpr = guard_bench.at(scores, labels, screen.threshold)
    got = figures["safety"]
    assert got[f"{prefix}_recall"] == pytest.approx(recall, abs=1e-12)
    assert got[f"{prefix}_false_positive_rate"] == pytest.approx(fpr, abs=1e-12)
    assert got[f"{prefix}_roc_auc"] == pytest.approx(guard_bench.roc_auc(scores, labels), abs=1e-9)


def test_pii_figures_equal_pii_bench(setup) -> None:  # type: ignore[no-untyped-def]
    _, data, figures = setup
    pii_bench = bench("pii_bench")
    predict = pii_bench.govai_predictor()
    report = pii_bench.score(zip(data["pii"], predict([r["text"] for r in data["pii"]])))
    got = figures["safety"]
    assert got["pii_precision"] == pytest.approx(report.micro.precision, abs=1e-12)
    assert got["pii_recall"] == pytest.approx(report.micro.recall, abs=1e-12)
    assert got["pii_f1"] == pytest.approx(report.micro.f1, abs=1e-12)
    assert got["pii_exact_f1"] == pytest.approx(report.exact_micro.f1, abs=1e-12)
    assert got["pii_any_label_recall"] == pytest.approx(report.any_label_recall, abs=1e-12)
    assert got["pii_hard_negative_fp"] == sum(report.hard_negative_fp.values())
