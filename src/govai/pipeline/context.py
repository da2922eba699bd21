"""The one typed object every pipeline step reads and writes."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, Field

from govai.domain import Citation, Classification, Outcome, Source, Usage


class StepRecord(BaseModel):
    """What one step did: timing plus any verdicts worth auditing."""

    step: str
    ms: float
    detail: dict[str, Any] = {}


class Context(BaseModel):
    """Request state as it moves through the pipeline."""

    question: str  # exactly what the user typed
    text: str = ""  # the working text: normalised, then pseudonymised
    kb: str = "default"
    service: str = "default"
    classification: Classification = Classification.OFFICIAL
    conversation_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    request_id: str = Field(default_factory=lambda: uuid.uuid4().hex)

    route: str | None = None  # scope route: in_scope, greeting, crisis, ...
    provider: str | None = None  # chosen composition provider
    retrieved: list[str] = []  # source ids in retrieval rank order (deduplicated)
    sources: list[Source] = []  # passages handed to composition
    answer: str | None = None
    citations: list[Citation] = []
    outcome: Outcome | None = None
    reason: str | None = None  # why the pipeline stopped, safe to show and audit
    flags: list[str] = []
    usage: Usage = Field(default_factory=Usage)
    records: list[StepRecord] = []
    state: dict[str, Any] = {}  # step-private data (e.g. the PII vault handle)

    def model_post_init(self, __context: Any) -> None:
        if not self.text:
            self.text = self.question

    @property
    def stopped(self) -> bool:
        return self.outcome is not None

    def record(self, step: str, **detail: Any) -> None:
        """Note a step's verdicts for the audit trail (the runner adds the timing)."""
        self.records.append(StepRecord(step=step, ms=0.0, detail=detail))

    def stop(self, outcome: Outcome, answer: str, reason: str) -> None:
        """End the pipeline with a canned answer and a reason for the audit trail."""
        self.outcome = outcome
        self.answer = answer
        self.reason = reason
        self.citations = []
