"""``govai web``: the web front end's assets and staff accounts."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json, print_out, results

app = typer.Typer(help="The web pages: GOV.UK Frontend assets and staff accounts.", no_args_is_help=True)
staff_app = typer.Typer(help="Staff accounts for the reviewer console and the admin.", no_args_is_help=True)
app.add_typer(staff_app, name="staff")


@app.command("assets")
@handle_errors
def assets_command(
    force: bool = typer.Option(False, "--force", help="Fetch again even if they are in place."),
    tarball: Path = typer.Option(None, "--from", exists=True, dir_okay=False,
                                 help="Unpack this govuk-frontend tarball instead of fetching it with npm."),
) -> None:
    """Fetch GOV.UK Frontend's compiled assets from npm (pinned version, digest checked)."""
    from govai.web import assets

    where, count = assets.fetch(force=force, tarball=tarball)
    said = f"{count} files in" if count else "is already in"
    console.print(f"GOV.UK Frontend {assets.GOVUK_FRONTEND} {said} {where}", highlight=False, soft_wrap=True)
    print_out(str(where))


def _accounts():  # type: ignore[no-untyped-def]
    from govai.store.database import get_database
    from govai.web.accounts import StaffAccounts

    return StaffAccounts(get_database())


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@staff_app.command("add")
@handle_errors
def add(
    staff_id: str = typer.Argument(..., help="Username, e.g. j.smith (lower case)."),
    tenant: str = typer.Option(..., "--tenant", help="The tenant (department) the person works for."),
    role: list[str] = typer.Option(..., "--role", help="reviewer, service_admin or auditor (repeatable)."),
    name: str = typer.Option(None, "--name", help="Full name (default: the username)."),
    email: str = typer.Option(None, "--email", help="E-mail address: lets the person sign in with OpenID Connect."),
    service: list[str] = typer.Option(None, "--service", help="A service they may work on (repeatable; default all)."),
    password: bool = typer.Option(False, "--password", help="Set a local password (asked for, twice)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Create a staff account: a local password, an OpenID Connect e-mail address, or both."""
    secret = _password(password_stdin) if (password or password_stdin) else None
    staff = _accounts().create(staff_id, tenant, name or staff_id, role, email=email, services=service or [],
                               password=secret)
    if json_out:
        print_json(staff.summary())
        return
    print_out(staff.id)
    console.print(f"Staff account {staff.id} ({', '.join(staff.roles)}) for {staff.tenant_id}.", highlight=False)


@staff_app.command("list")
@handle_errors
def list_staff(tenant: str = typer.Argument(None, help="Only this tenant's staff."),
               json_out: bool = typer.Option(False, "--json")) -> None:
    """List staff accounts (never their passwords)."""
    accounts = _accounts().list(tenant)
    if json_out:
        print_json([a.summary() for a in accounts])
        return
    table = Table("id", "tenant", "name", "roles", "services", "sign-in", "active")
    for a in accounts:
        ways = [w for w, on in (("password", a.has_password), ("oidc", bool(a.email or a.oidc_subject))) if on]
        table.add_row(a.id, a.tenant_id, a.name, ", ".join(a.roles), ", ".join(a.services) or "all", ", ".join(ways),
                      "yes" if a.active else "no")
    results.print(table)


@staff_app.command("password")
@handle_errors
def set_password(staff_id: str = typer.Argument(...),
                 password_stdin: bool = typer.Option(False, "--password-stdin")) -> None:
    """Set a staff account's local password (signs it out everywhere)."""
    _accounts().set_password(staff_id, _password(password_stdin))
    print_out(f"password set for {staff_id}")


@staff_app.command("disable")
@handle_errors
def disable(staff_id: str = typer.Argument(...)) -> None:
    """Disable a staff account and end its sessions."""
    _accounts().disable(staff_id)
    print_out(f"disabled {staff_id}")
