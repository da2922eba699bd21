"""The labels GovAI detects and the span type every recogniser returns."""

from __future__ import annotations

from dataclasses import dataclass, field

LABELS: tuple[str, ...] = (
    "PERSON", "ADDRESS", "POSTCODE", "EMAIL", "PHONE_UK", "NINO", "NHS_NUMBER", "UTR", "VAT_GB",
    "SORT_CODE", "ACCOUNT_NUMBER", "IBAN_GB", "PASSPORT_UK", "DRIVING_LICENCE_UK", "VEHICLE_REG_UK",
    "DATE_OF_BIRTH", "COMPANY_NUMBER",
)

# Identifiers whose check digits (or issuing rules) are validated, not just pattern-matched.
CHECKSUMMED: tuple[str, ...] = ("NINO", "NHS_NUMBER", "UTR", "VAT_GB", "IBAN_GB")


@dataclass(frozen=True)
class Entity:
    """A typed span ``text[start:end]`` with a confidence in [0, 1]."""

    start: int
    end: int
    label: str
    score: float
    recogniser: str = ""
    # Why it scored as it did (context words seen, validator passed): for audit, never values.
    evidence: tuple[str, ...] = field(default=(), compare=False)

    def shifted(self, offset: int) -> Entity:
        return Entity(self.start + offset, self.end + offset, self.label, self.score, self.recogniser, self.evidence)

    def with_span(self, start: int, end: int) -> Entity:
        return Entity(start, end, self.label, self.score, self.recogniser, self.evidence)

    def to_dict(self, text: str | None = None) -> dict[str, object]:
        out: dict[str, object] = {"start": self.start, "end": self.end, "label": self.label, "score": round(self.score, 3)}
        if text is not None:
            out["text"] = text[self.start : self.end]
        return out
