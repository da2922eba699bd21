"""``govai ask``: answer one question from a knowledge base."""

from __future__ import annotations

from typing import Any

import typer

from govai.cli.common import console, handle_errors, print_json, print_out, read_text
from govai.domain import Classification


@handle_errors
def ask(
    question: str = typer.Argument(..., help="The question, as a citizen or caseworker would type it; '-' reads stdin."),
    kb: str = typer.Option(None, "--kb", help="Knowledge base (default: the profile's)."),
    profile: str = typer.Option(None, "--profile", help="Service profile: a YAML file or a preset name."),
    classification: Classification = typer.Option(None, "--classification", help="Security classification of the request."),
    json_out: bool = typer.Option(False, "--json", help="Print the answer record as JSON."),
) -> None:
    """Answer a question from the guidance, with citations, or say it can't.

    The answer and its numbered sources go to stdout; the outcome line to stderr. Exit code 1
    when the service could not answer because something failed (the reply says so).
    """
    from govai.pipeline.answer import answer_record
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    text = read_text(question, "question")
    runtime = Runtime(load_profile(profile) if profile else None)
    runtime.check(kb=kb)  # profile, providers and knowledge base: usage errors, before any model loads
    ctx = runtime.ask(text, kb=kb, classification=classification)
    record = answer_record(ctx)
    if json_out:
        print_json(record)
    else:
        show_answer(record)
    if record["outcome"] == "error":
        raise typer.Exit(1)


def show_answer(record: dict[str, Any]) -> None:
    """The answer, then its numbered sources with links, on stdout; the outcome on stderr."""
    print_out(record["answer"])
    if record["sources"]:
        print_out()
        print_out("Sources:")
        for n, source in enumerate(record["sources"], 1):
            print_out(f"{n}. {source['title']}: {source['url']}")
    console.print(
        f"[dim]{record['outcome']} · {record['provider'] or '-'} · {record['latency_ms']:.0f} ms · "
        "answers can contain mistakes: check the linked guidance[/]", highlight=False
    )
