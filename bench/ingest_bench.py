"""Ingest throughput on the shared corpus, and dev retrieval quality per embedding option.

    python bench/ingest_bench.py [--sources PATH ...] [--runs NAME ...] [--no-quality]
                                 [--big-mb MB ...] [--big-runs NAME ...] [--json FILE]

All in one run, on the same machine and database:

  head           the ingest before issue 14 (``--baseline-rev``, a git worktree in /tmp: sequential,
                 row-by-row inserts, sentence vectors at ingest), default MiniLM: the baseline
  minilm         this tree, MiniLM, sentence vectors at ingest (eager)
  minilm-lazy    this tree, MiniLM, sentence vectors left to answering (lazy)
  onnx           this tree, minilm-onnx-int8, eager
  onnx-lazy      this tree, minilm-onnx-int8, lazy
  static         this tree, minilm-static, eager
  ray-onnx-lazy  onnx-lazy through a local Ray instance with 2 workers (Ray's start-up included)

Each ingest goes into a fresh knowledge base (``ib-<run>``) with the model already loaded (except
under Ray, whose workers load it); chunks/s is chunks written over the ingest's own seconds.
Quality: the dev QA set through the default service pipeline (qa_bench's 'full' mode, scored by
``govai.evals.qa`` as qa_bench does) against each run's knowledge base: recall@1/5, MRR, key facts,
latency.
``--big-mb``: a plain text file of that size made from the corpus text (every copy of a page
gets its own heading, so no chunk repeats), ingested by ``--big-runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SOURCES = [SHARED / "corpus" / "govuk" / "pages.jsonl", SHARED / "corpus" / "legislation"]
DEV = SHARED / "evalsets" / "dev-qa.jsonl"
HEAD_TREE = Path("/tmp/govai-ingest-bench-head")
# The last commit before issue 14's fast ingest: "today's" ingest the issue's 5x target is against.
# Pinned, so the baseline stays the same code once the fast ingest is committed.
BASELINE_REV = "af8c64b407bf0ad12f7f7cdb2b6982d168d1debd"

RUNS = {  # name -> (embedder, unit vectors, ray workers or 0)
    "minilm": ("minilm", "eager", 0),
    "minilm-lazy": ("minilm", "lazy", 0),
    "onnx": ("minilm-onnx-int8", "eager", 0),
    "onnx-lazy": ("minilm-onnx-int8", "lazy", 0),
    "static": ("minilm-static", "eager", 0),
    "ray-onnx-lazy": ("minilm-onnx-int8", "lazy", 2),
}
QUALITY_METRICS = ["recall@1", "recall@5", "mrr", "key_fact_accuracy", "latency_p50_ms", "latency_p95_ms"]

# Run in a subprocess against the baseline's source: its Ingester, its settings, this database.
HEAD_SCRIPT = """
import json, sys, time
from pathlib import Path
from govai.embeddings import get_embedder
from govai.ingest.pipeline import Ingester
from govai.runtime import Runtime
kb, sources = sys.argv[1], [Path(p) for p in sys.argv[2:]]
rt = Runtime()
if rt.knowledge.get(kb):
    rt.knowledge.delete(kb)
embedder = get_embedder("minilm")
embedder.embed(["warm up"])
report = Ingester(rt.knowledge, embedder, kb).run(sources)
print("RESULT " + json.dumps({"chunks": report.chunks_written, "seconds": report.seconds,
                              "failures": len(report.failures)}))
"""


def head_tree(rev: str) -> Path:
    """The baseline revision, checked out once into a git worktree under /tmp."""
    commit = subprocess.run(["git", "rev-parse", rev], cwd=REPO, check=True, capture_output=True,
                            text=True).stdout.strip()
    if (HEAD_TREE / "src").exists():
        current = subprocess.run(["git", "rev-parse", "HEAD"], cwd=HEAD_TREE, capture_output=True, text=True)
        if current.stdout.strip() == commit:
            return HEAD_TREE
        subprocess.run(["git", "worktree", "remove", "--force", str(HEAD_TREE)], cwd=REPO, check=False)
    subprocess.run(["git", "worktree", "add", "--detach", str(HEAD_TREE), commit], cwd=REPO, check=True,
                   capture_output=True)
    return HEAD_TREE


def ingest_head(kb: str, sources: list[Path], rev: str = BASELINE_REV) -> dict:
    env = {**os.environ, "PYTHONPATH": str(head_tree(rev) / "src")}
    out = subprocess.run([sys.executable, "-c", HEAD_SCRIPT, kb, *map(str, sources)], env=env, check=True,
                         capture_output=True, text=True, cwd=HEAD_TREE).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])


def ingest_here(kb: str, run: str, sources: list[Path]) -> dict:
    from govai.embeddings import get_embedder
    from govai.ingest.pipeline import Ingester, RayOptions
    from govai.runtime import Runtime

    name, units, workers = RUNS[run]
    rt = Runtime()
    if rt.knowledge.get(kb):
        rt.knowledge.delete(kb)
    embedder = get_embedder(name)
    embedder.embed(["warm up"])
    ray = RayOptions(workers=workers) if workers else None
    report = Ingester(rt.knowledge, embedder, kb, units=units, ray=ray).run(sources)
    return {"chunks": report.chunks_written, "seconds": report.seconds, "failures": len(report.failures)}


def quality(kb: str, embedder: str) -> dict[str, float]:
    """The dev QA set through the default service pipeline against ``kb``, answering with its
    embedder: qa_bench's 'full' mode, with the evaluation code it uses (``govai.evals.qa``) and
    without qa_bench's own ingest of the whole corpus (which would add to ``kb``)."""
    env = {**os.environ, "GOVAI_EMBEDDER": embedder}
    out = subprocess.run([sys.executable, __file__, "--quality-of", kb], env=env, check=True, capture_output=True,
                         text=True, cwd=REPO).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("QUALITY "))[8:])


def _quality_here(kb: str) -> None:
    from govai.evals import qa
    from govai.pipeline.answer import answer_record
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    rows = qa.load_questions(DEV)
    rt = Runtime(load_profile("default").model_copy(update={"kb": kb}))
    rt.ask("How do I claim Child Benefit?")  # warm-up: load the models, as qa_bench does
    for row in rows:
        rt.embedder.embed([row["question"]])
    preds = {p["id"]: p for p in qa.run(rows, lambda q: answer_record(rt.ask(q)))}
    scores = qa.score(rows, preds)
    print("QUALITY " + json.dumps({m: scores[m] for m in QUALITY_METRICS}))


def big_text(path: Path, megabytes: float) -> Path:
    """A plain text file of ``megabytes`` from the corpus text; each copy of a page has its own heading."""
    from govai.ingest.document import Document
    from govai.ingest.pipeline import expand_sources
    from govai.ingest.sources import reader_for

    pages = []
    for file, _ in expand_sources(SOURCES):
        for doc in reader_for(file).read(file):
            if isinstance(doc, Document):
                body = "\n\n".join(s.text for s in doc.sections if s.text.strip())
                pages.append((doc.title, body))
    target, parts, size, copy = int(megabytes * 1_000_000), ["Corpus text for the large file benchmark"], 0, 0
    while size < target:
        copy += 1
        for title, body in pages:
            part = f"{title}, copy {copy}\n\n{body}"
            parts.append(part)
            size += len(part.encode()) + 2
            if size >= target:
                break
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", nargs="*", default=["head", "onnx", "onnx-lazy", "static", "ray-onnx-lazy"],
                        choices=["head", *RUNS])
    parser.add_argument("--sources", type=Path, nargs="+", default=SOURCES,
                        help="what to ingest (default: the whole shared corpus)")
    parser.add_argument("--baseline-rev", default=BASELINE_REV, help="the revision the head run ingests with")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="no ingest: measure quality on the runs' existing knowledge bases")
    parser.add_argument("--quality-of", metavar="KB", help=argparse.SUPPRESS)  # the quality subprocess
    parser.add_argument("--big-mb", type=float, nargs="+", default=[20.0],
                        help="sizes of the large text files (0: none); each is ingested by every --big-runs")
    parser.add_argument("--big-runs", nargs="+", default=["onnx-lazy"], choices=["head", *RUNS])
    parser.add_argument("--json", type=Path, default=None, help="also write every figure here")
    args = parser.parse_args()
    if args.quality_of:
        _quality_here(args.quality_of)
        return 0
    if not SHARED.exists():
        sys.exit("../shared is not present")

    args.sources = [s.resolve() for s in args.sources]  # the baseline runs in another folder
    figures: dict[str, dict] = {}
    print(f"corpus: {', '.join(str(s) for s in args.sources)}; load average at start {os.getloadavg()[0]:.1f}", flush=True)
    for run in [] if args.reuse else args.runs:
        kb = f"ib-{run}"
        result = ingest_head(kb, args.sources, args.baseline_rev) if run == "head" else ingest_here(kb, run, args.sources)
        if not result["chunks"] or result["failures"]:
            sys.exit(f"{run}: {result['chunks']} chunks written, {result['failures']} failures; stopping")
        result["rate"] = result["chunks"] / max(result["seconds"], 1e-9)
        figures[run] = result
        print(f"{run:16} {result['chunks']:6} chunks in {result['seconds']:7.1f}s = {result['rate']:7.1f} chunks/s"
              f"  (load {os.getloadavg()[0]:.1f})", flush=True)
    base = figures.get("head")
    if base:
        print("\nchunks/s against the baseline (head), same run:")
        for run, result in figures.items():
            print(f"  {run:16} {result['rate'] / base['rate']:6.2f}x")

    if not args.no_quality:
        print("\ndev QA (the default pipeline, as qa_bench's full mode), per knowledge base:", flush=True)
        print(f"  {'run':16}" + "".join(f"{m:>18}" for m in QUALITY_METRICS))
        for run in args.runs:
            if run.startswith("ray-"):
                continue  # the same embedder and units as its single-process run: the same vectors
            embedder = "minilm" if run == "head" else RUNS[run][0]
            scores = quality(f"ib-{run}", embedder)
            figures.setdefault(run, {})["quality"] = scores
            print(f"  {run:16}" + "".join(f"{scores.get(m, float('nan')):18.3f}" for m in QUALITY_METRICS),
                  flush=True)
        if base and "quality" in base:
            print("\nwithin 0.01 of head's recall@5 and MRR:")
            for run, result in figures.items():
                q = result.get("quality")
                if q and run != "head":
                    ok = all(abs(q[m] - base["quality"][m]) <= 0.01 for m in ("recall@5", "mrr"))
                    print(f"  {run:16} {'yes' if ok else 'no'} (recall@5 {q['recall@5'] - base['quality']['recall@5']:+.3f},"
                          f" MRR {q['mrr'] - base['quality']['mrr']:+.3f})"
                          + (f"; {result['rate'] / base['rate']:.2f}x chunks/s" if "rate" in base else ""))

    for megabytes in (mb for mb in args.big_mb if mb > 0):
        big = big_text(Path("/tmp") / f"govai-ingest-bench-{megabytes:g}mb.txt", megabytes)
        print(f"\nlarge file: {big} ({big.stat().st_size / 1e6:.1f} MB)", flush=True)
        for run in args.big_runs:
            kb = f"ib-big-{run}"
            result = ingest_head(kb, [big], args.baseline_rev) if run == "head" else ingest_here(kb, run, [big])
            figures[f"big-{megabytes:g}mb-{run}"] = result
            print(f"  {run:16} {result['chunks']:6} chunks in {result['seconds']:7.1f}s"
                  f" = {result['chunks'] / max(result['seconds'], 1e-9):6.1f} chunks/s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
