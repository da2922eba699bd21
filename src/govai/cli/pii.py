"""``govai pii``: find and remove UK personal data; ``govai eval pii``: score the detector."""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json
from govai.cli.eval import eval_app
from govai.errors import ConfigError, IngestError
from govai.jsonl import read_jsonl

app = typer.Typer(help="Find, redact and pseudonymise UK personal data.", no_args_is_help=True)

MAX_INPUT_BYTES = 256 * 1024 * 1024
FILES = typer.Argument(None, help="Text files to read; none (or '-') reads standard input.")
JSON = typer.Option(False, "--json", help="Print JSON (one object per input) instead of text.")
THRESHOLD = typer.Option(0.5, "--threshold", min=0.0, max=1.0, help="Minimum confidence to report.")
LABELS = typer.Option(None, "--label", "-l", help="Only these labels (repeatable), e.g. -l NINO -l PERSON.")


def _read(path: Path | None) -> str:
    """Text of a file or stdin: UTF-8, undecodable bytes replaced, never a crash on binary junk."""
    try:
        if path is None or str(path) == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with path.open("rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise IngestError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise IngestError(f"{path or 'standard input'} is over {MAX_INPUT_BYTES // 2**20} MiB; split it into smaller files")
    return data.decode("utf-8", errors="replace")


def _inputs(files: list[Path] | None) -> Iterator[tuple[str, str]]:
    for path in files or [None]:  # type: ignore[list-item]
        yield ("-" if path is None else str(path)), _read(path)


def _detected(detector: Any, files: list[Path] | None, batch: int = 16) -> Iterator[tuple[str, str, list[Any]]]:
    """Each input with its entities, a few files at a time so the NER model's work is batched across them."""
    inputs = _inputs(files)
    while chunk := list(itertools.islice(inputs, batch)):
        yield from ((source, text, found) for (source, text), found in
                    zip(chunk, detector.detect_many([text for _, text in chunk])))


def _detector(threshold: float, labels: list[str] | None) -> Any:
    from govai.pii import LABELS as KNOWN
    from govai.pii.detector import Detector

    unknown = sorted(set(labels or ()) - set(KNOWN))
    if unknown:
        raise ConfigError(f"unknown label(s) {', '.join(unknown)}; known labels: {', '.join(KNOWN)}")
    return Detector(threshold=threshold, labels=labels or None)


@app.command("detect")
@handle_errors
def detect(files: list[Path] = FILES, json_out: bool = JSON, threshold: float = THRESHOLD,
           labels: list[str] = LABELS) -> None:
    """List the personal data in each input: label, position, confidence and text."""
    detector = _detector(threshold, labels)
    for source, text, entities in _detected(detector, files):
        if json_out:
            print_json({"source": source, "entities": [e.to_dict(text) for e in entities]})
            continue
        table = Table(title=f"{source}: {len(entities)} found", title_justify="left")
        for column in ("label", "start", "end", "score", "text"):
            table.add_column(column)
        for e in entities:
            table.add_row(e.label, str(e.start), str(e.end), f"{e.score:.2f}", text[e.start : e.end].replace("\n", "⏎"))
        Console().print(table)


def _operator_config(pairs: list[str] | None, default: str) -> dict[str, str]:
    config = {"default": default}
    for pair in pairs or ():
        label, sep, name = pair.partition("=")
        if not sep or not label or not name:
            raise ConfigError(f"--operator needs LABEL=OPERATOR (e.g. NINO=mask), not {pair!r}")
        config[label.strip().upper()] = name.strip().lower()
    return config


@app.command("redact")
@handle_errors
def redact(
    files: list[Path] = FILES,
    json_out: bool = JSON,
    threshold: float = THRESHOLD,
    labels: list[str] = LABELS,
    default: str = typer.Option("redact", "--default", help="Operator for every label: redact, mask, hash, pseudonymise."),
    operator: list[str] = typer.Option(None, "--operator", "-o", help="Per label, e.g. -o NINO=mask (repeatable)."),
) -> None:
    """Print each input with its personal data replaced ([NINO], ***, [NINO:9f2c…], [NINO_1])."""
    from govai.pii.operators import OperatorContext, anonymise, check_operator_config
    from govai.pii.placeholders import PlaceholderMap
    from govai.pii.vault import derived_key, load_key

    config = _operator_config(operator, default)
    check_operator_config(config)
    detector = _detector(threshold, labels)
    mapping = PlaceholderMap()  # one numbering across all inputs of this run
    hash_key = derived_key(load_key(), "hash") if "hash" in config.values() else b""
    for source, text, entities in _detected(detector, files):
        result = anonymise(text, entities, config, OperatorContext(mapping=mapping, hash_key=hash_key))
        if json_out:
            replaced = [{"start": r.start, "end": r.end, "label": r.label, "operator": r.operator,
                         "replacement": r.replacement} for r in result.replacements]
            print_json({"source": source, "text": result.text, "replacements": replaced})
        else:
            sys.stdout.write(result.text if result.text.endswith("\n") else result.text + "\n")


@app.command("erase")
@handle_errors
def erase(conversation_id: str = typer.Argument(..., help="The conversation whose placeholder map to delete.")) -> None:
    """Erase a conversation's entry in the PII vault (right to erasure)."""
    from govai.pii.vault import DatabaseVault
    from govai.store.database import get_database

    removed = DatabaseVault(get_database()).erase(conversation_id)
    console.print("Erased." if removed else "Nothing stored for that conversation.")


@eval_app.command("pii")
@handle_errors
def eval_pii(
    file: Path = typer.Argument(..., help="JSONL with id and text (and gold spans to score against)."),
    out: Path = typer.Option(..., "--out", help="Where to write predictions: one {id, spans} per line."),
    json_out: bool = typer.Option(False, "--json", help="Print the score report as JSON."),
) -> None:
    """Detect personal data in every record and write predictions; score them if gold spans are given
    (the safety suite's personal-data task, through Inspect)."""
    from govai.assurance.entries import pii_predictions
    from govai.pii.detector import get_detector
    from govai.pii.scoring import score

    detector = get_detector().warm_up()
    records = _load_records(file)
    predictions = pii_predictions(records, detector)[0] if records else []
    with out.open("w", encoding="utf-8") as f:
        for rec in predictions:
            f.write(json.dumps({"id": rec["id"], "spans": rec["pred"]}, ensure_ascii=False) + "\n")
    console.print(f"Wrote {len(records)} predictions to {out}")
    scored = [(record, rec["pred"]) for record, rec in zip(records, predictions) if "spans" in record]
    if not scored:
        return
    report = score(scored).as_dict()
    if json_out:
        print_json(report)
        return
    micro = report["micro"]
    console.print(f"micro P={micro['precision']:.3f} R={micro['recall']:.3f} F1={micro['f1']:.3f}  "
                  f"exact F1={report['exact_micro']['f1']:.3f}  any-label recall={report['any_label_recall']:.3f}")


def _load_records(file: Path) -> list[dict[str, Any]]:
    records = []
    for n, record in read_jsonl(file, IngestError):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or "id" not in record:
            raise IngestError(f"{file}:{n}: each record needs an 'id' and a string 'text'")
        records.append(record)
    return records
