"""How a stored answer is shown: which canned reply it is (if any), what kind of page that
makes (answer, abstention, refusal, held, unavailable, ...), and how the service handled any
personal data typed into the question.

Nothing here decides anything: the pipeline has already answered, refused or held, and the
audit trail holds why. The web only reads the outcome back to say it plainly, in English or
Welsh.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from govai.pipeline.replies import DEFAULT_REPLIES
from govai.policy.rules import PersonalDataMode
from govai.server.catalogue import Service

# What each canned reply means for the page.
KIND = {
    "empty": "blocked", "too_long": "blocked", "blocked_input": "blocked", "blocked_personal_data": "blocked",
    "out_of_scope": "refused", "political": "refused", "policy_refused": "refused", "budget_refused": "refused",
    "greeting": "greeting", "crisis": "crisis",
    "needs_account_data": "abstained", "not_found": "abstained",
    "service_error": "error", "blocked_output": "error",
    "unavailable": "unavailable", "review_hold": "held", "review_rejected": "rejected",
}
IRREVERSIBLE = {"redact", "mask", "hash"}


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str]:
    """A canned reply as a pattern: its {placeholders} match any text."""
    parts = re.split(r"\{[a-z_]+\}", text)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.S)


def canned_key(service: Service, answer: str) -> str | None:
    """The canned reply this answer is (with the service's own wording), or None for a composed answer."""
    replies = service.runtime.services.replies
    text = answer.strip()
    for key in DEFAULT_REPLIES:
        if key == "incomplete_kb":
            continue
        if _pattern(replies(key)).match(text):
            return key
    return None


@dataclass
class PersonalDataNote:
    """What the page says about personal data typed into a question."""

    mode: str  # warn (replaced, kept encrypted, restored), redact (removed for good), refuse (not answered)
    labels: list[str] = field(default_factory=list)


def service_mode(service: Service) -> str:
    """How the profile handles personal data in questions: ``refuse`` when no provider it may use
    is approved for personal data and the routing sends it only to approved ones; ``redact`` when
    the pseudonymise step removes it for good (redact, mask or hash); ``warn`` otherwise (it is
    replaced by placeholders and put back in the answer)."""
    profile = service.profile
    if profile.routing.personal_data is PersonalDataMode.APPROVED_ONLY:
        catalogue = service.runtime.services.catalogue
        chain = list(profile.providers)
        if profile.routing.fallback_to_extractive and "extractive" in catalogue:
            chain.append("extractive")
        if not any(catalogue.get(p).personal_data for p in chain if p in catalogue):
            return "refuse"
    for step in profile.steps:
        if step.name == "pseudonymise":
            operators = dict(step.options.get("operators") or {})
            if operators.get("default", "pseudonymise") in IRREVERSIBLE:
                return "redact"
    return "warn"


def audit_payload(conn: Any, request_id: str) -> dict[str, Any] | None:
    """The request's audit record, read through the tenant's connection (row-level security)."""
    row = conn.execute("SELECT payload FROM audit_log WHERE request_id = %s AND kind = 'request' LIMIT 1",
                       (request_id,)).fetchone()
    if row is None:
        return None
    try:
        return json.loads(row[0])
    except (TypeError, ValueError):
        return None


def reviewed_citations(conn: Any, request_id: str) -> list[dict[str, Any]]:
    """The sources a reviewed answer had when it was held (the review queue keeps them)."""
    row = conn.execute("SELECT citations FROM review_queue WHERE request_id = %s ORDER BY id DESC LIMIT 1",
                       (request_id,)).fetchone()
    if row is None:
        return []
    value = row[0]
    return list(json.loads(value) if isinstance(value, str) else value or [])


def personal_data_note(service: Service, message: dict[str, Any], payload: dict[str, Any] | None,
                       key: str | None) -> PersonalDataNote | None:
    found: dict[str, int] = {}
    operators: list[str] = []
    for step in (payload or {}).get("steps", []):
        if step.get("step") == "pseudonymise":
            found = dict(step.get("detail", {}).get("found") or {})
            operators = list(step.get("detail", {}).get("operators") or [])
    route = (message.get("route") or {}) if isinstance(message.get("route"), dict) else {}
    if not found and route.get("personal_data") != "found" and (payload or {}).get("personal_data") != "found":
        return None
    labels = sorted(found)
    if key == "policy_refused":
        return PersonalDataNote("refuse", labels)
    if operators and set(operators) <= IRREVERSIBLE:
        return PersonalDataNote("redact", labels)
    if not operators and service_mode(service) == "redact":
        return PersonalDataNote("redact", labels)
    return PersonalDataNote("warn", labels)


def guard_verdicts(payload: dict[str, Any] | None) -> list[dict[str, str]]:
    """One line per guard step of the audit record: its verdict and categories."""
    from govai.server.state import GUARD_STEPS, _verdict

    out = []
    for step in (payload or {}).get("steps", []):
        name = step.get("step")
        if name in GUARD_STEPS:
            detail = step.get("detail") or {}
            out.append({"step": name, "verdict": _verdict(name, detail),
                        "categories": ", ".join(detail.get("categories") or [])})
    return out


def kind_of(key: str | None) -> str:
    return KIND.get(key or "", "answer")
