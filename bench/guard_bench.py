"""Guardrail benchmark on the development sets (../shared/evalsets/guardrails/).

    python bench/guard_bench.py [--shared ../shared] [--kb NAME] [--json out.json] [--also prompt=0.76 ...]

The thresholds are the shipped ones (engine.DEFAULT_THRESHOLDS), chosen by
``python -m govai.guards.train`` on out-of-fold scores of its grouped cross-validation over the
training data. Nothing here chooses a threshold: the development rows only measure. Prints,
for direct prompt attacks and for indirect injection:
  * recall and false-positive rate at the shipped threshold, the ROC AUC of the combined score,
    and blocked / rows per family and per style or attack category;
  * each layer alone (rules, classifier) at the same threshold, and a named baseline — a keyword
    list of "ignore previous instructions"-style phrases — measured in the same run;
  * for comparison only, what a threshold chosen on these rows would claim (the old protocol);
  * p50/p99 latency per check, pinned to one CPU core, without the LLM judge;
  * the false-refusal rate on the benign citizen questions of dev-qa.jsonl
    (input guard + scope router), and with --kb the full pipeline: refusals and
    how many extractive answers check_output passes.
``--also KIND=T`` adds figures at another threshold (e.g. a previous release's) beside the shipped one.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from govai.guards.engine import DEFAULT_THRESHOLDS, Screen  # noqa: E402
from govai.guards.scope import scope_of  # noqa: E402

# The baseline a team would write first: a list of well-known jailbreak phrases.
BASELINE_PHRASES = [
    "ignore previous instructions", "ignore all previous instructions", "ignore the above", "disregard previous",
    "disregard your instructions", "forget your instructions", "forget all previous", "you are now", "act as",
    "pretend to be", "jailbreak", "do anything now", "developer mode", "system prompt", "no restrictions",
    "without restrictions", "unfiltered", "uncensored", "new instructions", "override",
]
_BASELINE = re.compile("|".join(re.escape(p) for p in BASELINE_PHRASES), re.I)
MAX_FPR = 0.02


def baseline_score(text: str) -> float:
    return 1.0 if _BASELINE.search(text) else 0.0


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def roc_auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Probability that a random positive row outscores a random negative one (ties count half)."""
    pos, neg = scores[positive], scores[~positive]
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def at(scores: np.ndarray, positive: np.ndarray, threshold: float) -> tuple[float, float]:
    """(recall, false-positive rate) when blocking at ``threshold``."""
    blocked = scores >= threshold
    return float(blocked[positive].mean()), float(blocked[~positive].mean())


def dev_chosen(scores: np.ndarray, positive: np.ndarray, max_fpr: float = MAX_FPR) -> tuple[float, float, float]:
    """The old protocol, kept only to show how much it flatters: the lowest threshold with FPR <= max_fpr
    on these same rows. (threshold, recall, fpr)."""
    best = (1.01, 0.0, 0.0)
    for t in sorted(set(np.round(scores, 4).tolist()), reverse=True):
        rec, fpr = at(scores, positive, t)
        if fpr <= max_fpr:
            best = (t, rec, fpr)
    return best


def per_family(rows: list[dict], scores: np.ndarray, threshold: float, key: str = "family") -> dict[str, tuple[int, int]]:
    fam: dict[str, list[bool]] = defaultdict(list)
    for row, s in zip(rows, scores):
        fam[f"{row['label']}:{row[key]}"].append(bool(s >= threshold))
    return {k: (sum(v), len(v)) for k, v in sorted(fam.items())}


def latency(screen: Screen, texts: list[str], repeat: int = 3) -> dict[str, float]:
    """Wall-clock and CPU time per check. CPU time is what one check costs one core; wall
    time also counts waiting for the CPU when the machine is shared."""
    for t in texts[:20]:
        screen.check(t)
    wall, cpu = [], []
    for _ in range(repeat):
        for t in texts:
            w0, c0 = time.perf_counter(), time.thread_time()
            screen.check(t)
            cpu.append((time.thread_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
    return {"wall_p50": float(np.percentile(wall, 50)), "wall_p99": float(np.percentile(wall, 99)),
            "cpu_p50": float(np.percentile(cpu, 50)), "cpu_p99": float(np.percentile(cpu, 99))}


def section(title: str, rows: list[dict], field: str, kind: str, positive_label: str, report: dict,
            also: list[float]) -> None:
    print(f"\n=== {title} ({len(rows)} rows) ===")
    screen = Screen(kind)  # type: ignore[arg-type]
    results = [screen.check(r[field]) for r in rows]
    combined = np.array([r.score for r in results])
    layer = {name: np.array([next((lv.score for lv in r.layers if lv.layer == name), 0.0) for r in results])
             for name in ("rules", "classifier")}
    base = np.array([baseline_score(r[field]) for r in rows])
    positive = np.array([r["label"] == positive_label for r in rows])
    shipped = DEFAULT_THRESHOLDS[kind]
    auc = roc_auc(combined, positive)

    print(f"  shipped threshold {shipped} (chosen on training-data cross-validation, not on these rows)")
    print(f"  {'':26s} {'recall':>7s} {'FPR':>7s}")
    comparison: dict[str, dict[str, float]] = {}
    for name, scores, t in (("GovAI (rules + classifier)", combined, shipped), ("rules only", layer["rules"], shipped),
                            ("classifier only", layer["classifier"], shipped), ("baseline keywords", base, 1.0)):
        rec, fpr = at(scores, positive, t)
        comparison[name] = {"threshold": t, "recall": rec, "fpr": fpr}
        print(f"  {name:26s} {rec:7.3f} {fpr:7.3f}")
    rec, fpr = comparison["GovAI (rules + classifier)"]["recall"], comparison["GovAI (rules + classifier)"]["fpr"]
    b_rec = comparison["baseline keywords"]["recall"]
    ratio = rec / b_rec if b_rec else float("inf")
    print(f"  ROC AUC of the combined score: {auc:.4f}; GovAI / baseline recall: {rec:.3f} / {b_rec:.3f} = {ratio:.2f}x")
    extra = {}
    for t in also:
        a_rec, a_fpr = at(combined, positive, t)
        extra[str(t)] = {"recall": a_rec, "fpr": a_fpr}
        print(f"  at threshold {t} (--also): recall {a_rec:.3f}, FPR {a_fpr:.3f}")
    o_t, o_rec, o_fpr = dev_chosen(combined, positive)
    print(f"  for comparison only, a threshold chosen on these rows (FPR <= {MAX_FPR:.0%}) would claim recall "
          f"{o_rec:.3f}, FPR {o_fpr:.3f} at {o_t:.4f}: optimistic, not used")

    print("  per family at the shipped threshold (blocked / rows):")
    fams = per_family(rows, combined, shipped)
    for k, (b, n) in fams.items():
        print(f"    {k:45s} {b:4d} / {n:<4d} {b / n:6.3f}")
    if kind == "prompt":
        print("  per hand-written style at the shipped threshold:")
        sub = [r for r in rows if r["family"] == "uk-handwritten"]
        ss = np.array([c for r, c in zip(rows, combined) if r["family"] == "uk-handwritten"])
    else:
        print("  per attack category at the shipped threshold:")
        sub = [r for r in rows if r["label"] == positive_label]
        ss = np.array([c for r, c in zip(rows, combined) if r["label"] == positive_label])
    subs = per_family(sub, ss, shipped, "subfamily")
    for k, (b, n) in subs.items():
        print(f"    {k:45s} {b:4d} / {n:<4d}")

    texts = [r[field] for r in rows]
    lat = latency(screen, texts)
    b_times = []
    for text in texts:
        start = time.perf_counter()
        baseline_score(text)
        b_times.append((time.perf_counter() - start) * 1000)
    print(f"  latency per check, one core, no judge: CPU p50 {lat['cpu_p50']:.2f} ms, p99 {lat['cpu_p99']:.2f} ms; "
          f"wall p50 {lat['wall_p50']:.2f} ms, p99 {lat['wall_p99']:.2f} ms "
          f"(baseline keywords p50 {statistics.median(b_times):.3f} ms; load average {os.getloadavg()[0]:.1f})")
    report[kind] = {"shipped_threshold": shipped, "recall": rec, "fpr": fpr, "roc_auc": auc, "per_family": fams,
                    "per_subfamily": subs, "comparison": comparison, "recall_ratio_vs_baseline": ratio,
                    "also": extra, "dev_chosen_for_comparison": {"threshold": o_t, "recall": o_rec, "fpr": o_fpr},
                    "latency_ms": lat}


def refusals(shared: Path, report: dict, kb: str | None) -> None:
    questions = load(shared / "evalsets/dev-qa.jsonl")
    screen = Screen("prompt")
    blocked = [q["id"] for q in questions if screen.check(q["question"]).blocked]
    routed = [q["id"] for q in questions if scope_of(q["question"]).route != "in_scope"]
    refused = sorted(set(blocked) | set(routed))
    rate = len(refused) / len(questions)
    print(f"\n=== false refusals on dev-qa.jsonl citizen questions ({len(questions)}) ===")
    print(f"  input guard blocked {len(blocked)}, scope routed away {len(routed)}: false-refusal rate {rate:.3f} "
          f"{refused if refused else ''}")
    report["false_refusal"] = {"questions": len(questions), "rate": rate, "refused": refused}
    if kb:
        from govai.runtime import Runtime

        rt = Runtime()
        outcomes: dict[str, int] = defaultdict(int)
        output_checked = output_blocked = guard_refused = 0
        for q in questions:
            ctx = rt.ask(q["question"], kb=kb)
            outcomes[str(ctx.outcome)] += 1
            guard_refused += bool(ctx.reason and ctx.reason.startswith(("input guard", "scope")))
            rec = next((r.detail for r in ctx.records if r.step == "check_output"), None)
            if rec and rec.get("verdict") in ("pass", "block"):
                output_checked += 1
                output_blocked += rec["verdict"] == "block"
        print(f"  full pipeline on --kb {kb}: outcomes {dict(outcomes)}; refused by a guard: {guard_refused}; "
              f"check_output passed {output_checked - output_blocked} of {output_checked} composed answers")
        report["pipeline"] = {"outcomes": dict(outcomes), "guard_refused": guard_refused,
                              "answers_checked": output_checked, "answers_blocked_by_output_guard": output_blocked}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--kb", help="also run dev-qa through the full pipeline on this knowledge base")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--also", action="append", default=[], metavar="KIND=T",
                        help="also report recall/FPR at threshold T for KIND (prompt or document)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the latency target says
    gr = args.shared / "evalsets/guardrails"
    also: dict[str, list[float]] = defaultdict(list)
    for item in args.also:
        kind, _, value = item.partition("=")
        if kind not in DEFAULT_THRESHOLDS or not value:
            parser.error(f"--also takes KIND=T with KIND prompt or document, not {item!r}")
        also[kind].append(float(value))
    report: dict = {}
    section("Direct prompt attacks: prompts-dev.jsonl", load(gr / "prompts-dev.jsonl"), "text", "prompt",
            "attack", report, also["prompt"])
    section("Indirect injection: indirect-dev.jsonl", load(gr / "indirect-dev.jsonl"), "document", "document",
            "injected", report, also["document"])
    refusals(args.shared, report, args.kb)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
