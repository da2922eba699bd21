"""Assurance commands: ``govai eval run|gate|report|runs``, ``govai atrs`` and
``govai assurance playbook|inventory`` (docs/assurance.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json, print_out, results
from govai.cli.eval import eval_app
from govai.errors import ConfigError

app = typer.Typer(help="Assurance: the AI Playbook self-assessment and the asset inventory.", no_args_is_help=True)

SERVICE = typer.Argument(..., help="The service: a profile file, a preset, or the name of a profile in --services.")
SERVICES = typer.Option(None, "--services", "-s", help="Folder of service profiles (default: $GOVAI_SERVICES_DIR "
                                                        "or ./services).")
KB = typer.Option(None, "--kb", help="Knowledge base (default: the profile's).")


def _service(name: str, services: Path | None) -> Any:
    from govai.assurance.runs import load_service

    return load_service(name, services)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


@eval_app.command("run")
@handle_errors
def run(
    service: str = SERVICE,
    suite: list[str] = typer.Option(None, "--suite", help="A suite to run (repeatable; default all): answer_quality, "
                                                          "groundedness, safety, fairness, robustness."),
    kb: Optional[str] = KB,
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Only the first N rows of each dataset "
                                                                      "(a partial run: the gate ignores it)."),
    judge: Optional[str] = typer.Option(None, "--judge", help="Provider (from the provider file) that judges "
                                                              "groundedness; default the profile's assurance.judge."),
    services: Optional[Path] = SERVICES,
    as_json: bool = typer.Option(False, "--json", help="Print the stored run as JSON."),
) -> None:
    """Evaluate the service on Inspect; store the run; write its report beside the Inspect logs."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from govai.assurance import gate as gate_mod
    from govai.assurance.runs import check_suites, evaluate

    profile = _service(service, services)
    suites = check_suites(list(suite)) if suite else None
    with Progress(TextColumn("[bold]{task.description:18}[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=not sys.stderr.isatty()) as progress:
        def track(task: str, total: int):  # type: ignore[no-untyped-def]
            tid = progress.add_task(task, total=total)
            return lambda: progress.advance(tid)

        stored = evaluate(profile, suites, kb=kb, limit=limit, judge=judge, progress=track)
    if as_json:
        print_json(stored.as_dict())
        return
    table = Table("suite", "figure", "value", title=f"{profile.name}: run {stored.id} ({stored.status})",
                  title_justify="left")
    for name, entry in stored.results["suites"].items():
        for figure, value in entry["figures"].items():
            table.add_row(name, figure, _fmt(value))
    results.print(table)
    timing = stored.results["timing"]
    console.print(f"{timing['total_seconds']:.1f} s (pipeline {timing['pipeline_seconds']:.1f} s over "
                  f"{timing['pipeline_calls']} questions). Inspect logs: inspect view --log-dir {stored.log_dir}",
                  highlight=False, soft_wrap=True)
    console.print(f"Report: {Path(stored.log_dir or '.') / 'report.html'}", highlight=False, soft_wrap=True)
    result = gate_mod.gate_service(profile, kb)
    console.print(f"Release gate: {result.status}" + ("" if result.passed else " — " + "; ".join(result.reasons())),
                  highlight=False, soft_wrap=True)


@eval_app.command("gate")
@handle_errors
def gate(
    service: str = SERVICE,
    kb: Optional[str] = KB,
    services: Optional[Path] = SERVICES,
    as_json: bool = typer.Option(False, "--json", help="Print the verdict as JSON."),
) -> None:
    """Exit 0 when the latest evaluation of the current configuration meets every threshold;
    1 when a threshold fails; 2 when an evaluation is missing or older than the configuration."""
    from govai.assurance.gate import gate_service

    profile = _service(service, services)
    result = gate_service(profile, kb)
    if as_json:
        print_json(result.as_dict())
    else:
        table = Table("suite", "figure", "value", "threshold", "", title=f"{profile.name}: release gate {result.status}",
                      title_justify="left")
        for c in result.checks:
            table.add_row(c.suite, c.figure, _fmt(c.value), c.threshold, "pass" if c.passed else "FAIL")
        results.print(table)
        for problem in result.problems:
            print_out(f"  - {problem}")
    raise typer.Exit(result.exit_code)


@eval_app.command("report")
@handle_errors
def report(
    service: str = SERVICE,
    run_id: Optional[str] = typer.Option(None, "--run", help="Run id (default: the latest)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Where to write the HTML (its JSON twin goes "
                                                                 "beside it); default: the run's folder."),
    kb: Optional[str] = KB,
    services: Optional[Path] = SERVICES,
) -> None:
    """Write the assurance report of a run (HTML and JSON), with the current thresholds and gate."""
    from govai.assurance import inventory, report as report_mod, runs
    from govai.config import get_settings
    from govai.store.database import get_database
    from govai.store.knowledge import KnowledgeStore

    profile = _service(service, services)
    db = get_database()
    stored = runs.get(db, run_id) if run_id else next(iter(runs.runs(db, profile.name, 1)), None)
    if stored is None:
        raise ConfigError(f"no evaluation run for {profile.name}: run govai eval run {service}")
    if stored.service != profile.name:
        raise ConfigError(f"run {stored.id} is of service {stored.service!r}, not {profile.name!r}")
    assets = inventory.build(profile, KnowledgeStore(db), get_settings().embedder, kb=kb or stored.manifest.get("kb"),
                             base_dir=runs.profile_dir(profile))
    folder = out.parent if out else Path(stored.log_dir or ".")
    name = out.stem if out else "report"
    html_path, json_path = report_mod.write(stored, runs.previous(db, stored), profile, assets, folder, db, name)
    console.print(f"Wrote {html_path} and {json_path}", highlight=False, soft_wrap=True)


@eval_app.command("runs")
@handle_errors
def list_runs(
    service: str = SERVICE,
    services: Optional[Path] = SERVICES,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The service's evaluation runs, newest first."""
    from govai.assurance import runs
    from govai.store.database import get_database

    profile = _service(service, services)
    stored = runs.runs(get_database(), profile.name, 50)
    if as_json:
        print_json([{k: v for k, v in r.as_dict().items() if k not in ("manifest", "results")} for r in stored])
        return
    table = Table("run", "finished", "status", "suites", "fingerprint", title=f"{profile.name}: evaluation runs",
                  title_justify="left")
    for r in stored:
        table.add_row(r.id, f"{r.finished_at:%Y-%m-%d %H:%M}", r.status, ", ".join(r.suites), r.version[:12])
    results.print(table)


def _latest_run(profile: Any) -> tuple[Any, Any]:
    from govai.assurance import runs
    from govai.store.database import get_database

    db = get_database()
    complete = [r for r in runs.runs(db, profile.name, 50) if r.status == "complete"]
    latest = complete[0] if complete else None
    if latest is not None:
        # Each suite's figures from the latest complete run that evaluated it (a run may cover a few suites).
        suites = dict(latest.results.get("suites", {}))
        for older in complete[1:]:
            for name, entry in older.results.get("suites", {}).items():
                suites.setdefault(name, entry)
        latest.results = {**latest.results, "suites": suites}
    return db, latest


@handle_errors
def atrs(
    service: str = SERVICE,
    fmt: str = typer.Option("md", "--format", "-f", help="md, html or json."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of standard output."),
    draft: bool = typer.Option(False, "--draft", help="Write the record even when required fields are missing "
                                                      "(marked as a draft)."),
    kb: Optional[str] = KB,
    services: Optional[Path] = SERVICES,
) -> None:
    """The service's Algorithmic Transparency Recording Standard record (Tier 1 and Tier 2).

    Exit code 1, with the list of missing required fields, when the record cannot be published
    (nothing is written unless --draft)."""
    _atrs(service, fmt, out, draft, kb, services)


def _atrs(service: str, fmt: str, out: Path | None, draft: bool, kb: str | None, services: Path | None) -> None:
    from govai.assurance import atrs as atrs_mod
    from govai.assurance import inventory
    from govai.assurance.report import tenant_name
    from govai.config import get_settings
    from govai.store.knowledge import KnowledgeStore

    if fmt not in ("md", "html", "json"):
        raise ConfigError(f"--format must be md, html or json, not {fmt!r}")
    profile = _service(service, services)
    db, latest = _latest_run(profile)
    store = KnowledgeStore(db)
    kb_entry = inventory.knowledge_base(store, kb or profile.kb)
    models = [*inventory.provider_models(profile), inventory.embedder_model(get_settings().embedder),
              *inventory.shipped_models(profile)]
    record = atrs_mod.build(profile, kb=kb_entry, run=latest.as_dict() if latest else None,
                            tenant_name=tenant_name(db, profile), models=models)
    if not record.publishable and not draft:
        console.print(f"[bold red]Not publishable:[/] {len(record.missing)} required field(s) missing "
                      "(declare them under assurance.atrs in the profile, or use --draft):", highlight=False)
        for m in record.missing:
            console.print(f"  - {m}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    text = {"md": atrs_mod.to_markdown, "html": atrs_mod.to_html, "json": atrs_mod.to_json}[fmt](record)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
        console.print(f"Wrote {out}" + ("" if record.publishable else f" (draft: {len(record.missing)} required "
                                                                        "field(s) missing)"), highlight=False)
    else:
        sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))


@app.command("playbook")
@handle_errors
def playbook_cmd(
    service: str = SERVICE,
    services: Optional[Path] = SERVICES,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The AI Playbook self-assessment: evidence and gaps for each of the ten principles."""
    from govai.assurance import atrs as atrs_mod
    from govai.assurance import inventory, playbook
    from govai.assurance.gate import gate_service
    from govai.config import get_settings
    from govai.store.knowledge import KnowledgeStore

    profile = _service(service, services)
    db, latest = _latest_run(profile)
    gate_result = gate_service(profile)
    record = atrs_mod.build(profile, kb=inventory.knowledge_base(KnowledgeStore(db), profile.kb),
                            run=latest.as_dict() if latest else None,
                            models=inventory.provider_models(profile) + [inventory.embedder_model(get_settings().embedder)])
    assessment = playbook.assess(profile, latest.as_dict() if latest else None, gate_result.as_dict(), record.missing)
    if as_json:
        print_json(assessment)
        return
    for p in assessment:
        print_out(f"{p['principle']:>2}. {p['title']} — {p['status']}")
        for e in p["evidence"]:
            print_out(f"      + {e}")
        for g in p["gaps"]:
            print_out(f"      - {g}")


@app.command("inventory")
@handle_errors
def inventory_cmd(
    service: str = SERVICE,
    kb: Optional[str] = KB,
    services: Optional[Path] = SERVICES,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every model, prompt, dataset and knowledge base the service depends on, with hashes and versions."""
    from govai.assurance import inventory, runs
    from govai.config import get_settings
    from govai.store.database import get_database
    from govai.store.knowledge import KnowledgeStore

    profile = _service(service, services)
    assets = inventory.build(profile, KnowledgeStore(get_database()), get_settings().embedder, kb=kb,
                             base_dir=runs.profile_dir(profile))
    if as_json:
        print_json(assets)
        return
    for kind, cols in (("models", ("name", "role", "version", "sha256")), ("prompts", ("name", "use", "sha256")),
                       ("datasets", ("name", "rows", "sha256")),
                       ("knowledge_bases", ("name", "documents", "chunks", "revision", "sha256"))):
        table = Table(*cols, title=kind.replace("_", " "), title_justify="left")
        for item in assets[kind]:
            table.add_row(*[str(item.get(c, "—"))[:64] for c in cols])
        results.print(table)
    print_out(f"configuration fingerprint {assets['fingerprint']['sha256']}")
