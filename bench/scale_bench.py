"""Retrieval served from the database against today's in-memory index, measured in the same run.

    python bench/scale_bench.py quality [--kb bench-corpus] [--questions FILE ...]
    python bench/scale_bench.py scale [--kb bench-corpus] [--sizes 10000 100000] [--questions FILE]

Both need the shared corpus ingested first (``govai kb ingest ../shared/corpus/govuk/pages.jsonl
../shared/corpus/legislation --kb bench-corpus``), in the GOVAI_HOME (or DATABASE_URL) used here.

``quality`` answers every question through the default service pipeline twice: with retrieval
served from the database (the product) and with the baseline, the in-memory index of git revision
``--baseline-rev`` (every chunk's text, vector and sentence vectors plus an in-memory BM25, loaded
per worker); it prints recall@1/5, MRR, key-fact accuracy and latency for each.

``scale`` builds knowledge bases of each size: the real corpus inside synthetic filler (documents of
10 chunks whose text is drawn from the corpus's own word frequencies and whose vectors are real
chunk vectors with strong noise, so they crowd the real ones). For each size and each path it starts
a fresh worker process and reports the seconds from start to its first answer, retrieval latency
p50/p95 over the questions, resident memory after them, and recall@5 of the real pages.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BASELINE_REV = "bb5a31fcfc9d333842e3a34c8a05e72740751935"  # main before issue 14: the in-memory index
QUALITY_SETS = [SHARED / "evalsets" / "dev-qa.jsonl", REPO / "bench" / "data" / "holdout-citizen-qa.jsonl"]
FILLER_DOC_CHUNKS = 10
FILLER_NOISE = 2.0  # noise norm against a unit vector: filler sits at cosine ~0.45 from the chunk it copies


def _old_module(rev: str, path: str, name: str, replace: dict[str, str] | None = None) -> types.ModuleType:
    source = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, check=True, capture_output=True,
                            text=True).stdout
    for old, new in (replace or {}).items():
        source = source.replace(old, new)
    module = types.ModuleType(name)
    module.__file__ = f"{rev[:7]}:{path}"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102 - our own history
    return module


def baseline_retriever(rev: str, store, embedder):
    """Today's Retriever: the whole knowledge base in memory per worker, BM25 built on first use."""
    _old_module(rev, "src/govai/retrieval/lexical.py", "govai_baseline_lexical")
    old = _old_module(rev, "src/govai/retrieval/retriever.py", "govai_baseline_retriever", {
        "from govai.retrieval.lexical import BM25Index": "from govai_baseline_lexical import BM25Index"})

    class InMemory(old.Retriever):
        def index(self, kb_name, sources=None):  # the index was one object per knowledge base
            return super().index(kb_name)

    return InMemory(store, embedder)


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# ------------------------------------------------------------------------------------------- quality
def quality(args) -> None:
    from govai.evals import qa
    from govai.pipeline.answer import answer_record
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    profile = load_profile("default").model_copy(update={"kb": args.kb})
    sets = {p: qa.load_questions(p) for p in args.questions}
    results: dict[Path, dict[str, dict]] = {p: {} for p in sets}
    for path_name in ("in-memory (baseline)", "database"):
        rt = Runtime(profile)
        if path_name.startswith("in-memory"):
            rt.services.retriever = baseline_retriever(args.baseline_rev, rt.knowledge, rt.embedder)
        start = time.perf_counter()
        rt.ask("How do I claim Child Benefit?")
        print(f"{path_name}: first answer {time.perf_counter() - start:.2f}s (models loaded, index warmed)")
        for path, rows in sets.items():
            preds = {p["id"]: p for p in qa.run(rows, lambda q, rt=rt: answer_record(rt.ask(q)))}
            results[path][path_name] = qa.score(rows, preds)
    metrics = ["recall@1", "recall@5", "mrr", "key_fact_accuracy", "abstention_on_unanswerable",
               "citation_validity", "latency_p50_ms", "latency_p95_ms"]
    for path, by in results.items():
        print(f"\n{len(sets[path])} questions from {path.name} (whole pipeline)\n")
        print(f"{'metric':28}" + "".join(f"{m:>24}" for m in by))
        for name in metrics:
            print(f"{name:28}" + "".join(f"{by[m][name]:24.3f}" for m in by))


# --------------------------------------------------------------------------------------------- scale
def _filler_kb(store, source_kb, name: str, size: int, seed: int = 14) -> None:
    """A knowledge base of ``size`` chunks: a copy of ``source_kb`` plus synthetic filler."""
    import numpy as np

    from govai.store.knowledge import chunk_terms

    if store.get(name) and store.require(name).n_chunks == size:
        return
    if store.get(name):
        store.delete(name)
    kb = store.ensure(name, source_kb.embedder, source_kb.dim)
    conn = store.conn
    store.drop_index(kb)  # built once at the end: faster and a better graph
    with conn.transaction():
        conn.execute(
            "INSERT INTO document (kb_id, source_id, origin, kind, title, url, content_hash, metadata)"
            " SELECT %s, source_id, origin, kind, title, url, content_hash, metadata FROM document WHERE kb_id = %s",
            (kb.id, source_kb.id))
        conn.execute(
            "INSERT INTO chunk (kb_id, document_id, ord, anchor, headings, text, content_hash, embedding, flags,"
            " unit_vectors, link, terms, n_terms) SELECT %s, nd.id, c.ord, c.anchor, c.headings, c.text,"
            " c.content_hash, c.embedding, c.flags, c.unit_vectors, c.link, c.terms, c.n_terms"
            " FROM chunk c JOIN document od ON od.id = c.document_id"
            " JOIN document nd ON nd.kb_id = %s AND nd.source_id = od.source_id WHERE c.kb_id = %s",
            (kb.id, kb.id, source_kb.id))
    real = store.chunks(source_kb, with_vectors=True)
    rng = np.random.default_rng(seed)
    words = " ".join(c.text for c in real).split()
    base = np.stack([c.embedding for c in real])
    remaining = size - len(real)
    doc_no = 0
    while remaining > 0:
        batch = min(remaining, 20_000)
        docs = (batch + FILLER_DOC_CHUNKS - 1) // FILLER_DOC_CHUNKS
        with conn.transaction():
            ids = [r[0] for r in conn.execute(
                "INSERT INTO document (kb_id, source_id, origin, kind, title, url, content_hash)"
                " SELECT %s, '/filler/' || g, 'filler', 'govuk', 'Filler page ' || g, 'https://example.invalid/' || g,"
                " 'filler' FROM generate_series(%s::int, %s::int) g RETURNING id", (kb.id, doc_no, doc_no + docs - 1))]
            doc_no += docs
            noise = rng.normal(size=(batch, base.shape[1])).astype(np.float32)
            noise *= FILLER_NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
            vecs = base[rng.integers(0, len(base), batch)] + noise
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            buf = io.StringIO()
            for i in range(batch):
                start = int(rng.integers(0, len(words) - 160))
                text = " ".join(words[start:start + int(rng.integers(60, 160))])
                title = f"Filler page {ids[i // FILLER_DOC_CHUNKS]}"
                terms, n_terms = chunk_terms(title, [], text)
                vec = "[" + ",".join(f"{v:.5f}" for v in vecs[i]) + "]"
                row = [str(kb.id), str(ids[i // FILLER_DOC_CHUNKS]), str(i % FILLER_DOC_CHUNKS), text,
                       f"filler-{doc_no}-{i}", vec, terms, str(n_terms)]
                buf.write("\t".join(v.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ") for v in row) + "\n")
            with conn.cursor().copy("COPY chunk (kb_id, document_id, ord, text, content_hash, embedding, terms,"
                                    " n_terms) FROM STDIN") as copy:
                copy.write(buf.getvalue())
        remaining -= batch
        print(f"  {name}: {size - remaining} chunks", flush=True)
    start = time.perf_counter()
    store.rebuild_index(kb)
    store.bump_revision(kb)
    print(f"  {name}: HNSW and lexicon built in {time.perf_counter() - start:.0f}s", flush=True)


def worker(args) -> None:
    """One fresh worker: time to first answer, retrieval latency, resident memory, recall@5."""
    t0 = time.perf_counter()
    from govai.evals import qa
    from govai.retrieval.retriever import Mode
    from govai.runtime import Runtime
    from govai.profiles import load_profile

    rt = Runtime(load_profile("default").model_copy(update={"kb": args.kb}))
    rt.embedder.embed(["warm the embedder"])  # the model loads in both paths: time the index, not the model
    t_model = time.perf_counter()
    retriever = rt.retriever
    if args.path == "memory":
        retriever = baseline_retriever(args.baseline_rev, rt.knowledge, rt.embedder)
    rows = [r for r in qa.load_questions(args.questions[0]) if r.get("expected_sources")]
    retriever.search(args.kb, rows[0]["question"], mode=Mode.FULL)
    first = time.perf_counter() - t_model
    vectors = rt.embedder.embed([r["question"] for r in rows])
    times, hits = [], []
    for row, vec in zip(rows, vectors, strict=True):
        s = time.perf_counter()
        found = retriever.search(args.kb, row["question"], vector=vec, mode=Mode.FULL)
        times.append((time.perf_counter() - s) * 1000)
        gold = {qa.normalise_id(x) for x in row["expected_sources"]}
        hits.append(any(qa.normalise_id(sid) in gold for sid in found.ranked[:5]))
    times.sort()
    print(json.dumps({
        "first_answer_s": first, "model_load_s": t_model - t0,
        "p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))],
        "rss_mb": _rss_mb(), "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "recall@5": sum(hits) / len(hits), "questions": len(rows),
    }))


def scale(args) -> None:
    from govai.runtime import Runtime
    from govai.profiles import load_profile

    rt = Runtime(load_profile("default"))
    store = rt.knowledge
    source = rt.retriever.knowledge_base(args.kb)
    print(f"real corpus: {source.n_chunks} chunks in {args.kb}")
    table = []
    for size in args.sizes:
        name = f"{args.kb}-scale-{size}"
        _filler_kb(store, source, name, size)
        for path in args.paths:
            out = subprocess.run(
                [sys.executable, __file__, "worker", "--kb", name, "--path", path, "--baseline-rev", args.baseline_rev,
                 "--questions", str(args.questions[0])],
                capture_output=True, text=True, env=os.environ.copy())
            if out.returncode != 0:
                print(out.stderr[-2000:])
                continue
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            table.append((size, path, figures))
            print(f"{size:>9} {path:8} {json.dumps({k: round(v, 3) for k, v in figures.items()})}", flush=True)
    print(f"\n{'chunks':>9} {'path':10}{'first answer s':>16}{'p50 ms':>9}{'p95 ms':>9}{'RSS MB':>9}{'recall@5':>10}")
    for size, path, f in table:
        print(f"{size:>9} {path:10}{f['first_answer_s']:16.2f}{f['p50_ms']:9.1f}{f['p95_ms']:9.1f}"
              f"{f['rss_mb']:9.0f}{f['recall@5']:10.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["quality", "scale", "worker"])
    parser.add_argument("--kb", default="bench-corpus")
    parser.add_argument("--questions", type=Path, nargs="+", default=QUALITY_SETS)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--paths", nargs="+", default=["database", "memory"], choices=["database", "memory"])
    parser.add_argument("--path", choices=["database", "memory"], default="database")
    args = parser.parse_args()
    {"quality": quality, "scale": scale, "worker": worker}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
