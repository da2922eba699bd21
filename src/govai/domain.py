"""The shared vocabulary of GovAI: what every layer passes to every other.

Imported by everything and importing nothing of GovAI's, so retrieval, providers,
policy, guards and answerability never reach up into the pipeline for a type.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel


class Classification(StrEnum):
    """Government Security Classifications; OFFICIAL-SENSITIVE is a handling caveat."""

    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
    SECRET = "SECRET"
    TOP_SECRET = "TOP SECRET"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {level: i for i, level in enumerate(Classification)}


class Outcome(StrEnum):
    ANSWERED = "answered"
    ABSTAINED = "abstained"  # the guidance does not answer it; signposted
    REFUSED = "refused"  # policy forbids answering (classification, scope, budget)
    BLOCKED = "blocked"  # a guard stopped it (attack, unsafe output)
    ERROR = "error"  # a dependency failed; canned service-error reply


class PersonalData(StrEnum):
    """What is known about personal data in a request: routing treats UNCHECKED as present."""

    NONE = "none"  # screened, none found
    FOUND = "found"  # screened, found and pseudonymised in the working text
    UNCHECKED = "unchecked"  # not screened (the service waived pseudonymisation): may be present, in clear


class TextSent(StrEnum):
    """Which text a provider is given."""

    AS_IS = "as_is"  # no personal data found
    ORIGINAL = "original"  # personal data, provider approved for it
    PSEUDONYMISED = "pseudonymised"  # personal data replaced by placeholders


class Source(BaseModel):
    """One retrieved passage of official guidance."""

    source_id: str  # GOV.UK base_path or legislation section URL, plus optional #anchor
    doc_id: str  # the document's source id without anchor
    chunk_id: int
    title: str
    headings: list[str] = []
    url: str
    text: str
    score: float = 0.0
    flags: list[str] = []


class Citation(BaseModel):
    source_id: str
    url: str
    title: str


class Usage(BaseModel):
    provider: str | None = None
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_gbp: float = 0.0


class ModelCall(BaseModel):
    """One decision of the model-access policy: may this provider take this request, for this purpose?"""

    purpose: str  # compose, input_judge, output_judge, query_embedding, ...
    provider: str
    allowed: bool
    text: TextSent | None = None  # what it was given, when allowed
    reasons: dict[str, str] = {}  # rule -> reason, when refused


class RoutedRequest(Protocol):
    """What the model-access policy reads from a request, and where it records its decisions."""

    service: str
    classification: Classification
    personal_data: PersonalData
    model_calls: list[ModelCall]
