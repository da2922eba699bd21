"""Connections and migrations."""

from __future__ import annotations

import logging
import threading
from importlib import resources
from pathlib import Path

import psycopg
from pgvector.psycopg import register_vector

from govai.config import Settings, get_settings
from govai.errors import StoreError
from govai.store.embedded import start_embedded

log = logging.getLogger(__name__)


class Database:
    """One database: embedded (default) or the server named by ``DATABASE_URL``."""

    def __init__(self, url: str | None = None, pgdata: Path | None = None) -> None:
        if url is None and pgdata is None:
            raise ValueError("need a URL or an embedded data directory")
        self._url = url
        self._pgdata = pgdata
        self._lock = threading.Lock()
        self._conn: psycopg.Connection | None = None

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Database:
        s = settings or get_settings()
        if s.database_url:
            return cls(url=s.database_url)
        return cls(pgdata=s.pgdata)

    @property
    def url(self) -> str:
        if self._url is None:
            assert self._pgdata is not None
            self._url = start_embedded(self._pgdata)
        return self._url

    @property
    def embedded(self) -> bool:
        return self._pgdata is not None

    def connect(self) -> psycopg.Connection:
        """A new connection with pgvector types registered."""
        try:
            conn = psycopg.connect(self.url, autocommit=True)
        except psycopg.OperationalError as exc:
            raise StoreError(f"cannot connect to PostgreSQL: {exc}".strip()) from exc
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(
                f"the PostgreSQL server has no pgvector extension ({exc.diag.message_primary or exc}); "
                "install pgvector there, or unset DATABASE_URL to use GovAI's embedded server"
            ) from None
        register_vector(conn)
        return conn

    @property
    def conn(self) -> psycopg.Connection:
        """A shared connection for this process, migrated on first use."""
        with self._lock:
            if self._conn is None or self._conn.closed:
                conn = self.connect()
                migrate(conn)
                self._conn = conn
            return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _migrations() -> list[tuple[int, str, str]]:
    files = resources.files("govai.store") / "migrations"
    out = []
    for f in files.iterdir():
        if f.name.endswith(".sql"):
            version = int(f.name.split("_", 1)[0])
            out.append((version, f.name, f.read_text()))
    return sorted(out)


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply pending migrations in order, each in its own transaction.

    An advisory lock keeps two processes from migrating at once.
    """
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(7423001)")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version int PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        for version, name, sql in _migrations():
            if version in done:
                continue
            log.info("applying migration %s", name)
            try:
                conn.execute(sql)
            except psycopg.Error as exc:
                raise StoreError(f"migration {name} failed: {exc}") from exc
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
            applied.append(name)
    return applied


_default: Database | None = None


def get_database() -> Database:
    global _default
    if _default is None:
        _default = Database.from_settings()
    return _default
