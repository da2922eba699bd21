"""Grounded answers on the shared corpus: retrieval quality, answer quality, latency, ingest speed.

    python bench/qa_bench.py [--questions ../shared/evalsets/dev-qa.jsonl] [--reuse]

Ingests both corpora (GOV.UK pages and the 2024 Acts) into a fresh knowledge base
and reports ingest throughput; then answers every question through the default
service pipeline with four retrieval modes measured in the same run:

  bm25    lexical only (baseline)
  dense   MiniLM + pgvector HNSW only (baseline)
  hybrid  reciprocal rank fusion of the two (baseline)
  full    fusion + GovAI's reranking (the product)

Latency is the whole pipeline per question, in process, including embedding the
question, after a warm-up pass over the questions' embeddings (no model generation:
the default composer is extractive).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
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

MODES = ["bm25", "dense", "hybrid", "full"]
KB = "bench-corpus"


def embed_only_rate(runtime: Runtime, kb: str, sample: int = 400) -> float:
    """Chunks/s of the bare embedder over a sample of the knowledge base's chunk texts."""
    chunks = runtime.knowledge.chunks(runtime.knowledge.require(kb))[:sample]
    texts = [f"{c.title}\n{' '.join(c.headings)}\n{c.text}" for c in chunks]
    start = time.perf_counter()
    runtime.embedder.embed(texts)
    return len(texts) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, default=SHARED / "evalsets" / "dev-qa.jsonl")
    parser.add_argument("--reuse", action="store_true", help="keep an existing knowledge base (ingest is incremental)")
    parser.add_argument("--profile", default="default")
    parser.add_argument("--kb", default=KB, help="knowledge base to (re)build and query")
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

    rows = qa.load_questions(args.questions)
    # Warm-up: the model's kernels are prepared per input length, and the first pass over the
    # questions pays for that; without it, whichever mode ran first would look slowest.
    for row in rows:
        runtime.embedder.embed([row["question"]])
    results = {}
    for mode in MODES:
        steps = [s.model_copy(update={"options": {**s.options, "mode": mode}}) if s.name == "retrieve" else s
                 for s in profile.steps]
        rt = Runtime(profile.model_copy(update={"steps": steps, "kb": args.kb}))
        rt.ask("How do I claim Child Benefit?")  # warm-up: load models and the index
        preds = {p["id"]: p for p in qa.run(rows, lambda q: answer_record(rt.ask(q)))}
        results[mode] = qa.score(rows, preds)

    metrics = ["recall@1", "recall@5", "recall@10", "mrr", "key_fact_accuracy", "abstention_on_unanswerable",
               "false_abstention", "citation_validity", "latency_p50_ms", "latency_p95_ms"]
    print(f"\n{len(rows)} questions from {args.questions.name}\n")
    print(f"{'metric':28}" + "".join(f"{m:>10}" for m in MODES) + f"{'full/bm25':>11}{'full/dense':>11}")
    for name in metrics:
        vals = [results[m][name] for m in MODES]
        ratio = lambda a, b: f"{a / b:11.2f}" if b else f"{'-':>11}"  # noqa: E731
        print(f"{name:28}" + "".join(f"{v:10.3f}" for v in vals)
              + ratio(results["full"][name], results["bm25"][name]) + ratio(results["full"][name], results["dense"][name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
