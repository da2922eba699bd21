"""``DATABASE_URL`` mistakes are one clear line and exit code 1, never a traceback or a password."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from govai.errors import StoreError
from govai.store.database import Database, check_url, redact_url, scrub

CLI = [sys.executable, "-c", "from govai.cli.main import app; app()"]
SECRET = "s3cr3t-Pa55"


def run_govai(*args: str, url: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "GOVAI_HOME": str(home)}
    return subprocess.run([*CLI, *args], check=False, env=env, capture_output=True, text=True, timeout=120)


def one_line(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def assert_clean_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    message = one_line(result.stderr)
    assert message.startswith("Error: ")
    for text in expected:
        assert text in message, message
    assert SECRET not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("notaurl", 'DATABASE_URL is not a valid PostgreSQL URL (missing "=" after "notaurl"'),
        (f"mysql://govai:{SECRET}@localhost/govai", "DATABASE_URL must be a PostgreSQL URL"),
        (f"postgresql://govai:{SECRET}%zz@localhost/govai", "invalid percent-encoded token"),
        (f"postgresql://govai:{SECRET}@x@localhost/govai", "write an @ in the user name or password as %40"),
    ],
    ids=["not-a-url", "other-scheme", "bad-escape", "two-ats"],
)
def test_an_invalid_url_is_one_clear_line(home: Path, url: str, expected: str) -> None:
    result = run_govai("kb", "list", url=url, home=home)
    assert_clean_error(result, expected, "unset DATABASE_URL")
    assert not home.exists()  # nothing started in its place


def test_an_unreachable_server_is_one_clear_line_without_the_password(home: Path) -> None:
    port = closed_port()
    result = run_govai("kb", "list", url=f"postgresql://govai:{SECRET}@127.0.0.1:{port}/govai", home=home)
    assert_clean_error(
        result,
        f"cannot connect to PostgreSQL at postgresql://govai:***@127.0.0.1:{port}/govai",
        "Connection refused",
        "check that the server is running and DATABASE_URL is right",
    )


def test_db_status_of_an_unreachable_server(home: Path) -> None:
    port = closed_port()
    url = f"postgresql://govai:{SECRET}@127.0.0.1:{port}/govai"
    result = run_govai("db", "status", url=url, home=home)
    assert result.returncode == 3
    assert "PostgreSQL from DATABASE_URL: not reachable" in result.stdout
    assert f"postgresql://govai:***@127.0.0.1:{port}/govai" in result.stdout
    assert "cannot connect" in result.stderr and "Connection refused" in one_line(result.stderr)
    assert SECRET not in result.stdout + result.stderr

    result = run_govai("db", "status", "--json", url=url, home=home)
    assert result.returncode == 3
    data = json.loads(result.stdout)
    assert (data["mode"], data["running"], data["port"]) == ("url", False, port)
    assert "Connection refused" in data["error"]
    assert SECRET not in result.stdout + result.stderr


def test_db_status_with_an_invalid_url(home: Path) -> None:
    for command in (("db", "status"), ("db", "status", "--json")):
        assert_clean_error(run_govai(*command, url="notaurl", home=home), "DATABASE_URL is not a valid PostgreSQL URL")


@pytest.mark.parametrize("url", [f"postgresql://govai:{SECRET}@127.0.0.1:1/govai", "notaurl"])
def test_db_stop_leaves_a_database_url_server_alone(home: Path, url: str) -> None:
    result = run_govai("db", "stop", url=url, home=home)
    assert_clean_error(result, "DATABASE_URL is set, and GovAI does not manage that server")


def test_db_status_of_a_reachable_server(db, home: Path) -> None:
    """The session's own server, named by DATABASE_URL (the embedded one's socket URI, or the CI's server)."""
    result = run_govai("db", "status", "--json", url=db.url, home=home)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["mode"] == "url" and data["running"] is True and data["error"] is None
    assert data["server_version"] and data["pgvector"]  # the fixture's connection created the extension
    assert data["disk_bytes"] > 0
    result = run_govai("db", "status", url=db.url, home=home)
    assert result.returncode == 0
    assert "PostgreSQL from DATABASE_URL: running" in result.stdout


# ---------------------------------------------------------------- redaction


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"postgresql://govai:{SECRET}@db.example:5432/govai", "postgresql://govai:***@db.example:5432/govai"),
        (f"postgres://govai:{SECRET}@db.example/govai?sslmode=require", "postgres://govai:***@db.example/govai?sslmode=require"),
        (f"postgresql://db.example/govai?user=govai&password={SECRET}&sslmode=require",
         "postgresql://db.example/govai?user=govai&password=***&sslmode=require"),
        (f"host=db.example user=govai password={SECRET} dbname=govai", "host=db.example user=govai password=*** dbname=govai"),
        (f"host=db.example password='{SECRET} x' dbname=govai", "host=db.example password=*** dbname=govai"),
        ("postgresql://govai@db.example/govai", "postgresql://govai@db.example/govai"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    check_url(url)  # all valid


def test_scrub_removes_the_password_wherever_libpq_quotes_it() -> None:
    url = f"postgresql://govai:{SECRET}%21@db.example/govai"
    message = f'invalid token "{SECRET}!"\n\tand "{SECRET}%21"'
    assert scrub(message, url) == 'invalid token "***" and "***"'


def test_an_invalid_url_fails_when_the_database_is_created() -> None:
    with pytest.raises(StoreError, match="DATABASE_URL is not a valid PostgreSQL URL"):
        Database(url="notaurl")
