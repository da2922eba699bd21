"""Retrieval served from the database, against the previous database path and the in-memory index,
measured in the same run.

    python bench/scale_bench.py quality [--kb bench-corpus] [--questions FILE ...] [--paths ...]
    python bench/scale_bench.py build --sizes 10000 100000 1000000 [--filler-only --real-chunks N]
    python bench/scale_bench.py scale [--kb bench-corpus] [--sizes 10000 100000 1000000] [--paths ...]

All need the shared corpus ingested first (``govai kb ingest ../shared/corpus/govuk/pages.jsonl
../shared/corpus/legislation --kb bench-corpus``), in the GOVAI_HOME (or DATABASE_URL) used here.

Paths: ``database`` (this release), ``previous`` (git revision ``--previous-rev``: BM25 over every
chunk holding a query term, whole candidate pages read and profiled per question) and ``memory``
(revision ``--baseline-rev``: every chunk's text, vectors and an in-memory BM25 loaded per worker).

``quality`` answers every question through the default service pipeline once per path and prints
recall@1/5, MRR, key-fact accuracy and latency for each.

``build`` makes knowledge bases of each size: synthetic filler (documents of 10 chunks; each chunk a
window of 60-160 consecutive words of the shared corpus, its terms GovAI's tokenizer's; its vector a
real chunk vector, drawn from those saved in ``--base-vectors``, plus Gaussian noise of norm 2,
normalised: cosine about 0.45 to the vector it copies) written with a binary COPY, its HNSW graph built
once, then the real corpus copied in and the lexicon (postings lists, page profiles) refreshed. A 1M
build takes about an hour on a loaded 2-core machine; ``--filler-only`` lets it start before the real
corpus is ingested.

``scale`` measures each size (built if missing) and path in a fresh worker process: seconds from models
loaded (for ``database``, the serving worker's warm-up done: ``Retriever.warm_up``, which the server runs
before it reports ready) to its first answer (and the retrieval part of it), retrieval latency p50/p95, resident memory
after the questions, recall@1/5 and MRR of the real pages among the filler, and for ``database`` the
share of lexical searches whose top k is provably exact. The baselines run up to
``--baseline-max-size`` only (at 1M the previous path takes tens of seconds a question and the
in-memory one gigabytes per worker).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import struct
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
# Retrieval from the database as first landed: BM25 over every chunk holding a query term, whole
# candidate pages read per question and profiled afresh.
PREVIOUS_REV = "cc5e3fc3d75bd8b23cf235d963006ff20211457f"
PATHS = ["database", "previous", "memory"]
QUALITY_SETS = [SHARED / "evalsets" / "dev-qa.jsonl", REPO / "bench" / "data" / "holdout-citizen-qa.jsonl"]
FILLER_DOC_CHUNKS = 10
FILLER_NOISE = 2.0  # noise norm against a unit vector: filler sits at cosine ~0.45 from the chunk it copies
HNSW_MEMORY = os.environ.get("SCALE_HNSW_MEMORY", "3GB")  # a 1M-chunk graph needs about 2 GB to build in memory


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
    lexical = _old_module(rev, "src/govai/retrieval/lexical.py", "govai_baseline_lexical")
    # Today's reranker also asks the index for the idf of each query term.
    lexical.BM25Index.weights = lambda self, query: {
        t: self._idf[t] for t in dict.fromkeys(lexical.tokenize(query)) if t in self._idf}
    old = _old_module(rev, "src/govai/retrieval/retriever.py", "govai_baseline_retriever", {
        "from govai.retrieval.lexical import BM25Index": "from govai_baseline_lexical import BM25Index"})

    class InMemory(old.Retriever):
        def index(self, kb_name, sources=None):  # the index was one object per knowledge base
            return super().index(kb_name)

    return InMemory(store, embedder)


def previous_retriever(rev: str, db, embedder):
    """The database-served Retriever and KnowledgeStore of git revision ``rev``."""
    store_module = _old_module(rev, "src/govai/store/knowledge.py", "govai_previous_knowledge")
    old = _old_module(rev, "src/govai/retrieval/retriever.py", "govai_previous_retriever", {
        "from govai.store.knowledge import": "from govai_previous_knowledge import"})
    return old.Retriever(store_module.KnowledgeStore(db), embedder)


def _retriever(path: str, args, rt):
    if path == "memory":
        return baseline_retriever(args.baseline_rev, rt.knowledge, rt.embedder)
    if path == "previous":
        return previous_retriever(args.previous_rev, rt.knowledge.db, rt.embedder)
    return rt.retriever


def _seconds_since_process_start() -> float:
    """From this process's start (its start time in clock ticks since boot, /proc/self/stat) to now
    (/proc/uptime): both count from boot, so no wall-clock rounding enters (psutil's create_time adds
    the boot time, which /proc/stat gives in whole seconds: up to a second off)."""
    with open("/proc/self/stat", encoding="ascii") as f:
        started = int(f.read().rpartition(")")[2].split()[19]) / os.sysconf("SC_CLK_TCK")
    with open("/proc/uptime", encoding="ascii") as f:
        return float(f.read().split()[0]) - started


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
    for path_name in args.paths:
        rt = Runtime(profile)
        rt.services.retriever = _retriever(path_name, args, rt)
        start = time.perf_counter()
        rt.ask("How do I claim Child Benefit?")
        print(f"{path_name}: first answer {time.perf_counter() - start:.2f}s (models loaded, index warmed)")
        for path, rows in sets.items():
            preds = {p["id"]: p for p in qa.run(rows, lambda q, rt=rt: answer_record(rt.ask(q)))}
            results[path][path_name] = qa.score(rows, preds)
            print(f"  {path.name} {path_name}: " + json.dumps({k: round(v, 3) for k, v in results[path][path_name].items()
                                                           if isinstance(v, float)}), flush=True)
    metrics = ["recall@1", "recall@5", "mrr", "key_fact_accuracy", "abstention_on_unanswerable",
               "citation_validity", "latency_p50_ms", "latency_p95_ms"]
    for path, by in results.items():
        print(f"\n{len(sets[path])} questions from {path.name} (whole pipeline)\n")
        print(f"{'metric':28}" + "".join(f"{m:>24}" for m in by))
        for name in metrics:
            print(f"{name:28}" + "".join(f"{by[m][name]:24.3f}" for m in by))


# --------------------------------------------------------------------------------------------- scale
def _corpus_words() -> list[str]:
    """The shared corpus's words, in order (GOV.UK page bodies and legislation text)."""
    words: list[str] = []
    for line in (SHARED / "corpus" / "govuk" / "pages.jsonl").open(encoding="utf-8"):
        page = json.loads(line)
        words += f"{page.get('title', '')} {page.get('body_markdown') or ''}".split()
    for path in sorted((SHARED / "corpus" / "legislation").glob("*.txt")):
        words += path.read_text(encoding="utf-8").split()
    return words


def _base_vectors(store, source_kb, path: Path):
    """Real chunk vectors the filler's vectors are drawn near, saved once so every size uses the same."""
    import numpy as np

    if path.exists():
        return np.load(path)
    from govai.store.knowledge import _as_array

    rows = store.conn.execute("SELECT embedding FROM chunk WHERE kb_id = %s ORDER BY id", (source_kb.id,)).fetchall()
    base = np.stack([_as_array(r[0]) for r in rows])
    np.save(path, base)
    return base


def _tsvector_bin(counts: dict[str, int]) -> bytes:
    """A tsvector in PostgreSQL's binary COPY form: the terms, positions 1..tf (see ``chunk_terms``)."""
    out = [struct.pack(">i", len(counts))]
    for term, tf in counts.items():
        tf = min(tf, 256)
        out.append(term.encode() + b"\0" + struct.pack(f">H{tf}H", tf, *range(1, tf + 1)))
    return b"".join(out)


def _field(data: bytes) -> bytes:
    return struct.pack(">i", len(data)) + data


def _fill(store, kb, chunks: int, base, words: list[str], seed: int) -> None:
    """Append ``chunks`` synthetic chunks (documents of FILLER_DOC_CHUNKS) to ``kb`` with a binary COPY.
    Each chunk is a window of 60-160 consecutive corpus words (its terms are GovAI's tokenizer's, as
    ``chunk_terms`` gives them); its vector a random real vector plus noise, normalised."""
    from collections import Counter

    import numpy as np

    from govai.retrieval.lexical import tokenize

    conn = store.conn
    rng = np.random.default_rng(seed)
    word_terms = [tokenize(w) for w in words]  # a word's terms do not depend on its neighbours
    doc_no = conn.execute("SELECT count(*) FROM document WHERE kb_id = %s AND origin = 'filler'", (kb.id,)
                          ).fetchone()[0]
    header = struct.pack(">hh", base.shape[1], 0)  # pgvector binary: dimensions, unused
    remaining = chunks
    while remaining > 0:
        batch = min(remaining, 20_000)
        docs = (batch + FILLER_DOC_CHUNKS - 1) // FILLER_DOC_CHUNKS
        with conn.transaction():
            ids = [r[0] for r in conn.execute(
                "INSERT INTO document (kb_id, source_id, origin, kind, title, url, content_hash)"
                " SELECT %s, '/filler/' || g, 'filler', 'govuk', 'Filler page ' || g, 'https://example.invalid/' || g,"
                " 'filler' FROM generate_series(%s::int, %s::int) g ORDER BY g RETURNING id",
                (kb.id, doc_no, doc_no + docs - 1))]
            noise = rng.normal(size=(batch, base.shape[1])).astype(np.float32)
            noise *= FILLER_NOISE / np.linalg.norm(noise, axis=1, keepdims=True)
            vecs = base[rng.integers(0, len(base), batch)] + noise
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            vec_bytes = vecs.astype(">f4").tobytes()
            width = 4 * base.shape[1]
            starts = rng.integers(0, len(words) - 160, batch)
            lengths = rng.integers(60, 160, batch)
            buf = [b"PGCOPY\n\xff\r\n\0" + struct.pack(">ii", 0, 0)]
            kb_field = _field(struct.pack(">i", kb.id))
            for i in range(batch):
                a, n = int(starts[i]), int(lengths[i])
                number = doc_no + i // FILLER_DOC_CHUNKS
                counts = Counter(["filler", "page", str(number)])
                for terms in word_terms[a:a + n]:
                    counts.update(terms)
                buf.append(b"".join((
                    struct.pack(">h", 8), kb_field, _field(struct.pack(">q", ids[i // FILLER_DOC_CHUNKS])),
                    _field(struct.pack(">i", i % FILLER_DOC_CHUNKS)), _field(" ".join(words[a:a + n]).encode()),
                    _field(f"filler-{doc_no}-{i}".encode()),
                    _field(header + vec_bytes[i * width:(i + 1) * width]),
                    _field(_tsvector_bin(counts)), _field(struct.pack(">i", sum(counts.values()))),
                )))
            buf.append(struct.pack(">h", -1))
            with conn.cursor().copy("COPY chunk (kb_id, document_id, ord, text, content_hash, embedding, terms,"
                                    " n_terms) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(b"".join(buf))
        doc_no += docs
        remaining -= batch
        print(f"  {kb.name}: +{chunks - remaining} filler chunks", flush=True)


def _copy_real(store, source_kb, kb) -> int:
    """Copy the real corpus (``source_kb``'s documents and chunks) into ``kb``, once."""
    conn = store.conn
    if conn.execute("SELECT 1 FROM document WHERE kb_id = %s AND origin <> 'filler' LIMIT 1", (kb.id,)).fetchone():
        return 0
    with conn.transaction():
        conn.execute(
            "INSERT INTO document (kb_id, source_id, origin, kind, title, url, content_hash, metadata)"
            " SELECT %s, source_id, origin, kind, title, url, content_hash, metadata FROM document WHERE kb_id = %s",
            (kb.id, source_kb.id))
        return conn.execute(
            "INSERT INTO chunk (kb_id, document_id, ord, anchor, headings, text, content_hash, embedding, flags,"
            " unit_vectors, link, terms, n_terms) SELECT %s, nd.id, c.ord, c.anchor, c.headings, c.text,"
            " c.content_hash, c.embedding, c.flags, c.unit_vectors, c.link, c.terms, c.n_terms"
            " FROM chunk c JOIN document od ON od.id = c.document_id"
            " JOIN document nd ON nd.kb_id = %s AND nd.source_id = od.source_id WHERE c.kb_id = %s",
            (kb.id, kb.id, source_kb.id)).rowcount


def _filler_kb(store, source_kb, name: str, size: int, *, real_chunks: int, base_path: Path, seed: int = 14,
               with_real: bool = True) -> None:
    """A knowledge base of about ``size`` chunks: synthetic filler (built first, with its HNSW graph
    built once over all of it) and a copy of ``source_kb`` (the real corpus, inserted after)."""
    from govai.store.knowledge import _index_sql

    kb = store.ensure(name, source_kb.embedder, source_kb.dim)
    conn = store.conn
    filler = conn.execute("SELECT count(*) FROM chunk c JOIN document d ON d.id = c.document_id"
                          " WHERE c.kb_id = %s AND d.origin = 'filler'", (kb.id,)).fetchone()[0]
    wanted = size - real_chunks
    if filler < wanted and (filler == 0 or wanted - filler > size // 100):  # within 1%: the size is reached
        t = time.perf_counter()
        store.drop_index(kb)  # built once at the end: faster and a better graph
        conn.execute(f"DROP INDEX IF EXISTS chunk_terms_kb{int(kb.id)}")  # made again by the lexicon refresh
        _fill(store, kb, wanted - filler, _base_vectors(store, source_kb, base_path), _corpus_words(), seed + filler)
        print(f"  {name}: filler written in {time.perf_counter() - t:.0f}s", flush=True)
    if not store.has_index(kb):
        t = time.perf_counter()
        with conn.transaction():
            conn.execute(f"SET LOCAL maintenance_work_mem = '{HNSW_MEMORY}'")
            conn.execute("SET LOCAL max_parallel_maintenance_workers = 1")
            conn.execute(_index_sql(kb.id, kb.dim))
        print(f"  {name}: HNSW built in {time.perf_counter() - t:.0f}s", flush=True)
    if not with_real:
        return
    t = time.perf_counter()
    added = _copy_real(store, source_kb, kb)
    if added:
        print(f"  {name}: {added} real chunks copied in {time.perf_counter() - t:.0f}s", flush=True)
    if added or not store.require(name).lexicon_current:
        t = time.perf_counter()
        store.bump_revision(kb)
        print(f"  {name}: lexicon and page profiles refreshed in {time.perf_counter() - t:.0f}s", flush=True)


def build(args) -> None:
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    rt = Runtime(load_profile("default"))
    store = rt.knowledge
    source = store.require(args.kb)
    real = args.real_chunks or store.conn.execute("SELECT count(*) FROM chunk WHERE kb_id = %s", (source.id,)
                                                  ).fetchone()[0]
    for size in args.sizes:
        t = time.perf_counter()
        _filler_kb(store, source, f"{args.kb}-scale-{size}", size, real_chunks=real, base_path=args.base_vectors,
                   with_real=not args.filler_only)
        print(f"{size}: built in {time.perf_counter() - t:.0f}s", flush=True)


def worker(args) -> None:
    """One fresh worker: time to first answer, retrieval latency, resident memory, recall@5."""
    t0 = time.perf_counter()

    from govai.evals import qa
    from govai.profiles import load_profile
    from govai.retrieval.retriever import Mode
    from govai.runtime import Runtime

    rt = Runtime(load_profile("default").model_copy(update={"kb": args.kb}))
    if args.path == "database":
        rt.retriever.warm_up(args.kb)  # what a serving worker does before it reports ready (server/state.py)
    else:  # the baselines: the model only, so that loading their index is timed
        rt.embedder.embed(["warm the embedder"])
    t_model = time.perf_counter()
    retriever = _retriever(args.path, args, rt)
    exact: list[bool] = []
    if args.path == "database":
        lexical = rt.knowledge.lexical

        def counted(*a, **k):
            out = lexical(*a, **k)
            if k.get("among") is None:
                exact.append(rt.knowledge.last_lexical_exact)
            return out

        rt.knowledge.lexical = counted
    rows = [r for r in qa.load_questions(args.questions[0]) if r.get("expected_sources")][:args.limit]
    first_vector = rt.embedder.embed([rows[0]["question"]])[0]  # the model's first real inference: not the index
    t_embedded = time.perf_counter()
    retriever.search(args.kb, rows[0]["question"], vector=first_vector, mode=Mode.FULL)
    first = time.perf_counter() - t_model
    first_retrieval = time.perf_counter() - t_embedded
    since_start = _seconds_since_process_start()
    vectors = rt.embedder.embed([r["question"] for r in rows])
    times, hits, ranks = [], [], []
    for row, vec in zip(rows, vectors, strict=True):
        s = time.perf_counter()
        found = retriever.search(args.kb, row["question"], vector=vec, mode=Mode.FULL)
        times.append((time.perf_counter() - s) * 1000)
        gold = {qa.normalise_id(x) for x in row["expected_sources"]}
        ranked = [qa.normalise_id(sid) for sid in found.ranked]
        hits.append(any(sid in gold for sid in ranked[:5]))
        ranks.append(next((i for i, sid in enumerate(ranked) if sid in gold), None))
    times.sort()
    print(json.dumps({
        "first_answer_s": first, "first_retrieval_s": first_retrieval,
        "process_start_to_first_answer_s": since_start, "model_load_s": t_model - t0,
        "p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))],
        "rss_mb": _rss_mb(), "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "recall@1": sum(r == 0 for r in ranks) / len(rows), "recall@5": sum(hits) / len(hits),
        "mrr": sum(1 / (r + 1) for r in ranks if r is not None) / len(rows), "questions": len(rows),
        "lexical_exact": (sum(exact) / len(exact)) if exact else float("nan"),
    }))


def scale(args) -> None:
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    rt = Runtime(load_profile("default"))
    store = rt.knowledge
    source = rt.retriever.knowledge_base(args.kb)
    real = store.conn.execute("SELECT count(*) FROM chunk WHERE kb_id = %s", (source.id,)).fetchone()[0]
    print(f"real corpus: {real} chunks in {args.kb}", flush=True)
    table = []
    for size in args.sizes:
        name = f"{args.kb}-scale-{size}"
        _filler_kb(store, source, name, size, real_chunks=real, base_path=args.base_vectors)
        rt.retriever.knowledge_base(name)  # the lexicon and page profiles are current before any worker starts
        chunks = store.conn.execute("SELECT count(*) FROM chunk WHERE kb_id = %s", (store.require(name).id,)
                                    ).fetchone()[0]
        for path in args.paths:
            if path != "database" and size > args.baseline_max_size:
                continue
            out = subprocess.run(
                [sys.executable, __file__, "worker", "--kb", name, "--path", path, "--baseline-rev", args.baseline_rev,
                 "--previous-rev", args.previous_rev, "--questions", str(args.questions[0]),
                 "--limit", str(args.limit)],
                capture_output=True, text=True, env=os.environ.copy())
            if out.returncode != 0:
                print(out.stderr[-2000:])
                continue
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            table.append((chunks, path, figures))
            print(f"{chunks:>9} {path:8} {json.dumps({k: round(v, 3) for k, v in figures.items()})}", flush=True)
    print(f"\n{'chunks':>9} {'path':10}{'first s':>9}{'retrieval s':>12}{'start-first s':>15}{'p50 ms':>9}"
          f"{'p95 ms':>9}{'RSS MB':>9}{'R@1':>7}{'R@5':>7}{'MRR':>7}{'exact':>7}")
    for chunks, path, f in table:
        print(f"{chunks:>9} {path:10}{f['first_answer_s']:9.2f}{f['first_retrieval_s']:12.2f}"
              f"{f['process_start_to_first_answer_s']:15.2f}"
              f"{f['p50_ms']:9.1f}{f['p95_ms']:9.1f}{f['rss_mb']:9.0f}{f['recall@1']:7.3f}{f['recall@5']:7.3f}"
              f"{f['mrr']:7.3f}{f['lexical_exact']:7.2f}")
    smallest = {path: f for chunks, path, f in table if chunks == min(c for c, _, _ in table)}
    print("\nagainst the smallest size, same path (targets at 1M: p95 <= 3x, RSS <= 1.5x):")
    for chunks, path, f in table:
        if path in smallest:
            base = smallest[path]
            print(f"{chunks:>9} {path:10} p95 x{f['p95_ms'] / base['p95_ms']:.2f}  RSS x{f['rss_mb'] / base['rss_mb']:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["quality", "build", "scale", "worker"])
    parser.add_argument("--kb", default="bench-corpus")
    parser.add_argument("--questions", type=Path, nargs="+", default=QUALITY_SETS)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--previous-rev", default=PREVIOUS_REV)
    parser.add_argument("--paths", nargs="+", default=PATHS, choices=PATHS)
    parser.add_argument("--path", choices=PATHS, default="database")
    parser.add_argument("--limit", type=int, default=1000, help="scale: at most this many questions per worker")
    parser.add_argument("--baseline-max-size", type=int, default=100_000,
                        help="scale: run the previous and in-memory paths only up to this size")
    parser.add_argument("--real-chunks", type=int, default=0,
                        help="build: chunks the real corpus will add (default: as many as --kb holds now)")
    parser.add_argument("--filler-only", action="store_true",
                        help="build: filler and its HNSW graph only (the real corpus can be added by a later build)")
    parser.add_argument("--base-vectors", type=Path, default=Path(os.environ.get("GOVAI_HOME", "/tmp")) / "scale-base.npy",
                        help="build: the real vectors filler is drawn near, saved on first use")
    args = parser.parse_args()
    {"quality": quality, "build": build, "scale": scale, "worker": worker}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
