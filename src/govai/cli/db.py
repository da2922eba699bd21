"""``govai db``: see and stop the database server. Results go to stdout, diagnostics to stderr."""

from __future__ import annotations

import typer

from govai.cli.common import console, handle_errors, print_json

app = typer.Typer(help="See and stop GovAI's database server.", no_args_is_help=True)

EXIT_NOT_RUNNING = 3  # as `pg_ctl status` and LSB init scripts


def _size(n: int | None) -> str:
    if n is None:
        return "unknown"
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _pids(pids: list[int]) -> str:
    return ", ".join(map(str, pids)) if pids else "none"


def _rows(title: str, rows: list[tuple[str, str]]) -> None:
    typer.echo(title)
    for label, value in rows:
        typer.echo(f"  {label:<15}{value}")


@app.command("status")
@handle_errors
def status(json_out: bool = typer.Option(False, "--json", help="Print the status as JSON.")) -> None:
    """Which database GovAI uses and whether it is running.

    Exit code 0 when it is running, 3 when it is not (or cannot be reached), 1 on a configuration error.
    Starts nothing.
    """
    from govai.config import get_settings
    from govai.store.database import Database
    from govai.store.embedded import embedded_status

    settings = get_settings()
    if settings.database_url:
        info = Database(url=settings.database_url).probe()
        if json_out:
            print_json({"mode": "url", **info.__dict__})
        else:
            state = "running" if info.running else "not reachable"
            rows = [("url", info.url)]
            if info.running:
                rows += [
                    ("server", f"PostgreSQL {info.server_version}"),
                    ("pgvector", info.pgvector or "not installed in this database"),
                    ("data directory", info.data_directory or "not visible to this user"),
                    ("disk use", f"{_size(info.disk_bytes)} (database {info.database})"),
                ]
            _rows(f"PostgreSQL from DATABASE_URL: {state}", rows)
            if info.error:
                console.print(f"[yellow]cannot connect:[/] {info.error}", highlight=False, soft_wrap=True)
        raise typer.Exit(0 if info.running else EXIT_NOT_RUNNING)

    st = embedded_status(settings.pgdata)
    if json_out:
        data = {"mode": "embedded", **st.__dict__}
        data["data_directory"] = str(st.data_directory)
        data["socket_dir"] = str(st.socket_dir) if st.socket_dir else None
        print_json(data)
    else:
        if st.running:
            title = f"embedded PostgreSQL: running ({st.state or 'state unknown'})"
            where = f"{st.port} (unix socket in {st.socket_dir})" if st.socket_dir else str(st.port)
            rows = [("pid", str(st.pid)), ("port", where)]
        else:
            title = "embedded PostgreSQL: not running" + ("" if st.initialised else " (not created yet)")
            rows = []
        rows += [
            ("data directory", str(st.data_directory)),
            ("live holders", _pids(st.holders)),
        ]
        if st.stale_holders:
            rows.append(("stale holders", f"{_pids(st.stale_holders)} (exited without releasing it; dropped at the next start or stop)"))
        rows.append(("disk use", _size(st.disk_bytes)))
        _rows(title, rows)
    raise typer.Exit(0 if st.running else EXIT_NOT_RUNNING)


@app.command("stop")
@handle_errors
def stop(
    force: bool = typer.Option(False, "--force", help="Stop it even while live govai processes use it."),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Stop the embedded PostgreSQL, even if killed govai processes are still listed as using it.

    Refuses (exit code 1) while live govai processes use it, unless --force. Exit code 0 when it is
    stopped or was not running.
    """
    from govai.config import get_settings
    from govai.errors import StoreError
    from govai.store.embedded import stop_embedded

    settings = get_settings()
    if settings.database_url:
        raise StoreError(
            "DATABASE_URL is set, and GovAI does not manage that server; stop it with its own tools, "
            "or unset DATABASE_URL to stop GovAI's embedded server"
        )
    result = stop_embedded(settings.pgdata, force=force)
    if result.stale_holders:
        console.print(f"dropped stale holders (processes gone): {_pids(result.stale_holders)}", highlight=False)
    if result.forced_holders:
        console.print(
            f"[yellow]stopped under live govai processes:[/] {_pids(result.forced_holders)}", highlight=False
        )
    if json_out:
        print_json({**result.__dict__, "data_directory": str(settings.pgdata.expanduser().resolve())})
    elif result.stopped:
        typer.echo(f"stopped the embedded PostgreSQL (pid {result.pid}) in {settings.pgdata}")
    else:
        typer.echo(f"the embedded PostgreSQL in {settings.pgdata} is not running")
