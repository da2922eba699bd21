"""``govai providers list|check``: the provider registry, reachability and policy."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json, results
from govai.profiles import ServiceProfile, load_profile
from govai.providers.config import Catalogue, load_catalogue
from govai.providers.health import check, policy_summary

app = typer.Typer(help="Model providers: what is configured, reachable and allowed.", no_args_is_help=True)

ProfileOpt = typer.Option(None, "--profile", "-p", help="Service profile: preset name or YAML file.")
FileOpt = typer.Option(
    None, "--providers-file", help="Provider registry YAML (default: the profile's, else $GOVAI_PROVIDERS)."
)
JsonOpt = typer.Option(False, "--json", help="Print JSON to stdout.")


def _load(profile: str | None, providers_file: Path | None) -> tuple[ServiceProfile, Catalogue]:
    from govai.runtime import Runtime

    prof = load_profile(profile)
    if providers_file is not None:
        prof = prof.model_copy(update={"providers_file": str(providers_file)})
    Runtime(prof).pipeline  # the profile's steps, options and providers are valid, or a clear error
    for warning in prof.waivers():
        console.print(f"[bold yellow]Warning:[/] service {prof.name!r}: {warning}", highlight=False)
    return prof, load_catalogue(providers_file or prof.providers_file)


def _mark(verdict: str) -> str:
    return "[green]yes[/]" if verdict.startswith("allowed") else "[red]no[/]"


@app.command("list")
@handle_errors
def list_providers(
    profile: str | None = ProfileOpt, providers_file: Path | None = FileOpt, json_: bool = JsonOpt
) -> None:
    """List every configured provider with its attributes and what this service may send it."""
    prof, catalogue = _load(profile, providers_file)
    rules = prof.service_rules()
    rows = []
    for name in catalogue.names():
        spec = catalogue.get(name)
        rows.append(spec.summary() | {"used_by_service": name in prof.providers, "policy": policy_summary(spec, rules)})
    if json_:
        print_json({"origin": catalogue.origin, "service": prof.name, "providers": rows})
        return
    table = Table(title=f"Providers ({catalogue.origin}) for service {prof.name!r}")
    table.add_column("name", no_wrap=True)
    for col in ("kind / model", "where", "clearance", "prompts", "£ per 1k in/out", "used"):
        table.add_column(col, overflow="fold")
    for r in rows:
        where = f"{r['jurisdiction']}, {r['hosting_region']}" + (" (on-prem)" if r["on_premises"] else "")
        clearance = r["max_classification"] + (" (accredited)" if r["accredited"] else "")
        prompts = ", ".join([
            "retained" if r["retains_prompts"] else "not retained",
            "trained on" if r["trains_on_prompts"] else "no training",
            "personal data approved" if r["personal_data"] else "pseudonymised",
        ])
        model = r["model"] or r["deployment"] or r["model_path"] or ""
        table.add_row(
            r["name"], f"{r['kind']} {model}".strip(), where, clearance, prompts,
            f"{r['cost_per_1k_input_gbp']:g} / {r['cost_per_1k_output_gbp']:g}", "yes" if r["used_by_service"] else "",
        )
    results.print(table)


@app.command("check")
@handle_errors
def check_providers(
    names: list[str] = typer.Argument(None, help="Providers to check (default: the service's)."),
    profile: str | None = ProfileOpt,
    providers_file: Path | None = FileOpt,
    json_: bool = JsonOpt,
) -> None:
    """Check each provider is reachable, and summarise what it may receive. Exit 1 if any fails."""
    prof, catalogue = _load(profile, providers_file)
    rules = prof.service_rules()
    chosen = names or list(dict.fromkeys(prof.providers))
    results = []
    for name in chosen:
        spec = catalogue.get(name)
        results.append(check(spec) | {"policy": policy_summary(spec, rules)})
    if json_:
        print_json({"service": prof.name, "uk_only": prof.uk_only, "providers": results})
    else:
        table = Table(title=f"Provider check for service {prof.name!r}" + (" (UK-only)" if prof.uk_only else ""))
        table.add_column("provider", no_wrap=True)
        for col in ("reachable", "detail", "OFFICIAL", "O-SENSITIVE", "SECRET", "TOP SECRET", "personal data"):
            table.add_column(col, overflow="fold")
        for r in results:
            pol = r["policy"]
            table.add_row(
                r["provider"], "[green]ok[/]" if r["ok"] else "[red]FAIL[/]", r["detail"],
                *(_mark(pol[c]["plain"]) for c in ("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET")),
                pol["OFFICIAL"]["personal_data"],
            )
        results.print(table)
    if not all(r["ok"] for r in results):
        raise typer.Exit(1)
