"""The one typed object every pipeline step reads and writes.

Everything one step hands to another is a typed field here; nothing travels in
module globals or an untyped dictionary.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from govai.domain import Citation, Classification, ModelCall, Outcome, PersonalData, Source, TextSent, Usage
from govai.policy.routing import Decision
from govai.retrieval.evidence import Evidence


class StepRecord(BaseModel):
    """What one step did: timing plus any verdicts worth auditing."""

    step: str
    ms: float
    detail: dict[str, Any] = {}


class Context(BaseModel):
    """Request state as it moves through the pipeline."""

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    # The request.
    question: str  # exactly what the user typed
    kb: str = "default"
    service: str = "default"
    tenant: str | None = None  # the department the request came through (the HTTP service sets it)
    history: list[str] = []  # earlier questions of the conversation (pseudonymised), oldest first
    classification: Classification = Classification.OFFICIAL
    conversation_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    request_id: str = Field(default_factory=lambda: uuid.uuid4().hex)

    # What the steps hand each other, in pipeline order.
    text: str = ""  # the working text: normalised, then pseudonymised
    original_text: str | None = None  # the normalised text before pseudonymisation
    personal_data: PersonalData = PersonalData.UNCHECKED  # until the pseudonymise step has looked
    pii_found: dict[str, int] = {}  # label -> count (never values)
    scope: str | None = None  # in_scope, greeting, crisis, ...
    routing: Decision | None = None  # which composition providers may take the request, and why not others
    question_vector: np.ndarray | None = None  # the working text's embedding, made once by retrieve
    retrieved: list[str] = []  # source ids in retrieval rank order (deduplicated)
    sources: list[Source] = []  # passages handed to composition
    quarantined: list[Source] = []  # passages held back by the source guard (when it quarantines)
    evidence: Evidence | None = None  # sentences of the passages and their similarity, read once
    provider: str | None = None  # the provider that composed
    draft: str | None = None  # the answer as composed, before personal data was put back
    answer: str | None = None
    citations: list[Citation] = []
    notices: list[str] = []  # framing added after the answer by the review step ("not legal advice")
    notify: list[str] = []  # who must be told (review rules)

    # How it ended, and the record of it.
    outcome: Outcome | None = None
    reason: str | None = None  # why the pipeline stopped, safe to show and audit
    flags: list[str] = []
    usage: Usage = Field(default_factory=Usage)
    model_calls: list[ModelCall] = []  # every model-access decision, allowed or refused
    records: list[StepRecord] = []
    audit_hash: str | None = None
    latency_ms: float = 0.0

    def model_post_init(self, __context: Any) -> None:
        if not self.text:
            self.text = self.question

    @property
    def stopped(self) -> bool:
        return self.outcome is not None

    def flag(self, name: str) -> None:
        """Raise a flag once."""
        if name not in self.flags:
            self.flags.append(name)

    def text_for(self, sent: TextSent) -> str:
        """The text a provider may be given: the original only when it is approved for it."""
        if sent is TextSent.ORIGINAL and self.original_text is not None:
            return self.original_text
        return self.text

    def pseudonymised_answer(self) -> str:
        """The answer as delivered, but with placeholders in place of the citizen's details: what
        may be stored (the vault puts the details back when the conversation is read)."""
        if self.personal_data is not PersonalData.FOUND or self.draft is None or self.outcome is not Outcome.ANSWERED:
            return self.answer or ""
        return "\n\n".join([self.draft, *self.notices])

    def record(self, step: str, **detail: Any) -> None:
        """Note a step's verdicts for the audit trail (the runner adds the timing)."""
        self.records.append(StepRecord(step=step, ms=0.0, detail=detail))

    def stop(self, outcome: Outcome, answer: str, reason: str) -> None:
        """End the pipeline with a canned answer and a reason for the audit trail."""
        self.outcome = outcome
        self.answer = answer
        self.reason = reason
        self.citations = []
