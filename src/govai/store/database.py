"""Connections and migrations."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

import psycopg
from pgvector.psycopg import register_vector
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool

from govai.config import Settings, get_settings
from govai.errors import StoreError
from govai.store.embedded import start_embedded

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10
POOL_SIZE = 8  # tenant-scoped connections per process (the server)
URL_HELP = "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
UNSET_HELP = "or unset DATABASE_URL to use GovAI's embedded server"

# The user part's password runs to the last @ before the host (an unencoded @ in it is common).
_URI_PASSWORD = re.compile(r"(://[^:/@?#]*:)([^/?#]*)(@)")
_KV_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:\\.|[^'])*'|[^\s&]*)", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL with its password (in the user part, a query parameter or key=value form) replaced by ***."""
    return _KV_PASSWORD.sub(r"\1***", _URI_PASSWORD.sub(r"\1***\3", url))


def _passwords(url: str) -> set[str]:
    found = {m.group(2) for m in _URI_PASSWORD.finditer(url)}
    found |= {m.group(2).strip("'") for m in _KV_PASSWORD.finditer(url)}
    found |= {piece for p in found for piece in p.split("@")}  # libpq splits at the first @, not the last
    found |= {unquote(p) for p in found}
    return {p for p in found if p}


def scrub(message: str, url: str) -> str:
    """One line, with no password from ``url`` in it (libpq may quote parts of the URL)."""
    for password in sorted(_passwords(url), key=len, reverse=True):
        message = message.replace(password, "***")
    return " ".join(message.split())


def check_url(url: str) -> dict[str, str]:
    """The connection parameters of ``url``; a StoreError saying what is wrong if it is not a PostgreSQL URL."""
    scheme = url.split("://", 1)[0] if "://" in url else None
    if scheme is not None and scheme not in ("postgresql", "postgres"):
        raise StoreError(
            f"DATABASE_URL must be a PostgreSQL URL ({URL_HELP}), not a {scheme}:// URL; "
            f"fix it, {UNSET_HELP}"
        )
    if scheme is not None and url.split("://", 1)[1].split("/", 1)[0].count("@") > 1:
        raise StoreError(
            "DATABASE_URL has more than one @ before the host; write an @ in the user name or password as %40, "
            + UNSET_HELP
        )
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise StoreError(
            f"DATABASE_URL is not a valid PostgreSQL URL ({scrub(str(exc), url)}); "
            f"set it to {URL_HELP}, {UNSET_HELP}"
        ) from None
    return {k: str(v) for k, v in params.items() if v is not None}


@dataclass
class ServerInfo:
    """What ``govai db status`` reports about the ``DATABASE_URL`` server."""

    url: str  # password redacted
    host: str
    port: int
    database: str | None
    running: bool = False
    error: str | None = None
    server_version: str | None = None
    pgvector: str | None = None
    data_directory: str | None = None
    disk_bytes: int | None = None


class Database:
    """One database: embedded (default) or the server named by ``DATABASE_URL``."""

    def __init__(self, url: str | None = None, pgdata: Path | None = None) -> None:
        if url is None and pgdata is None:
            raise ValueError("need a URL or an embedded data directory")
        if url is not None:
            check_url(url)  # fail before anything runs, with a message rather than libpq's traceback
        self._url = url
        self._pgdata = pgdata
        self._lock = threading.Lock()
        self._local = threading.local()  # one connection per thread: a psycopg connection runs one thing at a time
        self._conns: list[psycopg.Connection] = []
        self._migrated = False
        self._pool: ConnectionPool | None = None

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
        return self._connect(self.url)

    def describe(self) -> str:
        """Where the database is, for messages: never with a password."""
        if self._pgdata is not None:
            return f"the embedded PostgreSQL in {self._pgdata}"
        return f"PostgreSQL at {redact_url(self._url or '')}"

    def _connect(self, url: str, timeout_s: int = CONNECT_TIMEOUT_S) -> psycopg.Connection:
        # A firewalled host would otherwise hang for minutes; a timeout in the URL wins.
        conninfo = url if "connect_timeout" in check_url(url) else make_conninfo(url, connect_timeout=timeout_s)
        try:
            conn = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as exc:
            fix = (
                "run 'govai db status', or 'govai db stop' and try again"
                if self.embedded
                else f"check that the server is running and DATABASE_URL is right, {UNSET_HELP}"
            )
            raise StoreError(f"cannot connect to {self.describe()}: {scrub(str(exc), url)}; {fix}") from None
        try:
            with conn.transaction():
                # Two first connections (say two commands on a fresh server) would both try to create it.
                conn.execute("SELECT pg_advisory_xact_lock(7423002)")
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(
                f"the PostgreSQL server has no pgvector extension ({exc.diag.message_primary or exc}); "
                "install pgvector there, or unset DATABASE_URL to use GovAI's embedded server"
            ) from None
        register_vector(conn)
        return conn

    def probe(self, timeout_s: int = 5) -> ServerInfo:
        """Whether the ``DATABASE_URL`` server answers, and what it is; creates and changes nothing."""
        if self._url is None:
            raise ValueError("probe() is for DATABASE_URL; see store.embedded.embedded_status")
        params = check_url(self._url)
        info = ServerInfo(
            url=redact_url(self._url),
            host=params.get("host") or params.get("hostaddr") or "localhost",
            port=int(params["port"]) if params.get("port", "").isdigit() else 5432,
            database=params.get("dbname") or params.get("user"),
        )
        try:
            with psycopg.connect(self._url, autocommit=True, connect_timeout=timeout_s) as conn:
                info.running = True
                info.server_version = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
                info.database, info.disk_bytes = conn.execute(  # type: ignore[misc]
                    "SELECT current_database(), pg_database_size(current_database())").fetchone()
                row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
                info.pgvector = row[0] if row else None
                try:  # superusers and pg_read_all_settings members only
                    info.data_directory = conn.execute("SHOW data_directory").fetchone()[0]  # type: ignore[index]
                except psycopg.Error:
                    info.data_directory = None
        except psycopg.Error as exc:
            info.running = False
            info.error = scrub(str(exc), self._url)
        return info

    @property
    def conn(self) -> psycopg.Connection:
        """This thread's connection (GovAI's own, as the table owner), migrated on first use."""
        conn: psycopg.Connection | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self.connect()
            with self._lock:
                if not self._migrated:
                    migrate(conn)
                    self._migrated = True
                self._conns = [c for c in self._conns if not c.closed] + [conn]
            self._local.conn = conn
        return conn

    @contextmanager
    def tenant(self, tenant_id: str) -> Iterator[psycopg.Connection]:
        """A transaction that runs as one tenant: row-level security admits only its rows, whatever
        the query asks for (see migration 0009)."""
        self.conn  # migrated, so the role and the policies exist
        with self._lock:
            if self._pool is None:
                self._pool = ConnectionPool(self.url, min_size=1, max_size=POOL_SIZE, open=True,
                                            kwargs={"autocommit": False}, configure=register_vector)
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SET LOCAL ROLE govai_tenant")
            conn.execute("SELECT set_config('govai.tenant', %s, true)", (tenant_id,))
            yield conn

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                conn.close()
            self._conns = []
            if self._pool is not None:
                self._pool.close()
                self._pool = None
        self._local = threading.local()


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
