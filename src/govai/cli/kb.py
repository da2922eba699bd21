"""``govai kb``: load and manage knowledge bases."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json, results
from govai.errors import GovAIError
from govai.store.knowledge import check_kb_name

app = typer.Typer(help="Load official guidance into knowledge bases.", no_args_is_help=True)

KB_OPTION = typer.Option("default", "--kb", help="Knowledge base name.")


def stdin_source(kb: str, name: str) -> Path:
    """Standard input saved where the knowledge base can keep pointing at it
    (``$GOVAI_HOME/stdin/KB/NAME``): ingesting the same name again updates that document."""
    from govai.config import get_settings
    from govai.ingest.readers.base import max_file_bytes

    if not name or Path(name).name != name or name.startswith("."):
        raise GovAIError(f"--stdin-name must be a plain file name such as notes.md, not {name!r}")
    if sys.stdin.isatty():
        raise GovAIError("'-' reads a document from standard input: pipe one in (e.g. cat notes.md | govai kb ingest -)")
    folder = get_settings().home / "stdin" / kb
    folder.mkdir(parents=True, exist_ok=True)
    target, partial = folder / name, folder / f".{name}.part"
    limit, copied = max_file_bytes(), 0
    try:
        with partial.open("wb") as out:
            while block := sys.stdin.buffer.read(1 << 20):
                copied += len(block)
                if copied > limit:
                    raise GovAIError(f"standard input is over the {limit / 1048576:.0f} MB limit "
                                     "(GOVAI_INGEST_MAX_MB); nothing was ingested")
                out.write(block)
        os.replace(partial, target)  # a cut-off pipe never replaces the last good copy
    finally:
        partial.unlink(missing_ok=True)
    return target


@app.command("ingest")
@handle_errors
def ingest(
    sources: list[Path] = typer.Argument(..., help="Files or folders: GOV.UK JSON/JSONL, legislation, Markdown, HTML, PDF, DOCX, text; - for standard input."),
    kb: str = KB_OPTION,
    json_out: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    stdin_name: str = typer.Option(
        "stdin.md", "--stdin-name",
        help="With '-': the document's file name; its extension picks the reader (.md, .txt, .html, .jsonl …)."),
    embedder: str | None = typer.Option(
        None, "--embedder",
        help="Embedding model for a new knowledge base: minilm (default), minilm-onnx-int8, minilm-static "
             "(fastest, for bulk work). An existing knowledge base keeps its own; answer with the same "
             "GOVAI_EMBEDDER."),
    unit_vectors: str = typer.Option(
        "eager", "--unit-vectors",
        help="eager: embed each chunk's sentences at ingest, so answering embeds only the question (default); "
             "lazy: skip them, for about twice the ingest speed, and answering embeds the sentences it reads."),
    ray: bool = typer.Option(
        False, "--ray",
        help="Run reading, chunking and embedding as Ray tasks: a local Ray instance with --ray-workers "
             "workers, or the cluster at --ray-address (or RAY_ADDRESS)."),
    ray_address: str | None = typer.Option(
        None, "--ray-address", metavar="ADDRESS",
        help="With --ray: join this Ray cluster (HOST:PORT, ray://HOST:PORT or auto) instead of starting one."),
    ray_workers: int = typer.Option(2, "--ray-workers", min=1, help="With --ray: embedding workers (actors)."),
) -> None:
    """Ingest sources incrementally: unchanged chunks are not re-embedded, removed documents go.
    '-' reads one document from standard input."""
    from govai.ingest.pipeline import Ingester, RayOptions
    from govai.runtime import Runtime

    check_kb_name(kb)  # before the model loads
    if (ray_address or ray_workers != 2) and not ray:
        raise GovAIError("--ray-address and --ray-workers go with --ray")
    address = ray_address or os.environ.get("RAY_ADDRESS") or None
    if Path("-") in sources:
        piped = stdin_source(kb, stdin_name)
        sources = [piped if s == Path("-") else s for s in sources]
    runtime = Runtime()
    with console.status("Loading the embedding model…"):
        from govai.embeddings import get_embedder

        if embedder is None and (existing := runtime.knowledge.get(kb)) is not None:
            embedder = existing.embedder  # an existing knowledge base keeps the embedder it was built with
        ingester = Ingester(runtime.knowledge, get_embedder(embedder) if embedder else runtime.embedder, kb,
                            units=unit_vectors, ray=RayOptions(address, ray_workers) if ray else None)
    # Measured in bytes of input, so a single large file moves the bar as its chunks are embedded.
    with Progress(
        TextColumn("[bold]Ingesting[/]"), BarColumn(), DownloadColumn(), TimeElapsedColumn(),
        TextColumn("remaining"), TimeRemainingColumn(), console=console, transient=json_out,
    ) as progress:
        task = progress.add_task("input", total=None)
        report = ingester.run(sources, lambda done, total: progress.update(task, completed=done, total=total))
    if json_out:
        print_json({
            **report.__dict__,
            "failures": [{"path": p, "reason": r} for p, r in report.failures],
            "warnings": [{"path": p, "warning": w} for p, w in report.warnings],
        })
    else:
        console.print(
            f"[green]{kb}[/]: {report.files} files, {report.added} added, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.removed} removed; {report.chunks_embedded} chunks embedded, "
            f"{report.chunks_reused} reused, {report.chunks_flagged} flagged, in {report.seconds:.1f}s"
        )
        for path, reason in report.failures:
            console.print(f"[yellow]skipped[/] {path}: {reason}", highlight=False)
        for path, warning in report.warnings:
            console.print(f"[yellow]warning[/] {path}: {warning}", highlight=False)
    if report.failures and not report.files:
        if ingester.kb is None:
            outcome = f"knowledge base {kb!r} was not created"
        elif report.removed:
            outcome = f"knowledge base {kb!r} lost only the {report.removed} documents whose files are gone"
        else:
            outcome = f"knowledge base {kb!r} is unchanged"
        console.print(f"[bold red]Error:[/] nothing was ingested: every path failed; {outcome}", highlight=False)
        raise typer.Exit(1)


@app.command("list")
@handle_errors
def list_kbs(json_out: bool = typer.Option(False, "--json")) -> None:
    """List knowledge bases."""
    from govai.runtime import Runtime

    rows = Runtime().knowledge.list()
    if json_out:
        print_json(rows)
        return
    table = Table("name", "documents", "chunks", "embedder", "revision", "complete")
    for r in rows:
        # Incomplete: an ingest is running, or the last one stopped part way; run it again.
        complete = "yes" if r["complete"] else "[yellow]no[/]: last ingest did not finish"
        table.add_row(r["name"], str(r["documents"]), str(r["chunks"]), r["embedder"], str(r["revision"]), complete)
    results.print(table)


@app.command("flagged")
@handle_errors
def flagged(
    kb: str = KB_OPTION,
    json_out: bool = typer.Option(False, "--json", help="Print the passages as JSON."),
) -> None:
    """List the passages the source screen flagged as injected when they were ingested, with what the
    current screen says of them now (every request screens its passages afresh, and drops the ones
    it flags: review them, fix the source, ingest again)."""
    from govai.guards.source import flagged_passages
    from govai.runtime import Runtime

    rows = [p.as_dict() for p in flagged_passages(Runtime().knowledge, kb)]
    if json_out:
        print_json(rows)
        return
    if not rows:
        console.print(f"No passage of {kb!r} was flagged at ingest.")
        return
    table = Table("source", "flagged now", "reasons", "passage")
    for r in rows:
        where = r["source_id"] + (f"#{r['anchor']}" if r["anchor"] else "")
        excerpt = " ".join(r["text"].split())
        table.add_row(where, "yes" if r["flagged_now"] else "no (ingest again)", "; ".join(r["reasons"]),
                      excerpt[:160] + ("…" if len(excerpt) > 160 else ""))
    results.print(table)


@app.command("delete")
@handle_errors
def delete(name: str, yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation.")) -> None:
    """Delete a knowledge base and everything in it."""
    from govai.runtime import Runtime

    if not yes and not typer.confirm(f"Delete knowledge base {name!r}?"):
        raise typer.Exit(1)
    Runtime().knowledge.delete(name)
    console.print(f"Deleted {name}.")
