"""``govai demo``: load the demo knowledge base and answer its sample questions."""

from __future__ import annotations

from pathlib import Path

import typer

from govai.cli.common import console, handle_errors, print_out

DEMO_DIR = Path(__file__).resolve().parents[3] / "demo"


@handle_errors
def demo(
    kb: str = typer.Option("demo", "--kb", help="Knowledge base to load the demo pages into."),
    questions: Path = typer.Option(DEMO_DIR / "questions.txt", "--questions", help="One question per line."),
) -> None:
    """Load the demo guidance (incrementally) and answer the sample questions, offline."""
    from govai.cli.ask import show_answer
    from govai.ingest.pipeline import Ingester
    from govai.pipeline.answer import answer_record
    from govai.runtime import Runtime

    kb_dir = DEMO_DIR / "kb"
    if not kb_dir.is_dir():
        raise typer.BadParameter(f"demo pages not found at {kb_dir}; run from a checkout of the GovAI repository")
    runtime = Runtime()
    with console.status("Loading the demo guidance…"):
        report = Ingester(runtime.knowledge, runtime.embedder, kb).run([kb_dir])
    console.print(
        f"Knowledge base [bold]{kb}[/]: {report.added} pages added, {report.updated} updated, "
        f"{report.unchanged} unchanged ({report.chunks_embedded} chunks embedded)."
    )
    for question in [q.strip() for q in questions.read_text(encoding="utf-8").splitlines() if q.strip()]:
        print_out(f"Q: {question}")
        show_answer(answer_record(runtime.ask(question, kb=kb)))
        print_out()
