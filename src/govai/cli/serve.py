"""``govai serve``: the HTTP service under uvicorn."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer

from govai.cli.common import console, handle_errors


@handle_errors
def serve(
    services: Path = typer.Option(Path("services"), "--services", "-s", help="Directory of service profiles (*.yaml)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn's log level."),
) -> None:
    """Serve the service API, human review, audit and operations endpoints (docs at /docs)."""
    import uvicorn

    from govai.server.catalogue import ServiceCatalogue
    from govai.store.database import get_database

    # Check everything before any worker starts: profiles, steps, providers, owners, the store.
    catalogue = ServiceCatalogue.from_directory(services)
    from govai.store.tenants import Tenants

    tenants = Tenants(get_database())
    for service in catalogue.services.values():
        tenants.require(service.tenant)
    # No service in a live phase (beta, pilot, production) while its release gate fails (docs/assurance.md).
    from govai.assurance.gate import refuse_unreleased

    refuse_unreleased(s.profile for s in catalogue.services.values())
    _web_assets()
    os.environ["GOVAI_SERVICES_DIR"] = str(services.resolve())
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="govai-metrics-")
    console.print(f"Serving {', '.join(catalogue.names())} on http://{host}:{port} ({workers} worker"
                  f"{'s' if workers > 1 else ''}); API docs at /docs", highlight=False)
    uvicorn.run("govai.server.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, access_log=False, timeout_graceful_shutdown=10)


def _web_assets() -> None:
    """GOV.UK Frontend's assets for the web pages: fetched once with npm when missing. Without them
    the pages still work, unstyled, and the API is unaffected."""
    from govai.errors import GovAIError
    from govai.web import assets

    if assets.present():
        return
    try:
        with console.status(f"Fetching GOV.UK Frontend {assets.GOVUK_FRONTEND} for the web pages…"):
            where, _count = assets.fetch()
        console.print(f"GOV.UK Frontend {assets.GOVUK_FRONTEND} is in {where}", highlight=False)
    except GovAIError as exc:
        console.print(f"[yellow]Warning:[/] the web pages will be unstyled: {exc}", highlight=False)
