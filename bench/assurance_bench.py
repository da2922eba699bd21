"""Where an evaluation run's time goes: ``govai eval run`` on the full shared development sets.

    python bench/assurance_bench.py --kb shared                 # two passes, several minutes each
    python bench/assurance_bench.py --profile services/x.yaml --passes 1 --json out.json

The knowledge base must exist (``govai kb ingest ../shared/corpus/govuk/pages.jsonl
../shared/corpus/legislation --kb shared``). With ``--kb`` a profile of the default pipeline on
that knowledge base is written here; ``--profile`` evaluates a service of your own. Every suite
runs on the full sets (``$GOVAI_SHARED`` or ``--shared``: dev-qa, the guardrail sets, the
personal-data set; the shipped fairness, robustness and leak sets), exactly as ``govai eval run``
runs them, and each pass is a stored run.

Pass 1 starts from an empty embedding cache (a temporary folder): the time a first evaluation
takes. Pass 2 reads the vectors pass 1 kept (``assurance/embedcache.py``): the time of every later
evaluation of the same questions. For each pass it prints the seconds per suite (the tasks of the
suite, GovAI's work in them and Inspect's share), the fixed costs (loading and checking the
datasets, the inventory, the warm-up, the report) and the total against the 5-minute budget of
issue 15; then pass 2 as a ratio of pass 1, suite by suite. The figures of the two passes must be
equal (a cached vector is the model's vector): the script says so or lists the figures that differ.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BUDGET_S = 300.0


def suite_seconds(run: Any) -> dict[str, dict[str, float]]:
    from govai.assurance.runs import SUITE_TASKS

    per_task = run.results["timing"]["per_task"]
    out: dict[str, dict[str, float]] = {}
    for suite in run.suites:
        tasks = [per_task[t] for t, _ in SUITE_TASKS[suite] if t in per_task]
        out[suite] = {"seconds": sum(t["seconds"] for t in tasks),
                      "govai_seconds": sum(t["solver_seconds"] for t in tasks),
                      "inspect_seconds": sum(t["inspect_overhead_seconds"] for t in tasks),
                      "samples": sum(t["samples"] for t in tasks)}
    return out


def figures_of(run: Any) -> dict[str, Any]:
    return {f"{suite}.{name}": value for suite, entry in run.results["suites"].items()
            for name, value in entry["figures"].items()}


def show(label: str, run: Any, wall: float) -> dict[str, Any]:
    timing = run.results["timing"]
    suites = suite_seconds(run)
    print(f"\n{label}: {wall:.1f} s wall ({timing['total_seconds']:.1f} s inside the run, "
          f"{'within' if wall <= BUDGET_S else 'OVER'} the {BUDGET_S:.0f} s budget)")
    print("| part | samples | seconds | GovAI's work s | Inspect's share s |")
    print("|---|---:|---:|---:|---:|")
    for name, key in (("load and check the datasets", "load_and_check_seconds"), ("inventory", "inventory_seconds"),
                      ("warm-up", "warm_up_seconds")):
        print(f"| {name} | | {timing.get(key, 0):.1f} | | |")
    for suite, t in suites.items():
        print(f"| suite {suite} | {t['samples']} | {t['seconds']:.1f} | {t['govai_seconds']:.1f} | "
              f"{t['inspect_seconds']:.1f} |")
    print(f"| report | | {timing.get('report_seconds', 0):.1f} | | |")
    print(f"pipeline: {timing['pipeline_calls']} questions answered in {timing['pipeline_seconds']:.1f} s "
          f"({1000 * timing['pipeline_seconds'] / max(1, timing['pipeline_calls']):.0f} ms each)")
    cache = timing.get("embedding_cache")
    if cache:
        print(f"embedding cache: {cache['from_cache']} of {cache['texts']} texts from the cache, "
              f"{cache['embedded']} embedded by the model")
    return {"wall_seconds": wall, "timing": timing, "suites": suites}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--kb", help="evaluate the default pipeline on this knowledge base")
    where.add_argument("--profile", type=Path, help="evaluate this service profile")
    parser.add_argument("--shared", type=Path, help="the shared folder (default $GOVAI_SHARED, else ../shared)")
    parser.add_argument("--suite", action="append", help="only these suites (default: all)")
    parser.add_argument("--passes", type=int, choices=(1, 2), default=2,
                        help="1: an empty embedding cache only; 2 (default): then again with the cache it filled")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    shared = args.shared or Path(os.environ.get("GOVAI_SHARED") or Path.cwd().parent / "shared")
    os.environ["GOVAI_SHARED"] = str(shared.resolve())
    work = Path(tempfile.mkdtemp(prefix="govai-assurance-bench-"))
    profile_path = args.profile
    if profile_path is None:
        profile_path = work / "assurance-bench.yaml"
        profile_path.write_text(f"name: assurance-bench-{args.kb}\nkb: {args.kb}\n", encoding="utf-8")

    from govai.assurance.runs import evaluate
    from govai.profiles import load_profile

    profile = load_profile(profile_path)
    print(f"assurance bench: {profile.name} (kb {profile.kb}), shared sets in {shared}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    cache_dir = work / "cache"
    passes = []
    for n in range(args.passes):
        label = "pass 1 (empty embedding cache)" if n == 0 else "pass 2 (the cache pass 1 filled)"
        started = time.perf_counter()
        run = evaluate(load_profile(profile_path), args.suite, cache_dir=cache_dir)
        passes.append((label, run, time.perf_counter() - started))
        print(f"{label}: run {run.id}, logs in {run.log_dir}", flush=True)

    out = {"profile": str(profile_path), "budget_seconds": BUDGET_S, "passes": []}
    for label, run, wall in passes:
        out["passes"].append({"label": label, "run": run.id, **show(label, run, wall)})
    if len(passes) == 2:
        (_, first, w1), (_, second, w2) = passes
        s1, s2 = suite_seconds(first), suite_seconds(second)
        print("\npass 2 / pass 1, seconds:")
        for suite in s1:
            ratio = s2[suite]["seconds"] / s1[suite]["seconds"] if s1[suite]["seconds"] else float("nan")
            print(f"  {suite:<15} {s1[suite]['seconds']:7.1f} -> {s2[suite]['seconds']:7.1f}  ({ratio:.2f}x)")
        print(f"  {'total (wall)':<15} {w1:7.1f} -> {w2:7.1f}  ({w2 / w1:.2f}x)")
        f1, f2 = figures_of(first), figures_of(second)
        differ = sorted(k for k in f1.keys() | f2.keys()
                        if f1.get(k) != f2.get(k) and "latency" not in k)
        print("figures (latency aside): " + ("equal in both passes" if not differ else
                                             "DIFFER: " + ", ".join(f"{k} {f1.get(k)} vs {f2.get(k)}"
                                                                    for k in differ)))
        out["differing_figures"] = differ
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
