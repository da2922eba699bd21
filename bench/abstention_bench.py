"""When does GovAI abstain? Abstention on unanswerable questions, on counterfactual ones, and false abstention.

    python bench/abstention_bench.py [--kb NAME] [--questions FILE ...]

Six unanswerable questions (the dev set's) are too few to judge an abstention rule,
so this bench also makes counterfactual ones: every answerable question is asked
again with the pages that answer it withheld from retrieval. What is left is the
hardest kind of unanswerable question: its neighbouring guidance (a question whose
answer also sits on another page is skipped: a support quote is still retrieved).

Real questions go through the default pipeline (the product's decision, with
``check_evidence``). Three signals are compared at matched false-abstention rates:

  passage        dense similarity of the best retrieved passage (baseline)
  sentence       dense similarity of the best sentence (baseline: the earlier abstention rule)
  answerability  the check_evidence model's score (the product)

Questions: ../shared/evalsets/dev-qa.jsonl and bench/data/holdout-qa.jsonl (100
questions written for GovAI about the shared corpus, 40 unanswerable, never used in
training) by default.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

import numpy as np  # noqa: E402

from govai.answerability.model import load_model  # noqa: E402
from govai.answerability.train import Example, examples  # noqa: E402
from govai.evals import qa  # noqa: E402
from govai.ingest.pipeline import Ingester  # noqa: E402
from govai.domain import Outcome
from govai.profiles import load_profile  # noqa: E402
from govai.runtime import Runtime  # noqa: E402

FALSE_ABSTENTION_RATES = (0.02, 0.05, 0.10)


SIGNALS = {
    "passage": lambda e, model: e.signals.passage1,
    "sentence": lambda e, model: e.signals.sentence1,
    "answerability": lambda e, model: model.score(e.signals),
}


def catch_rates(data: list[Example], signal, model) -> list[tuple[float, float, float]]:
    """(false abstention, abstention on unanswerable, on counterfactual) with the signal's threshold
    set so that the given share of answerable questions abstains."""
    answerable = np.array([signal(e, model) for e in data if e.kind == "answerable"])
    rows = []
    for rate in FALSE_ABSTENTION_RATES:
        threshold = np.quantile(answerable, rate)
        caught = {kind: [signal(e, model) < threshold for e in data if e.kind == kind]
                  for kind in ("unanswerable", "counterfactual")}
        rows.append((rate, float(np.mean(caught["unanswerable"])), float(np.mean(caught["counterfactual"]))))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, nargs="+",
                        default=[SHARED / "evalsets" / "dev-qa.jsonl", REPO / "bench" / "data" / "holdout-qa.jsonl"])
    parser.add_argument("--kb", default="bench-corpus", help="knowledge base of the shared corpus (ingested if missing)")
    parser.add_argument("--model", type=Path, default=None,
                        help="answerability model file to measure (default: the shipped one), e.g. a previous release's")
    args = parser.parse_args()

    profile = load_profile("default")
    if args.model is not None:
        steps = [s.model_copy(update={"options": {**s.options, "model": str(args.model)}}) if s.name == "check_evidence"
                 else s for s in profile.steps]
        profile = profile.model_copy(update={"steps": steps})
    runtime = Runtime(profile.model_copy(update={"kb": args.kb}))
    if runtime.knowledge.get(args.kb) is None:
        sources = [SHARED / "corpus" / "govuk" / "pages.jsonl", SHARED / "corpus" / "legislation"]
        Ingester(runtime.knowledge, runtime.embedder, args.kb).run(sources)
    model = load_model(args.model)
    runtime.ask("How do I claim Child Benefit?")  # warm-up
    for path in args.questions:
        rows = qa.load_questions(path)
        data = examples(runtime.retriever, args.kb, rows)
        count = {k: sum(e.kind == k for e in data) for k in ("answerable", "unanswerable", "counterfactual")}
        product = {"answerable": [], "unanswerable": []}
        for row in rows:
            ctx = runtime.ask(row["question"])
            product["unanswerable" if row.get("kind") == "unanswerable" else "answerable"].append(
                ctx.outcome != Outcome.ANSWERED)
        gate_counter = np.mean([model.score(e.signals) < model.threshold for e in data if e.kind == "counterfactual"])
        print(f"\n{path.name}: {count['answerable']} answerable, {count['unanswerable']} unanswerable, "
              f"{count['counterfactual']} counterfactual (answer pages withheld)")
        print(f"  GovAI default pipeline: abstains on {np.mean(product['unanswerable']):.3f} of unanswerable "
              f"and {gate_counter:.3f} of counterfactual (check_evidence); false abstention "
              f"{np.mean(product['answerable']):.3f}")
        print(f"  {'signal':15}{'false abst.':>12}{'unanswerable':>14}{'counterfact.':>14}")
        for name, signal in SIGNALS.items():
            for fa, unans, counter in catch_rates(data, signal, model):
                print(f"  {name:15}{fa:12.2f}{unans:14.3f}{counter:14.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
