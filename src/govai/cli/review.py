"""``govai review``: the queue of held and contested answers, from the command line.

The same queue and decisions as the HTTP review API; every decision is audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import typer
from rich.table import Table

from govai.cli.common import handle_errors, print_json, print_out, results
from govai.errors import ConfigError

app = typer.Typer(help="Human review of held and contested answers.", no_args_is_help=True)


def _db():  # type: ignore[no-untyped-def]
    from govai.store.database import get_database

    return get_database()


@app.command("list")
@handle_errors
def list_queue(service: str = typer.Option(None, "--service", help="Only this service."),
               status: str = typer.Option("pending", "--status", help="pending, approved, edited or rejected."),
               json_out: bool = typer.Option(False, "--json")) -> None:
    """What is waiting for a decision (questions pseudonymised, answers as composed)."""
    from govai.store import conversations as convo

    if status not in ("pending", "approved", "edited", "rejected"):
        raise ConfigError("--status must be pending, approved, edited or rejected")
    items = convo.queue(_db().conn, service, status)
    if json_out:
        print_json([i.as_dict() for i in items])
        return
    table = Table("id", "kind", "service", "rule", "reviewer", "question", "answer")
    for i in items:
        table.add_row(str(i.id), i.kind, i.service, i.rule, i.reviewer or "", (i.question or "")[:80], i.answer[:120])
    results.print(table)


def _decide(queue_id: int, decision: str, answer: str | None, reason: str, reviewer: str) -> None:
    from govai.pipeline.replies import Replies
    from govai.policy.audit import append
    from govai.store import conversations as convo

    db = _db()
    item = convo.queued(db.conn, queue_id)
    if item is None:
        raise ConfigError(f"no review item {queue_id}")
    if item.status != "pending":
        raise ConfigError(f"review item {queue_id} was already {item.status}")
    final = {"approve": item.answer, "edit": answer, "reject": Replies()("review_rejected")}[decision]
    with db.conn.transaction():
        convo.decide(db.conn, item, decision, reviewer, final, reason)
    append(db.conn, {"at": datetime.now(UTC).isoformat(), "service": item.service, "request_id": uuid.uuid4().hex,
                     "outcome": f"action:review_{decision}", "action": f"review_{decision}", "queue_id": queue_id,
                     "reviewed_request_id": item.request_id, "reviewer": reviewer})
    print_out(f"{ {'approve': 'approved', 'edit': 'edited', 'reject': 'rejected'}[decision]} {queue_id}")


REVIEWER = typer.Option(..., "--reviewer", help="Who decides (a name or staff id, kept in the audit trail).")


@app.command("approve")
@handle_errors
def approve(queue_id: int, reviewer: str = REVIEWER) -> None:
    """Deliver the answer as composed."""
    _decide(queue_id, "approve", None, "", reviewer)


@app.command("edit")
@handle_errors
def edit(queue_id: int, answer: str = typer.Option(..., "--answer", help="The corrected answer."),
         reason: str = typer.Option(..., "--reason"), reviewer: str = REVIEWER) -> None:
    """Deliver a corrected answer, with the reason."""
    _decide(queue_id, "edit", answer, reason, reviewer)


@app.command("reject")
@handle_errors
def reject(queue_id: int, reason: str = typer.Option(..., "--reason"), reviewer: str = REVIEWER) -> None:
    """Withdraw the answer; the citizen is told to contact the service."""
    _decide(queue_id, "reject", None, reason, reviewer)
