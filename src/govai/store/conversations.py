"""Conversations, their messages, feedback, the kill switch and review actions.

Every function takes a tenant-scoped connection (``Database.tenant``): row-level security
admits only the caller's rows, so a query here cannot reach another tenant's data even if
it asks for it by id. Text is stored as the pipeline saw it (the question pseudonymised, the
answer with placeholders); the citizen's details are put back from the vault when read.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

MAX_TURNS = 50  # a conversation longer than this is closed: start a new one


@dataclass
class Message:
    request_id: str
    question: str
    answer: str
    outcome: str
    status: str
    record: dict[str, Any]
    created_at: datetime


@dataclass
class Conversation:
    id: str
    service: str
    created_at: datetime
    messages: list[Message] = field(default_factory=list)


def create(conn: psycopg.Connection, tenant_id: str, service: str, end_user: str | None, keep_days: int) -> str:
    conversation_id = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO conversation (id, tenant_id, service, end_user, delete_after) VALUES (%s, %s, %s, %s, %s)",
        (conversation_id, tenant_id, service, end_user, datetime.now(UTC) + timedelta(days=max(keep_days, 1))),
    )
    return conversation_id


def get(conn: psycopg.Connection, conversation_id: str, service: str | None = None) -> Conversation | None:
    row = conn.execute("SELECT id, service, created_at FROM conversation WHERE id = %s", (conversation_id,)).fetchone()
    if row is None or (service is not None and row[1] != service):
        return None
    conversation = Conversation(*row)
    for r in conn.execute(
        "SELECT request_id, question, answer, outcome, status, record, created_at FROM message"
        " WHERE conversation_id = %s ORDER BY id", (conversation_id,)
    ):
        conversation.messages.append(Message(*r))
    return conversation


def turns(conn: psycopg.Connection, conversation_id: str) -> int:
    row = conn.execute("SELECT count(*) FROM message WHERE conversation_id = %s", (conversation_id,)).fetchone()
    return int(row[0]) if row else 0


def add_message(conn: psycopg.Connection, *, tenant_id: str, conversation_id: str, request_id: str, question: str,
                answer: str, outcome: str, status: str, record: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO message (conversation_id, tenant_id, request_id, question, answer, outcome, status, record)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (conversation_id, tenant_id, request_id, question, answer, outcome, status, Jsonb(record)),
    )
    conn.execute("UPDATE conversation SET updated_at = now() WHERE id = %s", (conversation_id,))


def message(conn: psycopg.Connection, request_id: str) -> tuple[str, str, Message] | None:
    """(conversation id, service, message) for one answer."""
    row = conn.execute(
        "SELECT m.conversation_id, c.service, m.request_id, m.question, m.answer, m.outcome, m.status, m.record,"
        " m.created_at FROM message m JOIN conversation c ON c.id = m.conversation_id WHERE m.request_id = %s",
        (request_id,),
    ).fetchone()
    return (row[0], row[1], Message(*row[2:])) if row else None


def add_feedback(conn: psycopg.Connection, tenant_id: str, request_id: str, useful: bool, comment: str) -> None:
    conn.execute("INSERT INTO feedback (tenant_id, request_id, useful, comment) VALUES (%s, %s, %s, %s)",
                 (tenant_id, request_id, useful, comment))


# --- the kill switch --------------------------------------------------------------


@dataclass(frozen=True)
class Switch:
    enabled: bool
    reason: str
    changed_by: str
    changed_at: datetime | None


def switch(conn: psycopg.Connection, service: str) -> Switch | None:
    row = conn.execute("SELECT enabled, reason, changed_by, changed_at FROM service_switch WHERE service = %s",
                       (service,)).fetchone()
    return Switch(*row) if row else None


def set_switch(conn: psycopg.Connection, tenant_id: str, service: str, enabled: bool, reason: str,
               changed_by: str) -> None:
    conn.execute(
        "INSERT INTO service_switch (service, tenant_id, enabled, reason, changed_by) VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (service) DO UPDATE SET enabled = EXCLUDED.enabled, reason = EXCLUDED.reason,"
        " changed_by = EXCLUDED.changed_by, changed_at = now()",
        (service, tenant_id, enabled, reason, changed_by),
    )


# --- the review queue ----------------------------------------------------------------


@dataclass
class QueuedAnswer:
    id: int
    kind: str  # held, contested
    service: str
    request_id: str
    conversation_id: str | None
    rule: str
    reviewer: str | None
    question: str | None
    answer: str
    citations: list[dict[str, Any]]
    status: str
    reason: str | None
    final_answer: str | None
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        data["created_at"] = self.created_at.isoformat()
        return data


_QUEUE = ("id, kind, service, request_id, conversation_id, rule, reviewer, question, answer, citations, status,"
          " reason, final_answer, created_at")


def _queued(row: tuple) -> QueuedAnswer:  # type: ignore[type-arg]
    values = list(row)
    if isinstance(values[9], str):
        values[9] = json.loads(values[9])
    return QueuedAnswer(*values)


def queue(conn: psycopg.Connection, service: str | None = None, status: str = "pending") -> list[QueuedAnswer]:
    sql = f"SELECT {_QUEUE} FROM review_queue WHERE status = %s"
    params: list[object] = [status]
    if service:
        sql += " AND service = %s"
        params.append(service)
    return [_queued(r) for r in conn.execute(sql + " ORDER BY id", params)]


def queued(conn: psycopg.Connection, queue_id: int) -> QueuedAnswer | None:
    row = conn.execute(f"SELECT {_QUEUE} FROM review_queue WHERE id = %s", (queue_id,)).fetchone()
    return _queued(row) if row else None


def contest(conn: psycopg.Connection, tenant_id: str, service: str, conversation_id: str, msg: Message,
            reason: str, keep_days: int) -> int:
    """Queue a delivered answer for a person to look at again, at the citizen's request."""
    row = conn.execute(
        "INSERT INTO review_queue (tenant_id, service, request_id, conversation_id, kind, rule, reviewer, question,"
        " answer, citations, reason, delete_after) VALUES (%s, %s, %s, %s, 'contested', 'contested by the citizen',"
        " NULL, %s, %s, %s, %s, %s) RETURNING id",
        (tenant_id, service, msg.request_id, conversation_id, msg.question, msg.answer,
         Jsonb(msg.record.get("citations", [])), reason, datetime.now(UTC) + timedelta(days=max(keep_days, 1))),
    ).fetchone()
    conn.execute("UPDATE message SET status = 'contested' WHERE request_id = %s", (msg.request_id,))
    return int(row[0])  # type: ignore[index]


def decide(conn: psycopg.Connection, item: QueuedAnswer, decision: str, reviewer: str, final_answer: str | None,
           reason: str) -> None:
    """Record a reviewer's decision on the queue item and on the citizen's message."""
    status = {"approve": "approved", "edit": "edited", "reject": "rejected"}[decision]
    conn.execute(
        "UPDATE review_queue SET status = %s, decided_by = %s, decided_at = now(), final_answer = %s,"
        " reason = coalesce(%s, reason) WHERE id = %s",
        (status, reviewer, final_answer, reason or None, item.id),
    )
    conn.execute("UPDATE message SET status = %s, answer = coalesce(%s, answer) WHERE request_id = %s",
                 (status, final_answer, item.request_id))
