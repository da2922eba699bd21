"""Guardrail benchmark: development sets, the untouched hold-out, and baselines, side by side.

    python bench/guard_bench.py [--shared ../shared] [--kb NAME] [--json out.json] [--also prompt=0.76 ...]

The thresholds are the shipped ones (engine.DEFAULT_THRESHOLDS), chosen by
``python -m govai.guards.train`` on out-of-fold scores of its cross-validation over the training
data (leave one family out for prompts). Nothing here chooses a threshold: the development and
hold-out rows only measure. In one run, on each of

  * ``prompts-dev.jsonl`` and ``indirect-dev.jsonl`` (../shared/evalsets/guardrails/),
  * ``bench/data/guard-holdout.jsonl`` and ``guard-holdout-indirect.jsonl`` (sources never trained on),
  * ``bench/data/guard-holdout-v2.jsonl`` (CoCoNot, allenai/noncompliance, MIT: written before the
    second retraining and never looked at while tuning it),
  * ``bench/data/guard-holdout-indirect-sep.jsonl`` (SEP's 100 probes, MIT, in GOV.UK passages: never
    trained on),

it prints, for GovAI as shipped (rules + classifier), the previous model (rules + the classifier in
``bench/data/guard-baseline-model/`` at its own shipped threshold), the rules alone and a keyword
list: recall and false-positive rate, the ROC AUC and points of the ROC curve (recall at a few
false-positive rates), blocked / rows per family, and p50/p99 latency per check on one CPU core
(no LLM judge). It also prints the leave-one-family-out figures the trainer recorded in the model
card, the share of passages of real running text never trained on (the 25 Acts of 2024 in
../shared/corpus/legislation, cut into passages) that the source screen flags, the same for the shared
corpus's GOV.UK pages cut as ingest cuts them and for the GDS guidance the off-topic lift was
calibrated on, and the false-refusal
rate on the citizen questions of dev-qa.jsonl (input guard + scope router); with --kb, the full
pipeline on them.
``--also KIND=T`` adds figures at another threshold beside the shipped one.
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


BASELINE_MODEL = Path(__file__).resolve().parent / "data" / "guard-baseline-model"
HOLDOUT = Path(__file__).resolve().parent / "data"
ROC_FPRS = (0.0, 0.01, 0.02, 0.05, 0.10, 0.20)


def roc_points(scores: np.ndarray, positive: np.ndarray) -> dict[str, float]:
    """The ROC curve at a few false-positive rates: the best recall whose FPR is at most each."""
    negatives = np.sort(scores[~positive])[::-1]
    out = {}
    for fpr in ROC_FPRS:
        allowed = int(np.floor(fpr * len(negatives) + 1e-9))
        bar = negatives[allowed] if allowed < len(negatives) else -np.inf
        out[f"{fpr:.2f}"] = float((scores[positive] > bar).mean())
    return out


def systems(kind: str) -> dict[str, tuple[Screen, float]]:
    """The screens compared in one run: GovAI as shipped, and the previous model at its own threshold."""
    old_meta = json.loads((BASELINE_MODEL / f"{kind}.json").read_text(encoding="utf-8"))
    old_t = float(old_meta["threshold"]["value"])
    old = Screen(kind, layers=["rules", {"name": "classifier", "model": str(BASELINE_MODEL / kind)}],  # type: ignore[arg-type]
                 threshold=old_t)
    return {"GovAI (rules + classifier)": (Screen(kind), DEFAULT_THRESHOLDS[kind]),  # type: ignore[arg-type]
            "previous model (rules + old classifier)": (old, old_t)}


def section(title: str, rows: list[dict], field: str, kind: str, positive_label: str, report: dict,
            also: list[float], key: str) -> None:
    print(f"\n=== {title} ({len(rows)} rows) ===")
    positive = np.array([r["label"] == positive_label for r in rows])
    texts = [r[field] for r in rows]
    scores: dict[str, np.ndarray] = {}
    thresholds: dict[str, float] = {}
    latencies: dict[str, dict[str, float]] = {}
    rules = np.zeros(len(rows))
    for name, (screen, t) in systems(kind).items():
        results = [screen.check(text) for text in texts]
        scores[name], thresholds[name] = np.array([r.score for r in results]), t
        if name.startswith("GovAI"):
            rules = np.array([next((lv.score for lv in r.layers if lv.layer == "rules"), 0.0) for r in results])
        latencies[name] = latency(screen, texts[:400], repeat=1)
    scores["rules only"], thresholds["rules only"] = rules, DEFAULT_THRESHOLDS[kind]
    scores["baseline keywords"], thresholds["baseline keywords"] = np.array([baseline_score(t) for t in texts]), 1.0
    b_times = []
    for text in texts[:400]:
        start = time.perf_counter()
        baseline_score(text)
        b_times.append((time.perf_counter() - start) * 1000)

    print(f"  {'':42s} {'thresh':>6s} {'recall':>7s} {'FPR':>7s} {'AUC':>7s}   ROC: recall at FPR "
          + " ".join(f"{f:.2f}" for f in ROC_FPRS))
    comparison: dict[str, dict] = {}
    for name, sc in scores.items():
        rec, fpr = at(sc, positive, thresholds[name])
        auc = roc_auc(sc, positive)
        roc = roc_points(sc, positive)
        comparison[name] = {"threshold": thresholds[name], "recall": rec, "fpr": fpr, "roc_auc": auc, "roc": roc}
        print(f"  {name:42s} {thresholds[name]:6.3f} {rec:7.3f} {fpr:7.3f} {auc:7.4f}   "
              + " ".join(f"{v:4.2f}" for v in roc.values()))
    govai = scores["GovAI (rules + classifier)"]
    shipped = DEFAULT_THRESHOLDS[kind]
    extra = {}
    for t in also:
        a_rec, a_fpr = at(govai, positive, t)
        extra[str(t)] = {"recall": a_rec, "fpr": a_fpr}
        print(f"  GovAI at threshold {t} (--also): recall {a_rec:.3f}, FPR {a_fpr:.3f}")
    o_t, o_rec, o_fpr = dev_chosen(govai, positive)
    print(f"  for comparison only, a threshold chosen on these rows (FPR <= {MAX_FPR:.0%}) would claim recall "
          f"{o_rec:.3f}, FPR {o_fpr:.3f} at {o_t:.4f}: optimistic, not used")

    names = list(scores)
    print("  per family, blocked / rows: " + " | ".join(names))
    fams = {name: per_family(rows, scores[name], thresholds[name]) for name in names}
    for k in fams[names[0]]:
        print(f"    {k:42s} " + "  ".join(f"{fams[n][k][0]:4d}/{fams[n][k][1]:<4d}" for n in names))
    subs = {}
    if "subfamily" in rows[0]:
        sub = [r for r in rows if r["label"] == positive_label or r["family"].startswith("uk-handwritten")]
        ss = np.array([c for r, c in zip(rows, govai) if r["label"] == positive_label
                       or r["family"].startswith("uk-handwritten")])
        subs = per_family(sub, ss, shipped, "subfamily")
        print("  GovAI per subfamily (attacks and hand-written rows):")
        for k, (b, n) in subs.items():
            print(f"    {k:60s} {b:4d} / {n:<4d}")
    for name, lat in latencies.items():
        print(f"  latency per check ({name}), one core, no judge: CPU p50 {lat['cpu_p50']:.2f} ms, "
              f"p99 {lat['cpu_p99']:.2f} ms; wall p50 {lat['wall_p50']:.2f} ms, p99 {lat['wall_p99']:.2f} ms")
    print(f"  baseline keywords p50 {statistics.median(b_times):.3f} ms; load average {os.getloadavg()[0]:.1f}")
    report[key] = {"shipped_threshold": shipped, "comparison": comparison, "per_family": fams,
                   "per_subfamily": subs, "also": extra, "latency_ms": latencies,
                   "dev_chosen_for_comparison": {"threshold": o_t, "recall": o_rec, "fpr": o_fpr}}


def training_cv(report: dict) -> None:
    """The cross-validation figures the trainer recorded (no evaluation row involved)."""
    from govai.guards.attack_classifier import load_model

    print("\n=== cross-validation on the training data (recorded by python -m govai.guards.train) ===")
    for kind in ("prompt", "document"):
        meta = load_model(kind).meta
        for grouping, cv in meta["cross_validation"].items():
            t = cv["screen_at_max_fpr"]
            print(f"  {kind} {grouping:9s} {cv['folds']:3d} folds: classifier AUC {cv['classifier_auc']:.4f}, screen "
                  f"AUC {cv['screen_auc']:.4f}; at threshold {t['value']:.3f}: recall {t['recall']:.3f}, "
                  f"FPR {t['fpr']:.3f}")
        blocked = meta.get("out_of_fold_scores", {}).get("blocked_per_family") or meta.get(
            "template_cv_blocked_per_style", {})
        print(f"  {kind} out of fold, share blocked per family at the shipped threshold:")
        for k, v in blocked.items():
            print(f"    {k:50s} {v:.3f}")
        report[f"training_cv_{kind}"] = {"cross_validation": meta["cross_validation"], "blocked": blocked}


def legislation_passages(shared: Path, limit: int = 1500) -> list[str]:
    """The Acts cut into passages of 250 to 1,200 characters, one section at a time (a provision's
    number joined to its text), in a fixed order; ``limit`` of them, evenly spread."""
    out: list[str] = []
    for path in sorted((shared / "corpus" / "legislation").glob("*.txt")):
        for section_text in path.read_text(encoding="utf-8").split("URL_Of_PAGE:"):
            lines: list[str] = []
            for line in (x.strip() for x in section_text.splitlines()[2:]):
                if not line:
                    continue
                if lines and lines[-1].endswith(" "):
                    lines[-1] += line
                else:
                    lines.append(line + " " if re.fullmatch(r"\(?[0-9a-z]{1,4}\)?|[0-9]+[A-Z]?", line) else line)
            passage = ""
            for line in lines:
                if len(passage) + len(line) > 1200 and len(passage) >= 250:
                    out.append(passage.strip())
                    passage = ""
                passage += line + "\n"
            if len(passage) >= 250:
                out.append(passage.strip())
    step = max(1, len(out) // limit)
    return out[::step][:limit]


def govuk_chunks(shared: Path) -> list[str]:
    """The shared corpus's GOV.UK pages cut as ingest cuts a knowledge base (``ingest.chunking``): the
    passages a service built on them would screen, short sections, addresses and tables included."""
    from govai.ingest.chunking import chunk_document
    from govai.ingest.document import Document
    from govai.ingest.sources import reader_for

    path = shared / "corpus" / "govuk" / "pages.jsonl"
    return [c.text for doc in reader_for(path).read(path) if isinstance(doc, Document) for c in chunk_document(doc)]


def calibration_chunks() -> list[str]:
    from govai.guards.corpus import CALIBRATION, load_corpus

    return [row["text"] for row in load_corpus(CALIBRATION)]


def real_text(shared: Path, report: dict) -> None:
    """False positives of the source screen on real text: the Acts (never trained on, in no evaluation
    set), the GOV.UK pages the evaluation sets' passages come from as ingest cuts them, and the GDS
    guidance whose passages fixed the off-topic lift (``guards/offtopic.py``: not an independent measure)."""
    for key, title, passages in (
        ("legislation_passages", "clean real text never trained on: {n} passages of the 25 Acts",
         legislation_passages(shared)),
        ("govuk_chunks", "clean GOV.UK guidance as ingest cuts it: {n} chunks of the shared corpus's pages",
         govuk_chunks(shared)),
        ("calibration_chunks", "GDS guidance the off-topic lift was calibrated on (as it is): {n} chunks",
         calibration_chunks()),
    ):
        print(f"\n=== Indirect injection, {title.format(n=len(passages))} ===")
        out = {}
        for name, (screen, t) in systems("document").items():
            flagged = sum(screen.check(text).score >= t for text in passages)
            out[name] = {"threshold": t, "flagged": flagged, "passages": len(passages), "fpr": flagged / len(passages)}
            print(f"  {name:42s} {t:6.3f} flagged {flagged} / {len(passages)} (FPR {flagged / len(passages):.4f})")
        report[key] = out


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
    training_cv(report)
    section("Direct prompt attacks: prompts-dev.jsonl", load(gr / "prompts-dev.jsonl"), "text", "prompt",
            "attack", report, also["prompt"], "prompts_dev")
    section("Direct prompts, hold-out: bench/data/guard-holdout.jsonl", load(HOLDOUT / "guard-holdout.jsonl"),
            "text", "prompt", "attack", report, also["prompt"], "prompts_holdout")
    section("Direct prompts, hold-out v2 (CoCoNot): bench/data/guard-holdout-v2.jsonl",
            load(HOLDOUT / "guard-holdout-v2.jsonl"), "text", "prompt", "attack", report, also["prompt"],
            "prompts_holdout_v2")
    section("Indirect injection: indirect-dev.jsonl", load(gr / "indirect-dev.jsonl"), "document", "document",
            "injected", report, also["document"], "indirect_dev")
    section("Indirect injection, hold-out: bench/data/guard-holdout-indirect.jsonl",
            load(HOLDOUT / "guard-holdout-indirect.jsonl"), "document", "document", "injected", report,
            also["document"], "indirect_holdout")
    section("Indirect injection, hold-out: SEP probes, bench/data/guard-holdout-indirect-sep.jsonl",
            load(HOLDOUT / "guard-holdout-indirect-sep.jsonl"), "document", "document", "injected", report,
            also["document"], "indirect_holdout_sep")
    real_text(args.shared, report)
    refusals(args.shared, report, args.kb)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
