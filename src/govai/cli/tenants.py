"""``govai tenants`` and ``govai keys``: departments and their API keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import typer
from rich.table import Table

from govai.cli.common import console, handle_errors, print_json, print_out, results
from govai.errors import ConfigError

tenants_app = typer.Typer(help="Tenants: the departments that own services.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys: roles, services, expiry, budgets and rate limits.", no_args_is_help=True)


def _tenants():  # type: ignore[no-untyped-def]
    from govai.store.database import get_database
    from govai.store.tenants import Tenants

    return Tenants(get_database())


@tenants_app.command("create")
@handle_errors
def create_tenant(tenant_id: str = typer.Argument(..., help="Short id, e.g. hmrc."),
                  name: str = typer.Argument(..., help="Name, e.g. 'HM Revenue and Customs'.")) -> None:
    """Create a tenant."""
    tenant = _tenants().create(tenant_id, name)
    print_out(tenant.id)


@tenants_app.command("list")
@handle_errors
def list_tenants(json_out: bool = typer.Option(False, "--json")) -> None:
    """List tenants and the services they own."""
    store = _tenants()
    rows = [{"id": t.id, "name": t.name, "services": store.services_of(t.id), "created_at": t.created_at.isoformat()}
            for t in store.list()]
    if json_out:
        print_json(rows)
        return
    table = Table("id", "name", "services", "created")
    for r in rows:
        table.add_row(r["id"], r["name"], ", ".join(r["services"]), r["created_at"][:19])
    results.print(table)


@keys_app.command("create")
@handle_errors
def create_key(
    tenant: str = typer.Argument(..., help="The tenant the key belongs to."),
    name: str = typer.Option(..., "--name", help="What the key is for, e.g. 'citizen web app'."),
    role: str = typer.Option(..., "--role", help="citizen_app, reviewer, service_admin or auditor."),
    service: list[str] = typer.Option(None, "--service", help="A service it may use (repeatable; default: all "
                                                               "of the tenant's)."),
    expires_days: int = typer.Option(None, "--expires-days", min=1, help="Expire after this many days."),
    budget_gbp: float = typer.Option(None, "--budget-gbp", min=0, help="Stop the key once it has spent this much."),
    rate: int = typer.Option(None, "--rate", min=1, help="Requests a minute (default 120)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Create an API key. The token is printed once; only its hash is stored."""
    expires = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
    store = _tenants()
    key, token = store.create_key(tenant, name, role, services=service or [], expires_at=expires,
                                  budget_gbp=budget_gbp, rate_per_minute=rate)
    _audit_key_change("key_created", key.id, tenant)
    if json_out:
        print_json({**key.summary(), "token": token})
        return
    print_out(token)
    console.print(f"Key {key.id} ({key.role}) for {tenant}. Keep the token: it is not shown again.",
                  highlight=False)


@keys_app.command("list")
@handle_errors
def list_keys(tenant: str = typer.Argument(None, help="Only this tenant's keys."),
              json_out: bool = typer.Option(False, "--json")) -> None:
    """List keys (never their secrets)."""
    keys = _tenants().keys(tenant)
    if json_out:
        print_json([k.summary() for k in keys])
        return
    table = Table("id", "tenant", "name", "role", "services", "expires", "budget £", "rate/min", "active")
    for k in keys:
        table.add_row(k.id, k.tenant_id, k.name, k.role, ", ".join(k.services) or "all",
                      k.expires_at.isoformat()[:10] if k.expires_at else "", "" if k.budget_gbp is None else
                      f"{k.budget_gbp:g}", "" if k.rate_per_minute is None else str(k.rate_per_minute),
                      "yes" if k.active else "no")
    results.print(table)


@keys_app.command("revoke")
@handle_errors
def revoke_key(key_id: str = typer.Argument(..., help="The key's id (from keys list).")) -> None:
    """Revoke a key (it stops working within 10 seconds on every server)."""
    key = _tenants().revoke(key_id)
    _audit_key_change("key_revoked", key.id, key.tenant_id)
    print_out(f"revoked {key.id}")


def _audit_key_change(action: str, key_id: str, tenant: str) -> None:
    """Key changes go to the platform's own audit chain ("govai:keys")."""
    import uuid

    from govai.policy.audit import append
    from govai.store.database import get_database

    if not tenant:
        raise ConfigError("a key belongs to a tenant")
    append(get_database().conn, {"at": datetime.now(UTC).isoformat(), "service": "govai:keys",
                                 "request_id": uuid.uuid4().hex, "outcome": f"action:{action}", "action": action,
                                 "key": key_id, "tenant": tenant})
