"""``govai plugins``: what is installed, what every registry holds, and what failed to load."""

from __future__ import annotations

import typer
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json, results


@handle_errors
def plugins(json_out: bool = typer.Option(False, "--json", help="Print JSON to stdout.")) -> None:
    """List installed plugins and the names every registry knows (built in or from a plugin)."""
    from govai.plugins import load_plugins
    from govai.registry import registries

    _load_builtins()
    statuses = load_plugins()
    contents = {r.kind: list(r) for r in registries()}
    if json_out:
        print_json({
            "plugins": [{"name": s.name, "value": s.value, "distribution": s.distribution, "loaded": s.loaded,
                         "error": s.error} for s in statuses],
            "registries": contents,
        })
        return
    table = Table(title="Plugins (entry point group 'govai')")
    for col in ("name", "module", "package", "status"):
        table.add_column(col, overflow="fold")
    for s in statuses:
        table.add_row(s.name, s.value, s.distribution or "", "[green]loaded[/]" if s.loaded else f"[red]{s.error}[/]")
    if statuses:
        results.print(table)
    else:
        console.print("No plugins installed.")
    names = Table(title="Registries")
    names.add_column("kind", no_wrap=True)
    names.add_column("names", overflow="fold")
    for kind, items in sorted(contents.items()):
        names.add_row(kind, ", ".join(items))
    results.print(names)
    if any(not s.loaded for s in statuses):
        raise typer.Exit(1)


def _load_builtins() -> None:
    """Import the built-in parts so every registry is filled before it is listed."""
    import govai.embeddings.minilm  # noqa: F401
    import govai.embeddings.openai  # noqa: F401
    import govai.guards.engine  # noqa: F401
    import govai.ingest.readers  # noqa: F401
    import govai.pii.detector  # noqa: F401
    import govai.pipeline.steps  # noqa: F401
    import govai.policy.review  # noqa: F401
    import govai.providers.registry  # noqa: F401
