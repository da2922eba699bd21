"""Evaluation reports and the transparency record in the admin, built by govai.assurance (the
same functions as ``govai eval report`` and ``govai atrs``), read from the stored runs.

Both are self-contained HTML documents with their own styles and charts as data: images and no
script; they are served under a Content-Security-Policy of their own (``DOCUMENT_CSP``).
"""

from __future__ import annotations

from typing import Any

from govai.server.catalogue import Service
from govai.store.database import Database

DOCUMENT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; "
                "frame-ancestors 'none'; base-uri 'none'; sandbox")
RUNS_SHOWN = 10


def evaluations(db: Database, service: Service) -> list[Any]:
    """The service's evaluation runs, newest first (none before the first ``govai eval run``)."""
    from govai.assurance import runs

    return list(runs.runs(db, service.name, RUNS_SHOWN))


def report_html(db: Database, service: Service, run_id: str) -> str | None:
    """The assurance report of one of the service's runs, or None when it has no such run."""
    from govai.assurance import inventory, report, runs
    from govai.config import get_settings
    from govai.store.knowledge import KnowledgeStore

    stored = next((r for r in runs.runs(db, service.name, 50) if r.id == run_id), None)
    if stored is None:
        return None
    profile = service.profile
    assets = inventory.build(profile, KnowledgeStore(db), get_settings().embedder,
                             kb=stored.manifest.get("kb") or profile.kb, base_dir=runs.profile_dir(profile))
    history = runs.runs(db, profile.name, limit=12)
    data = report.build(stored, runs.previous(db, stored), profile, assets, history, report.tenant_name(db, profile))
    return str(report.to_html(data))


def transparency_html(db: Database, service: Service) -> str:
    """The service's ATRS record as HTML, from its latest complete run if any (marked as a draft,
    with the list, while required fields are missing)."""
    from govai.assurance import atrs, inventory, runs
    from govai.assurance.report import tenant_name
    from govai.config import get_settings
    from govai.store.knowledge import KnowledgeStore

    profile = service.profile
    latest = next((r for r in runs.runs(db, profile.name, 50) if r.status == "complete"), None)
    models = [*inventory.provider_models(profile), inventory.embedder_model(get_settings().embedder),
              *inventory.shipped_models(profile)]
    record = atrs.build(profile, kb=inventory.knowledge_base(KnowledgeStore(db), profile.kb),
                        run=latest.as_dict() if latest else None, tenant_name=tenant_name(db, profile), models=models)
    return str(atrs.to_html(record))
