"""Human-review rules: which answers a person must sign off or look at.

A rule matches when every condition it gives holds (within one list, any item
will do). ``hold`` withholds the answer and queues it for the named reviewer;
``flag`` delivers it and marks it. Detectors are named checks a profile can use;
a department adds its own through a plugin (``govai.plugins``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from govai.domain import Citation, Classification, Outcome
from govai.profiles.model import ReviewRule
from govai.registry import Registry
from govai.text.sentences import split_sentences


@dataclass(frozen=True)
class Exchange:
    """What review rules look at: one question and what the service made of it."""

    question: str  # the working text (pseudonymised when the PII step ran)
    answer: str | None
    outcome: Outcome | None
    flags: frozenset[str]
    scope: str | None  # in_scope, crisis, ...
    classification: Classification
    composer: str | None  # the provider that composed the answer


Detector = Callable[[Exchange], bool]
detectors: Registry[Detector] = Registry("review detector")

# Wording that presents an outcome for the person as decided: entitlement,
# liability, eligibility, the result of a claim, appeal or case.
_DECISION = re.compile(
    r"\b(?:"
    r"you(?:'re| are)(?: not)? (?:entitled|eligible|liable|guilty|owed)"
    r"|you (?:do not |don't |will not |won't |will |)(?:qualify|get|receive|be paid|have to pay|owe)\b"
    r"|you (?:must|will have to) (?:pay|repay)"
    r"|your (?:claim|appeal|application|case|request|reconsideration) (?:will be|has been|is|was) "
    r"(?:accepted|refused|rejected|approved|granted|successful|unsuccessful|denied|upheld|dismissed)"
    r"|(?:we|the court|the tribunal|the department|hmrc|dwp) (?:has |have )?(?:decided|determined|ruled|found)"
    r")",
    re.IGNORECASE,
)


# Conditional or hedged wording is guidance ("you're eligible if..."), not a decision.
_HEDGED = re.compile(r"\b(?:if|when|unless|as long as|provided|may|might|could|usually|generally|normally)\b", re.I)


@detectors.register("decision")
def reads_as_decision(exchange: Exchange) -> bool:
    """A sentence states an outcome for this person without a condition or hedge."""
    sentences = split_sentences(exchange.answer or "")
    return any(_DECISION.search(s) and not _HEDGED.search(s) for s in sentences)


@detectors.register("generated")
def generated_by_model(exchange: Exchange) -> bool:
    """Composed by a generative model rather than extracted from the guidance."""
    return bool(exchange.answer) and exchange.composer not in (None, "extractive")


def matches(rule: ReviewRule, exchange: Exchange) -> bool:
    checks: list[Callable[[], bool]] = [lambda: exchange.outcome in rule.outcomes]
    if rule.detect:
        checks.append(lambda: any(detectors.get(d)(exchange) for d in rule.detect))
    if rule.answer_matches:
        checks.append(lambda: any(re.search(p, exchange.answer or "", re.IGNORECASE) for p in rule.answer_matches))
    if rule.question_matches:
        checks.append(lambda: any(re.search(p, exchange.question, re.IGNORECASE) for p in rule.question_matches))
    if rule.flags_any:
        checks.append(lambda: bool(set(rule.flags_any) & exchange.flags))
    if rule.routes_any:
        checks.append(lambda: exchange.scope in rule.routes_any)
    if rule.min_classification is not None:
        checks.append(lambda: exchange.classification.rank >= rule.min_classification.rank)  # type: ignore[union-attr]
    return all(check() for check in checks)


def enqueue(conn: psycopg.Connection, *, request_id: str, service: str, rule: ReviewRule, answer: str,
            citations: list[Citation], keep_days: int, tenant_id: str | None = None,
            conversation_id: str | None = None, question: str | None = None) -> int:
    """Queue a held answer for sign-off; returns the queue id. ``question`` and ``answer`` are
    the pseudonymised text (placeholders, not the citizen's details)."""
    row = conn.execute(
        "INSERT INTO review_queue (request_id, service, rule, reviewer, answer, citations, delete_after,"
        " tenant_id, conversation_id, question) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (
            request_id,
            service,
            rule.name,
            rule.reviewer,
            answer,
            json.dumps([c.model_dump() for c in citations]),
            datetime.now(UTC) + timedelta(days=max(keep_days, 1)),
            tenant_id,
            conversation_id,
            question,
        ),
    ).fetchone()
    assert row is not None
    return int(row[0])


def pending(conn: psycopg.Connection, service: str | None = None) -> list[dict[str, object]]:
    """Held answers awaiting a decision, oldest first."""
    sql = "SELECT id, created_at, request_id, service, rule, reviewer FROM review_queue WHERE status = 'pending'"
    params: tuple[object, ...] = ()
    if service:
        sql += " AND service = %s"
        params = (service,)
    cols = ["id", "created_at", "request_id", "service", "rule", "reviewer"]
    return [dict(zip(cols, r, strict=True)) for r in conn.execute(sql + " ORDER BY id", params)]
