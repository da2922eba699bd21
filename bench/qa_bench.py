"""Grounded answers on the shared corpus: retrieval quality, answer quality, latency, ingest speed.

    python bench/qa_bench.py [--questions FILE ...] [--reuse] [--kb NAME] [--out DIR] [--modes ...]

Ingests both corpora (GOV.UK pages and the 2024 Acts) into a fresh knowledge base
and reports ingest throughput; then answers every question of every file through the
default service pipeline, in these modes, all measured in the same run:

  bm25    lexical only (baseline)
  dense   MiniLM + pgvector HNSW only (baseline)
  hybrid  reciprocal rank fusion of the two (baseline)
  today   the product as it was before issue 16 (git revision ``--today-rev``): its
          hand-set reranker, its composer and its answerability model
  hand    the product's code with the hand-set reranker and sentence weights (as if the
          learned model files were absent): what the learned models must beat
  full    fusion + GovAI's learned reranker, sentence ranker and answerability model (the product)

Default question files: ``dev-qa.jsonl`` (shared; for the final report only),
``bench/data/holdout-qa.jsonl``, ``bench/data/holdout-citizen-qa.jsonl`` and
``bench/data/holdout-forum-qa.jsonl`` (long forum posts) (written for GovAI, never used in
training or tuning). ``--out`` writes every prediction, one
JSON Lines file per mode and question file.

Latency is the whole pipeline per question, in process, including embedding the
question, after a warm-up pass over the questions' embeddings (no model generation:
the default composer is extractive).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

from govai.evals import qa  # noqa: E402
from govai.ingest.pipeline import Ingester  # noqa: E402
from govai.pipeline.answer import answer_record  # noqa: E402
from govai.profiles import load_profile  # noqa: E402
from govai.runtime import Runtime  # noqa: E402

MODES = ["bm25", "dense", "hybrid", "today", "hand", "full"]
KB = "bench-corpus"
TODAY_REV = "bb5a31fcfc9d333842e3a34c8a05e72740751935"  # main before issue 16's answer work
QUESTIONS = [SHARED / "evalsets" / "dev-qa.jsonl", REPO / "bench" / "data" / "holdout-qa.jsonl",
             REPO / "bench" / "data" / "holdout-citizen-qa.jsonl", REPO / "bench" / "data" / "holdout-forum-qa.jsonl"]


def embed_only_rate(runtime: Runtime, kb: str, sample: int = 400) -> float:
    """Chunks/s of the bare embedder over a sample of the knowledge base's chunk texts."""
    chunks = runtime.knowledge.chunks(runtime.knowledge.require(kb))[:sample]
    texts = [f"{c.title}\n{' '.join(c.headings)}\n{c.text}" for c in chunks]
    start = time.perf_counter()
    runtime.embedder.embed(texts)
    return len(texts) / (time.perf_counter() - start)


def _old_module(rev: str, path: str, name: str) -> types.ModuleType:
    """A module as it was at git revision ``rev`` (its provider registration left out)."""
    source = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, check=True, capture_output=True,
                            text=True).stdout
    source = "\n".join(line for line in source.splitlines() if not line.startswith("provider_kinds.add("))
    module = types.ModuleType(name)
    module.__file__ = f"{rev[:7]}:{path}"
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


@contextlib.contextmanager
def today_product(rev: str):
    """The reranker and the composer as they were at ``rev``; yields the path of that revision's
    answerability model. The evidence is given to the old composer as it read it then: the
    asks only of a question with two or more."""
    from govai.providers import extractive
    from govai.retrieval import retriever

    old_rerank = _old_module(rev, "src/govai/retrieval/rerank.py", "govai_today_rerank")
    old_extractive = _old_module(rev, "src/govai/providers/extractive.py", "govai_today_extractive")
    model = subprocess.run(["git", "show", f"{rev}:src/govai/answerability/model/answerability.json"], cwd=REPO,
                           check=True, capture_output=True, text=True).stdout
    composer = old_extractive.ExtractiveComposer()

    def compose(self, question, sources, evidence=None):
        if evidence is not None and len(evidence.asks) < 2:
            from dataclasses import replace

            evidence = replace(evidence, asks=[], ask_similarity=[])
        return composer.compose(question, sources, evidence)

    saved = retriever.rerank, extractive.ExtractiveComposer.compose
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(model)
    retriever.rerank = old_rerank.rerank
    extractive.ExtractiveComposer.compose = compose
    try:
        yield handle.name
    finally:
        retriever.rerank, extractive.ExtractiveComposer.compose = saved
        os.unlink(handle.name)


@contextlib.contextmanager
def hand_weights():
    """The product with the hand-set reranker and sentence weights instead of the learned files."""
    from govai.providers import extractive
    from govai.retrieval import rerank, selection

    saved = rerank.load_model, extractive.load_sentence_model
    rerank.load_model = lambda path=None: rerank.hand_model()
    extractive.load_sentence_model = lambda path=None: selection.hand_model()
    try:
        yield None
    finally:
        rerank.load_model, extractive.load_sentence_model = saved


def mode_context(mode: str, today_rev: str):
    if mode == "today":
        return today_product(today_rev)
    return hand_weights() if mode == "hand" else contextlib.nullcontext()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, nargs="+", default=QUESTIONS)
    parser.add_argument("--reuse", action="store_true", help="keep an existing knowledge base (ingest is incremental)")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--kb", default=KB, help="knowledge base to (re)build and query")
    parser.add_argument("--modes", nargs="+", default=MODES, choices=MODES)
    parser.add_argument("--today-rev", default=TODAY_REV, help="git revision whose product the 'today' mode runs")
    parser.add_argument("--out", type=Path, default=None, help="folder for every prediction (JSON Lines)")
    parser.add_argument("--no-cv", action="store_true", help="skip the leave-one-page-out cross-validation")
    args = parser.parse_args()

    profile = load_profile(args.profile)
    runtime = Runtime(profile)
    if not args.reuse and runtime.knowledge.get(args.kb):
        runtime.knowledge.delete(args.kb)
    sources = [SHARED / "corpus" / "govuk" / "pages.jsonl", SHARED / "corpus" / "legislation"]
    report = Ingester(runtime.knowledge, runtime.embedder, args.kb).run(sources)
    print(f"ingest: {report.files} files, {report.added + report.updated} documents written, "
          f"{report.chunks_written} chunks ({report.chunks_embedded} embedded) in {report.seconds:.1f}s "
          f"= {report.chunks_written / max(report.seconds, 1e-9):.1f} chunks/s; failures: {len(report.failures)}")
    if report.chunks_embedded:
        print(f"  baseline, same run: MiniLM alone embeds {embed_only_rate(runtime, args.kb):.1f} chunks/s "
              "(chunk vectors only: no reading, sentence vectors or writes)")

    sets = {path: qa.load_questions(path) for path in args.questions}
    # Warm-up: the model's kernels are prepared per input length, and the first pass over the
    # questions pays for that; without it, whichever mode ran first would look slowest.
    for rows in sets.values():
        for row in rows:
            runtime.embedder.embed([row["question"]])
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    results: dict[Path, dict[str, dict]] = {path: {} for path in sets}
    for mode in args.modes:
        with mode_context(mode, args.today_rev) as old_model:
            steps = []
            for s in profile.steps:
                if s.name == "retrieve":
                    retrieval = "full" if mode in ("today", "hand") else mode
                    s = s.model_copy(update={"options": {**s.options, "mode": retrieval}})
                elif s.name == "check_evidence" and old_model:
                    s = s.model_copy(update={"options": {**s.options, "model": old_model}})
                steps.append(s)
            rt = Runtime(profile.model_copy(update={"steps": steps, "kb": args.kb}))
            rt.ask("How do I claim Child Benefit?")  # warm-up: load models and the index
            for path, rows in sets.items():
                preds = {p["id"]: p for p in qa.run(rows, lambda q: answer_record(rt.ask(q)))}
                results[path][mode] = qa.score(rows, preds)
                if args.out:
                    with (args.out / f"{path.stem}.{mode}.jsonl").open("w", encoding="utf-8") as f:
                        for p in preds.values():
                            f.write(json.dumps(p, ensure_ascii=False) + "\n")

    metrics = ["recall@1", "recall@5", "recall@10", "mrr", "key_fact_accuracy", "abstention_on_unanswerable",
               "false_abstention", "citation_validity", "latency_p50_ms", "latency_p95_ms"]
    modes = [m for m in MODES if m in args.modes]
    for path, by_mode in results.items():
        print(f"\n{len(sets[path])} questions from {path.name}\n")
        print(f"{'metric':28}" + "".join(f"{m:>10}" for m in modes))
        for name in metrics:
            print(f"{name:28}" + "".join(f"{by_mode[m][name]:10.3f}" for m in modes))
    if not args.no_cv:
        print_cross_validation(runtime, args.kb)
    return 0


def print_cross_validation(runtime: Runtime, kb: str) -> None:
    """Leave-one-page-out figures of the learned reranker and sentence ranker on GovAI's own
    training questions (``python -m govai.retrieval.train --check``), beside the hand-set ones."""
    from govai.retrieval.retriever import Retriever
    from govai.retrieval.train import cross_validate, data_path, training_rows

    rows = training_rows(qa.load_questions(data_path()))
    cv = cross_validate(Retriever(runtime.knowledge, runtime.embedder), kb, rows)
    print(f"\nleave-one-page-out cross-validation: {cv.questions} training questions "
          f"(half citizen-style variants), {cv.pages} pages\n")
    print(f"{'metric':28}{'today':>10}{'full':>10}")
    for name in ("recall@1", "recall@5", "mrr"):
        print(f"{name:28}{cv.rerank_hand[name]:10.3f}{cv.rerank_learned[name]:10.3f}")
    report = cv.sentences
    print(f"{'top sentence has a key fact':28}{report['hand_top_sentence']:10.3f}"
          f"{report['top_sentence_holds_a_key_fact']:10.3f}")
    print(f"{'key_fact_accuracy':28}{report['hand_key_fact_accuracy']:10.3f}{report['key_fact_accuracy']:10.3f}")
    print("  (today: the hand-set reranker and sentence weights on the same folds; key facts judged on the\n"
          "   learned reranker's retrieval, so they compare sentence choice alone)")


if __name__ == "__main__":
    sys.exit(main())
