"""The shapes the HTTP API takes and returns (they make the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from govai.domain import Classification
from govai.text.normalise import repair_surrogates

MAX_QUESTION_CHARS = 4000  # the API's cap; each service's own limit (normalise max_chars) applies too


def storable(text: str) -> str:
    """Text PostgreSQL can keep: surrogate halves paired up (a lone one becomes U+FFFD) and NUL
    characters dropped (a text column cannot hold them; they were a 500 before)."""
    return repair_surrogates(text).replace("\x00", "")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object) -> object:
        return storable(value) if type(value) is str else value


class AskIn(_In):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="What the citizen asked.")
    classification: Classification | None = Field(None, description="The request's security classification "
                                                        "(default: the service's).")


class FeedbackIn(_In):
    useful: bool
    comment: str = Field("", max_length=2000)


class ContestIn(_In):
    reason: str = Field("", max_length=2000, description="Why the citizen wants a person to look at the answer.")


class SwitchIn(_In):
    enabled: bool = Field(description="false switches the service off: it answers only 'unavailable'.")
    reason: str = Field(min_length=1, max_length=500)


class ReviewDecisionIn(_In):
    decision: Literal["approve", "edit", "reject"]
    answer: str | None = Field(None, max_length=8000, description="The edited answer (decision 'edit').")
    reason: str = Field("", max_length=2000, description="Why (required to edit or reject).")


class CitationOut(BaseModel):
    id: str
    title: str
    url: str


class RouteOut(BaseModel):
    provider: str | None = Field(description="The provider that composed the answer.")
    allowed: list[str] = Field(description="Providers the policy allowed, in order.")
    classification: str
    personal_data: str = Field(description="none, found (pseudonymised) or unchecked.")


class GuardOut(BaseModel):
    step: str
    verdict: str
    categories: list[str] = []


class AnswerOut(BaseModel):
    request_id: str
    conversation_id: str
    service: str
    outcome: str = Field(description="answered, abstained, refused, blocked or error.")
    status: str = Field(description="delivered, or held for a person to review first.")
    answer: str
    citations: list[CitationOut]
    route: RouteOut
    guards: list[GuardOut]
    flags: list[str]
    latency_ms: float


class MessageOut(BaseModel):
    request_id: str
    question: str
    answer: str
    outcome: str
    status: str
    citations: list[CitationOut]
    created_at: datetime


class ConversationOut(BaseModel):
    id: str
    service: str
    created_at: datetime
    messages: list[MessageOut]


class ServiceOut(BaseModel):
    name: str
    title: str
    description: str
    available: bool
    classification: str
    uk_only: bool


class SwitchOut(BaseModel):
    service: str
    enabled: bool
    reason: str
    changed_by: str | None


class FlaggedPassageOut(BaseModel):
    kb: str
    source_id: str
    anchor: str | None
    title: str
    url: str = Field(description="Where the passage is read: its section's address, or the page's with the anchor.")
    flags: list[str] = Field(description="The flags ingest stored (\"injection\").")
    flagged_now: bool = Field(description="Whether the current source screen still flags it (answers then skip it).")
    score: float
    reasons: list[str] = Field(description="The current screen's reasons, with the sentence a block rests on.")
    text: str


class Accepted(BaseModel):
    ok: bool = True
