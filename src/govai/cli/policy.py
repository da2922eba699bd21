"""``govai policy explain``: which provider a request would go to, and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json, results
from govai.errors import ConfigError
from govai.domain import Classification, PersonalData
from govai.pipeline.context import Context
from govai.profiles import load_profile

app = typer.Typer(help="Routing policy: explain decisions before they are made.", no_args_is_help=True)


def _classification(value: str | None) -> Classification | None:
    if value is None:
        return None
    wanted = value.strip().upper().replace("_", "-")
    wanted = "TOP SECRET" if wanted == "TOP-SECRET" else wanted
    try:
        return Classification(wanted)
    except ValueError:
        known = ", ".join(c.value for c in Classification)
        raise ConfigError(f"unknown classification {value!r} (one of: {known})") from None


@app.command("explain")
@handle_errors
def explain(
    question: str = typer.Argument(None, help="A question to run through the steps before routing (optional)."),
    classification: str = typer.Option(
        None, "--classification", "-c", help="OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET (default: profile)."
    ),
    personal_data: bool = typer.Option(False, "--personal-data", help="Treat the request as holding personal data."),
    profile: str = typer.Option(None, "--profile", "-p", help="Service profile: preset name or YAML file."),
    providers_file: Path = typer.Option(
        None, "--providers-file", help="Provider registry YAML (overrides the profile's)."
    ),
    json_: bool = typer.Option(False, "--json", help="Print JSON to stdout."),
) -> None:
    """Explain which provider a request would go to and why the others would not.

    With QUESTION, the service's steps before ``route`` run for real (normalise,
    security_marking, pseudonymise...), so markings and personal data in it count.
    Nothing is retrieved or composed; only an input-guard LLM judge, if the service
    has one and the policy allows it, sees the question.
    """
    from govai.runtime import Runtime

    prof = load_profile(profile)
    if providers_file is not None:
        prof = prof.model_copy(update={"providers_file": str(providers_file)})
    runtime = Runtime(profile=prof)
    ctx = runtime.context(question or "(no question)",
                          classification=_classification(classification) or prof.classification)
    if personal_data:
        ctx.personal_data = PersonalData.FOUND
        ctx.flag("personal_data")
    elif question is None and "pseudonymise" in (s.name for s in prof.steps):
        ctx.personal_data = PersonalData.NONE  # no text to screen: assume none, as screening would
    result = _run_until_route(runtime, ctx, run_steps=question is not None)
    for warning in prof.waivers():
        console.print(f"[bold yellow]Warning:[/] {warning}", highlight=False)
    if json_:
        print_json(result)
        return
    _show(result)


def _run_until_route(runtime: Any, ctx: Context, *, run_steps: bool) -> dict[str, Any]:
    pipeline = runtime.pipeline
    names = [s.name for s in pipeline.steps]
    enforced = "route" in names  # else compose applies the same policy itself
    stopped_by = None
    if run_steps:
        for step in pipeline.steps:
            if step.name in ("route", "retrieve"):
                break  # nothing is retrieved, composed or sent to a provider
            step(ctx)
            if ctx.stopped:
                stopped_by = step.name
                break
    decision = runtime.services.access.plan(ctx)
    return {
        "service": runtime.profile.name,
        "uk_only": runtime.profile.uk_only,
        "route_step": enforced,
        "waived_safeguards": dict(runtime.profile.waived_safeguards),
        "stopped_by": stopped_by,
        "stop_reason": ctx.reason if stopped_by else None,
        "flags": list(ctx.flags),
        **decision.as_dict(),
    }


def _show(result: dict[str, Any]) -> None:
    if not result["route_step"]:
        console.print(
            "[bold yellow]Note:[/] this service has no 'route' step: the compose step applies the same policy, "
            "after retrieval."
        )
    if result["stopped_by"]:
        step, reason = result["stopped_by"], result["stop_reason"]
        console.print(f"[yellow]The {step} step would stop this request first:[/] {reason}")
    table = Table(title=f"Routing for service {result['service']!r}: {result['classification']}"
                  + {"found": " with personal data", "unchecked": " not screened for personal data"}.get(
                      result["personal_data"], ""))
    table.add_column("provider", no_wrap=True)
    table.add_column("decision", no_wrap=True)
    table.add_column("why", overflow="fold")
    for i, r in enumerate(result["chain"]):
        role = "chosen" if i == 0 else "fallback"
        why = "allowed" + (", gets pseudonymised text" if r["text"] == "pseudonymised" else "")
        table.add_row(r["provider"], f"[green]{role}[/]", why)
    for name, reasons in result["rejected"].items():
        table.add_row(name, "[red]not allowed[/]", "; ".join(reasons.values()))
    results.print(table)
    results.print(result["explanation"], highlight=False, markup=False)
