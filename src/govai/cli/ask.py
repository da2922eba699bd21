"""``govai ask``: answer one question from a knowledge base."""

from __future__ import annotations


import typer
from rich.markdown import Markdown
from rich.panel import Panel

from govai.cli.common import console, handle_errors, print_json
from govai.domain import Classification


@handle_errors
def ask(
    question: str = typer.Argument(..., help="The question, as a citizen or caseworker would type it."),
    kb: str = typer.Option(None, "--kb", help="Knowledge base (default: the profile's)."),
    profile: str = typer.Option(None, "--profile", help="Service profile: a YAML file or a preset name."),
    classification: Classification = typer.Option(None, "--classification", help="Security classification of the request."),
    json_out: bool = typer.Option(False, "--json", help="Print the answer record as JSON."),
) -> None:
    """Answer a question from the guidance, with citations, or say it can't."""
    from govai.pipeline.answer import answer_record
    from govai.profiles import load_profile
    from govai.runtime import Runtime

    runtime = Runtime(load_profile(profile) if profile else None)
    runtime.knowledge.require(kb or runtime.profile.kb)  # an unknown KB is a usage error, not a service error
    ctx = runtime.ask(question, kb=kb, classification=classification)
    record = answer_record(ctx)
    if json_out:
        print_json(record)
        return
    show_answer(question, record)


def show_answer(question: str, record: dict) -> None:
    body = record["answer"]
    if record["sources"]:
        body += "\n\n**Sources**\n" + "\n".join(
            f"{n}. [{s['title']}]({s['url']})" for n, s in enumerate(record["sources"], 1)
        )
    style = "green" if not record["abstained"] else "yellow"
    console.print(Panel(Markdown(body), title=question, title_align="left", border_style=style))
    console.print(
        f"[dim]{record['outcome']} · {record['provider'] or '-'} · {record['latency_ms']:.0f} ms · "
        "answers can contain mistakes: check the linked guidance[/]"
    )
