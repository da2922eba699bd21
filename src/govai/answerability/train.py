"""Train the answerability model from GovAI's own questions about the shared corpus.

    python -m govai.answerability.train --kb corpus           # writes answerability/model/answerability.json
    python -m govai.answerability.train --kb corpus --check   # cross-validate only, write nothing
    python -m govai.answerability.train --kb mykb --questions mine.jsonl --out mine.json   # another corpus

``--kb`` must hold the shared corpus (``govai kb ingest ../shared/corpus/govuk/pages.jsonl
../shared/corpus/legislation --kb corpus``). Examples (see ``data/DATA_CARD.md``):

- each answerable question with its guidance: answerable;
- each unanswerable question with what retrieval finds: not answerable;
- each answerable question again with the pages that answer it withheld from
  retrieval (a counterfactual knowledge base): not answerable, unless a support
  quote is still among the passages (the answer is on another page too).

The threshold is set so that ``--false-abstention`` of the answerable training
questions would abstain. No evaluation set is read here; ``bench/abstention_bench.py``
measures the model on the development and hold-out sets.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import numpy as np

from govai.answerability.model import AnswerabilityModel, save_model
from govai.answerability.signals import NAMES, Signals, measure
from govai.evals.qa import load_questions, normalise_id

FALSE_ABSTENTION = 0.03  # held-out questions run harder than the training ones: aim below the 0.05 allowed
FOLDS = 5
SEED = 20241126


def data_path() -> Path:
    return Path(str(resources.files("govai.answerability") / "data" / "questions.jsonl"))


def data_fingerprint(path: Path | None = None) -> str:
    return hashlib.sha256((path or data_path()).read_bytes()).hexdigest()


@dataclass
class Example:
    question_id: str
    signals: Signals
    answerable: bool
    kind: str  # answerable | unanswerable | counterfactual


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip().lower()


def examples(runtime, kb: str, rows: list[dict], progress=None) -> list[Example]:
    """Signals for every question, and for every answerable one with its answer pages withheld."""
    retriever, embedder = runtime.retriever, runtime.embedder
    index = retriever.index(kb)
    stored_ids: dict[str, str] = {normalise_id(c.source_id): c.source_id for c in index.chunks}
    out: list[Example] = []
    for row in rows:
        question = row["question"]
        found = retriever.search(kb, question).passages
        answerable = row.get("kind") != "unanswerable"
        out.append(Example(row["id"], measure(embedder, index, question, found), answerable,
                           "answerable" if answerable else "unanswerable"))
        gold = {stored_ids[n] for n in map(normalise_id, row.get("expected_sources", [])) if n in stored_ids}
        if answerable and gold:
            rest = retriever.search(kb, question, exclude=gold).passages
            quotes = [_squash(q) for q in row.get("support_quotes", []) if q.strip()]
            if not any(q in _squash(p.text) for p in rest for q in quotes):
                out.append(Example(row["id"], measure(embedder, index, question, rest), False, "counterfactual"))
        if progress:
            progress()
    return out


def logistic_regression(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Weights (last one the intercept, unpenalised) by Newton's method on the L2-penalised log loss."""
    design = np.hstack([x, np.ones((len(x), 1))])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    w = np.zeros(design.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -50, 50)))
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit(train: list[Example], false_abstention: float) -> AnswerabilityModel:
    """Logistic regression on standardised signals; the threshold lets ``false_abstention`` of
    the answerable examples abstain."""
    x = np.stack([e.signals.vector() for e in train])
    y = np.array([e.answerable for e in train], dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    w = logistic_regression((x - mean) / scale, y)
    model = AnswerabilityModel(mean, scale, w[:-1], float(w[-1]), 0.0, {})
    positives = [model.score(e.signals) for e in train if e.answerable]
    return replace(model, threshold=float(np.quantile(positives, false_abstention)))


def rates(model: AnswerabilityModel, test: list[Example]) -> dict[str, float]:
    """Share of each kind of example the model would abstain on."""
    out = {}
    for kind in ("answerable", "unanswerable", "counterfactual"):
        scores = [model.score(e.signals) for e in test if e.kind == kind]
        out[kind] = float(np.mean([s < model.threshold for s in scores])) if scores else float("nan")
    return out


def cross_validate(data: list[Example], false_abstention: float) -> dict[str, float]:
    """Grouped by question, so a question and its counterfactual never straddle folds."""
    ids = sorted({e.question_id for e in data})
    order = np.random.default_rng(SEED).permutation(len(ids))
    fold = {ids[i]: k % FOLDS for k, i in enumerate(order)}
    results = []
    for k in range(FOLDS):
        model = fit([e for e in data if fold[e.question_id] != k], false_abstention)
        results.append(rates(model, [e for e in data if fold[e.question_id] == k]))
    return {kind: float(np.nanmean([r[kind] for r in results])) for kind in results[0]}


def main(argv: list[str] | None = None) -> int:
    from rich.progress import Progress

    from govai.profiles import load_profile
    from govai.runtime import Runtime

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", required=True, help="knowledge base the questions are about")
    parser.add_argument("--questions", type=Path, default=None,
                        help="questions in the dev-qa.jsonl format (default: the shipped data/questions.jsonl)")
    parser.add_argument("--out", type=Path, default=None, help="model file to write (default: the shipped one)")
    parser.add_argument("--false-abstention", type=float, default=FALSE_ABSTENTION)
    parser.add_argument("--check", action="store_true", help="cross-validate only; write nothing")
    args = parser.parse_args(argv)

    questions = args.questions or data_path()
    rows = load_questions(questions)
    runtime = Runtime(load_profile("default"))
    with Progress() as bar:
        task = bar.add_task("Measuring evidence", total=len(rows))
        data = examples(runtime, args.kb, rows, lambda: bar.advance(task))
    counts = {kind: sum(e.kind == kind for e in data) for kind in ("answerable", "unanswerable", "counterfactual")}
    print(f"{len(rows)} questions -> examples: {counts}")
    cv = cross_validate(data, args.false_abstention)
    print(f"{FOLDS}-fold cross-validation, abstaining on: answerable {cv['answerable']:.3f}, "
          f"unanswerable {cv['unanswerable']:.3f}, counterfactual {cv['counterfactual']:.3f}")
    if args.check:
        return 0
    model = fit(data, args.false_abstention)
    meta = {
        "false_abstention_target": args.false_abstention,
        "data_sha256": data_fingerprint(questions),
        "examples": counts,
        "cross_validation_abstention": {k: round(v, 4) for k, v in cv.items()},
    }
    path = save_model(replace(model, meta=meta), args.out)
    print(f"wrote {path} (threshold {model.threshold:.3f}); weights: "
          + ", ".join(f"{n} {c:+.2f}" for n, c in zip(NAMES, model.coef)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
