"""``govai audit``: verify, checkpoint, export, prune and erase the audit trail.

Results go to stdout (plain lines, or JSON with ``--json``); diagnostics go to
stderr. ``verify`` exits 1 when anything does not verify.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from govai.cli.common import console, handle_errors, print_json
from govai.errors import ConfigError

app = typer.Typer(help="The hash-chained audit trail: verify it, export it, apply retention.", no_args_is_help=True)

SERVICE = typer.Option(None, "--service", "-s", help="One service's chain (default: every chain).")
JSON = typer.Option(False, "--json", help="Print JSON to stdout.")
PUBLIC_KEYS = typer.Option(
    None, "--public-key", help="Accept signatures by this Ed25519 public key (base64, or a file); repeatable."
)


def _conn() -> Any:
    from govai.store.database import get_database

    return get_database().conn


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


def _when(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option}: {value!r} is not an ISO 8601 date or time (e.g. 2025-04-01)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@app.command("verify")
@handle_errors
def verify(
    service: str = SERVICE,
    file: Path = typer.Option(None, "--file", "-f", help="Verify an export offline instead of the database."),
    public_key: list[str] = PUBLIC_KEYS,
    json_: bool = JSON,
) -> None:
    """Check every record, link and checkpoint; report the first bad record and why."""
    from govai.policy.audit import verify_chain
    from govai.policy.audit.export import verify_export

    keys = tuple(public_key or ())
    if file is not None:
        if not file.is_file():
            raise ConfigError(f"{file} does not exist")
        check = verify_export(file, keys)
    else:
        check = verify_chain(_conn(), service, keys)
    if json_:
        print_json(check.as_dict())
    else:
        for s in check.services:
            span = f"seq {s.first_seq}..{s.head_seq}" if s.records else "no records"
            cover = (f"checkpointed to seq {s.covered_to}, {s.uncovered} since" if s.covered_to is not None
                     else "not checkpointed yet")
            extra = "".join([f", pruned to seq {s.pruned_to}" if s.pruned_to else "",
                             f", {s.redacted} redacted" if s.redacted else ""])
            if s.ok:
                _out(f"{s.service}: ok: {s.records} records ({span}), {cover}{extra}" if s.records
                     else f"{s.service}: ok: no records")
                continue
            first = s.findings[0]
            _out(f"{s.service}: FAILED at seq {first.seq}: {first}")
            for finding in s.findings[1:]:
                _out(f"{s.service}:   also: {finding}")
        for problem in check.problems:
            _out(f"FAILED: {problem}")
        if not check.services and not check.problems:
            console.print("No audit records yet.")
    if not check.ok:
        raise typer.Exit(1)


@app.command("checkpoint")
@handle_errors
def checkpoint_cmd(service: str = SERVICE, json_: bool = JSON) -> None:
    """Sign the head of each chain now (run it regularly, e.g. from cron)."""
    from govai.policy.audit import checkpoint

    written = checkpoint(_conn(), service)
    if json_:
        print_json([c.as_dict() for c in written])
        return
    for cp in written:
        _out(f"{cp.service}: checkpoint at seq {cp.seq} {cp.row_hash} (key {cp.key_id})")
    if not written:
        console.print("No audit records to checkpoint.")


@app.command("export")
@handle_errors
def export_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="The JSON Lines file to write."),
    service: str = SERVICE,
    since: str = typer.Option(None, "--since", help="First record at or after this ISO date/time (UTC if no zone)."),
    until: str = typer.Option(None, "--until", help="Last record before this ISO date/time."),
    json_: bool = JSON,
) -> None:
    """Export records with the proof to re-verify them offline (``verify --file``)."""
    from govai.policy.audit.export import export

    summary = export(_conn(), out, service=service, since=_when(since, "--since"), until=_when(until, "--until"))
    if json_:
        print_json(summary)
        return
    for r in summary["services"]:
        span = f"seq {r['from_seq']}..{r['to_seq']}" if r["from_seq"] is not None else "nothing in the period"
        _out(f"{r['service']}: {span}")
    console.print(f"Wrote {summary['records']} records to {out}", highlight=False)


@app.command("prune")
@handle_errors
def prune_cmd(
    service: str = SERVICE,
    profile: list[str] = typer.Option(
        None, "--profile", "-p", help="Service profile (preset or YAML) giving retention.audit_days; repeatable."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be removed; remove nothing."),
    json_: bool = JSON,
) -> None:
    """Remove records past each service's retention.audit_days, recording it in the chain."""
    from govai.policy.audit.retention import prune
    from govai.profiles import load_profile

    profiles = [load_profile(p) for p in (profile or ["default"])]
    if service is not None:
        profiles = [p for p in profiles if p.name == service]
        if not profiles:
            raise ConfigError(f"no profile given for service {service!r}: pass its profile with --profile")
    conn = _conn()
    results = [prune(conn, p.name, p.retention.audit_days, dry_run=dry_run) for p in profiles]
    if json_:
        print_json([r.as_dict() for r in results])
        return
    for r in results:
        verb = "would remove" if r.dry_run else "removed"
        span = f" (seq {r.from_seq}..{r.to_seq})" if r.pruned else ""
        _out(f"{r.service}: {verb} {r.pruned} records older than {r.audit_days} days{span}")


@app.command("erase")
@handle_errors
def erase_cmd(
    conversation_id: str = typer.Argument(..., help="The conversation whose records to redact."),
    service: str = SERVICE,
    json_: bool = JSON,
) -> None:
    """Redact one conversation's records (on an erasure request), recording it in the chain."""
    from govai.policy.audit.retention import erase

    results = erase(_conn(), conversation_id, service)
    if json_:
        print_json([r.as_dict() for r in results])
        return
    for r in results:
        _out(f"{r.service}: redacted {len(r.records)} records, erase record at seq {r.record_seq}")
    if not results:
        console.print("No audit records for that conversation.")


@app.command("key")
@handle_errors
def key_cmd(json_: bool = JSON) -> None:
    """Show the signing key's id and public half (give it to auditors; creates the key if missing)."""
    from govai.policy.audit.keys import load_signer

    signer = load_signer(create=True)
    assert signer is not None
    if json_:
        print_json({"key_id": signer.key_id, "public_key": signer.public_b64})
        return
    _out(f"key id {signer.key_id}")
    _out(f"public key {signer.public_b64}")
