"""``govai guard check`` and ``govai eval guard``: the guardrails from the command line."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer

from govai.jsonl import read_jsonl
from govai.cli.common import console, handle_errors, print_json
from govai.cli.eval import eval_app
from govai.errors import GovAIError
from govai.guards.engine import Screen

app = typer.Typer(help="Screen prompts and passages with GovAI's guardrails.", no_args_is_help=True)

KIND_HELP = "prompt: a user message; document: a retrieved passage (indirect prompt injection)."


def _read_text(text: Optional[str]) -> str:
    if text is not None and text != "-":
        return text
    if sys.stdin.isatty():
        raise GovAIError("give the text to check as an argument, or pipe it on standard input")
    raw = sys.stdin.buffer.read()
    return raw.decode("utf-8", errors="replace")


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
    result = screen.check(_read_text(text))
    if as_json:
        print_json({"kind": kind, "threshold": screen.threshold, **result.as_dict()})
    else:
        colour = "red" if result.blocked else "green"
        console.print(f"[bold {colour}]{result.verdict}[/] score {result.score:.3f} (threshold {screen.threshold})")
        for reason in result.reasons:
            console.print(f"  - {reason}", highlight=False, markup=False)
    raise typer.Exit(2 if result.blocked else 0)


@eval_app.command("guard")
@handle_errors
def eval_guard(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines with `text` (prompts) or `document`."),
    out: Path = typer.Option(..., "--out", "-o", help="Where to write predictions (JSON Lines)."),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help=KIND_HELP + " Default: from the first row."),
    threshold: Optional[float] = typer.Option(None, help="Block at or above this score (default: calibrated)."),
) -> None:
    """Screen every row of FILE; each output line is {"id", "verdict", "score", "reasons"}."""
    screens: dict[str, Screen] = {}
    count = blocked = 0
    start = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as dst:
        for line_no, row in read_jsonl(file):
            if not isinstance(row, dict):
                raise GovAIError(f"{file}:{line_no}: each line must be a JSON object")
            row_kind = kind or ("document" if "document" in row and "text" not in row else "prompt")
            body = row.get("document" if row_kind == "document" else "text")
            if not isinstance(body, str):
                raise GovAIError(f"{file}:{line_no}: needs a string field "
                                 f"{'document' if row_kind == 'document' else 'text'}")
            if row_kind not in screens:
                screens[row_kind] = Screen(row_kind, threshold=threshold)  # type: ignore[arg-type]
            result = screens[row_kind].check(body)
            dst.write(json.dumps({"id": row.get("id", line_no), "verdict": result.verdict,
                                  "score": round(result.score, 4), "reasons": result.reasons},
                                 ensure_ascii=False) + "\n")
            count += 1
            blocked += result.blocked
    console.print(f"{count} rows screened, {blocked} blocked, in {time.perf_counter() - start:.1f} s -> {out}")
