"""``govai eval qa``: answer a question set and write predictions (the answer-quality suite's
Inspect task on one file: docs/assurance.md)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from govai.cli.common import console, handle_errors, results
from govai.cli.eval import eval_app


@eval_app.command("qa")
@handle_errors
def eval_qa(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Questions in dev-qa.jsonl format."),
    kb: str = typer.Option(None, "--kb", help="Knowledge base (default: the profile's)."),
    out: Path = typer.Option(..., "--out", help="Where to write PRED.jsonl."),
    profile: str = typer.Option(None, "--profile", help="Service profile: a YAML file or a preset name."),
) -> None:
    """Answer every question; write one prediction per line and print the scores."""
    from govai.assurance.entries import qa_predictions
    from govai.evals import qa
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    rows = qa.load_questions(file)
    runtime = Runtime(load_profile(profile) if profile else None)
    runtime.knowledge.require(kb or runtime.profile.kb)  # fail before answering every question with an error
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with Progress(
        TextColumn("[bold]Answering[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("qa", total=len(rows))
        preds, result = qa_predictions(runtime, rows, kb, progress=lambda: progress.advance(task))
    with tmp.open("w", encoding="utf-8") as f:
        for pred in preds:
            f.write(json.dumps(pred, ensure_ascii=False) + "\n")
    tmp.replace(out)  # a crash mid-run never leaves a half-written PRED file
    if any("kind" in r for r in rows):
        table = Table("metric", "value")
        for name, value in result.figures.items():  # the figures of the Inspect log
            if name == "questions":
                table.add_row(name, str(int(value or 0)))
            else:
                table.add_row(name, "nan" if value is None else f"{value:.3f}")
        results.print(table)
    console.print(f"Wrote {len(preds)} predictions to {out}", highlight=False, soft_wrap=True)
    console.print(f"Inspect log: {result.log}", highlight=False, soft_wrap=True)
