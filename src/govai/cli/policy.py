"""``govai policy explain``: which provider a request would go to, and why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json
from govai.errors import ConfigError
from govai.domain import Classification
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
    classify, pseudonymise...), so markings and personal data in it count.
    Nothing is composed and nothing is sent to a provider.
    """
    from govai.runtime import Runtime

    prof = load_profile(profile)
    if providers_file is not None:
        prof = prof.model_copy(update={"providers_file": str(providers_file)})
    runtime = Runtime(profile=prof)
    ctx = Context(
        question=question or "(no question)",
        kb=prof.kb,
        service=prof.name,
        classification=_classification(classification) or prof.classification,
    )
    if personal_data and "personal_data" not in ctx.flags:
        ctx.flags.append("personal_data")
    result = _run_until_route(runtime, ctx, run_steps=question is not None)
    if json_:
        print_json(result)
        return
    _show(result)


def _run_until_route(runtime: Any, ctx: Context, *, run_steps: bool) -> dict[str, Any]:
    import govai.pipeline.steps  # noqa: F401  (registers the steps)
    from govai.pipeline.step import steps
    from govai.pipeline.steps.route import Route
    from govai.pipeline.steps.route import build as build_route

    names = [s.name for s in runtime.profile.steps]
    enforced = "route" in names  # else compose applies the policy itself
    stopped_by = None
    if run_steps and enforced:
        for cfg in runtime.profile.steps[: names.index("route")]:
            step = steps.get(cfg.name)(runtime, cfg.options)
            if getattr(step, "always_runs", False):
                continue
            step(ctx)
            if ctx.stopped:
                stopped_by = cfg.name
                break
    route: Route = build_route(runtime, runtime.profile.step_options("route"))
    decision = route.decide(ctx)
    return {
        "service": runtime.profile.name,
        "uk_only": runtime.profile.uk_only,
        "route_step": enforced,
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
                  + (" with personal data" if result["personal_data"] else ""))
    table.add_column("provider", no_wrap=True)
    table.add_column("decision", no_wrap=True)
    table.add_column("why", overflow="fold")
    for i, r in enumerate(result["chain"]):
        role = "chosen" if i == 0 else "fallback"
        why = "allowed" + (", gets pseudonymised text" if r["text"] == "pseudonymised" else "")
        table.add_row(r["provider"], f"[green]{role}[/]", why)
    for name, reasons in result["rejected"].items():
        table.add_row(name, "[red]not allowed[/]", "; ".join(reasons.values()))
    console.print(table)
    console.print(result["explanation"], highlight=False)
