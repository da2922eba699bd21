"""``govai guard check`` and ``govai eval guard``: the guardrails from the command line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer

from govai.jsonl import BadLine, iter_jsonl
from govai.cli.common import console, handle_errors, print_json, print_out, read_text
from govai.cli.eval import eval_app
from govai.errors import GovAIError
from govai.guards.engine import Screen

app = typer.Typer(help="Screen prompts and passages with GovAI's guardrails.", no_args_is_help=True)

KIND_HELP = "prompt: a user message; document: a retrieved passage (indirect prompt injection)."


@app.command("check")
@handle_errors
def check(
    text: Optional[str] = typer.Argument(None, help="Text to check; omit (or '-') to read standard input."),
    kind: str = typer.Option("prompt", "--kind", "-k", help=KIND_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the full verdict as JSON."),
    threshold: Optional[float] = typer.Option(None, help="Block at or above this score (default: calibrated)."),
) -> None:
    """Screen one prompt or passage. Exit code 0 = allow, 2 = block."""
    if kind not in ("prompt", "document"):
        raise GovAIError(f"--kind must be 'prompt' or 'document', not {kind!r}")
    screen = Screen(kind, threshold=threshold)  # type: ignore[arg-type]
    result = screen.check(read_text(text))
    if as_json:
        print_json({"kind": kind, "threshold": screen.threshold, **result.as_dict()})
    else:
        print_out(f"{result.verdict} score {result.score:.3f} (threshold {screen.threshold})")
        for reason in result.reasons:
            print_out(f"  - {reason}")
    raise typer.Exit(2 if result.blocked else 0)


@eval_app.command("guard")
@handle_errors
def eval_guard(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines with `text` (prompts) or `document`."),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write predictions (JSON Lines)."),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help=KIND_HELP + " Default: from the first row."),
    threshold: Optional[float] = typer.Option(None, help="Block at or above this score (default: calibrated)."),
) -> None:
    """Screen every row of FILE; each output line is {"id", "verdict", "score", "reasons"}.

    A row that cannot be screened (not JSON, no text) is reported on stderr and skipped; the
    others are all screened (the safety suite's guard task, through Inspect). Exit code 1 if any
    row was skipped."""
    from govai.assurance.entries import guard_verdicts

    if kind is not None and kind not in ("prompt", "document"):
        raise GovAIError(f"--kind must be 'prompt' or 'document', not {kind!r}")
    rows: list[dict] = []
    kinds: list[str] = []
    skipped: list[str] = []
    start = time.perf_counter()
    for line in iter_jsonl(file):
        if isinstance(line, BadLine):
            skipped.append(line.reason)
            continue
        row = line.value
        row_kind = kind or ("document" if isinstance(row, dict) and "document" in row and "text" not in row
                            else "prompt")
        field = "document" if row_kind == "document" else "text"
        body = row.get(field) if isinstance(row, dict) else None
        if not isinstance(body, str):
            skipped.append(f"{file}:{line.number}: needs a JSON object with a string field {field!r}")
            continue
        rows.append({**row, "_line": line.number, "text" if field == "text" else "document": body})
        kinds.append(row_kind)
    records = guard_verdicts(rows, kinds, threshold)[0] if rows else []
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as dst:
        for rec in records:
            dst.write(json.dumps({"id": rec["id"], "verdict": rec["verdict"], "score": round(rec["score"], 4),
                                  "reasons": rec["reasons"]}, ensure_ascii=True) + "\n")
    blocked = sum(bool(r["blocked"]) for r in records)
    for reason in skipped:
        console.print(f"[yellow]skipped[/] {reason}", highlight=False, markup=True, soft_wrap=True)
    console.print(f"{len(records)} rows screened, {blocked} blocked, {len(skipped)} skipped, "
                  f"in {time.perf_counter() - start:.1f} s -> {out}", highlight=False)
    if skipped:
        raise typer.Exit(1)
