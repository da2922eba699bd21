"""Stable typed placeholders ([NINO_1], [PERSON_2]) and re-identification.

Within one conversation the same value always gets the same placeholder, also
when it is written differently ("AB 12 34 56 C" and "ab123456c"), so a model
can refer back to it and the answer can be re-identified.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from govai.pii.recognisers.contact import national_digits
from govai.pii.validators import compact

PLACEHOLDER = re.compile(r"\[([A-Z][A-Z_]*?)_(\d{1,6})\]")
_FREE_TEXT_LABELS = {"PERSON", "ADDRESS", "DATE_OF_BIRTH"}


def canonical(label: str, value: str) -> str:
    """The form two mentions of one value share."""
    if label == "EMAIL":
        return value.strip().lower()
    if label == "PHONE_UK":
        return national_digits(value)
    if label in _FREE_TEXT_LABELS or label not in _KNOWN_IDS:
        return " ".join(re.sub(r"[^\w\s]", " ", value).casefold().split())
    return compact(value)


_KNOWN_IDS = {"NINO", "NHS_NUMBER", "UTR", "VAT_GB", "SORT_CODE", "ACCOUNT_NUMBER", "IBAN_GB", "PASSPORT_UK",
              "DRIVING_LICENCE_UK", "VEHICLE_REG_UK", "COMPANY_NUMBER", "POSTCODE"}


@dataclass
class PlaceholderMap:
    """placeholder -> original value, plus the counters that keep numbering stable."""

    values: dict[str, str] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # label + canonical value -> placeholder
    counters: dict[str, int] = field(default_factory=dict)

    def placeholder_for(self, label: str, value: str) -> str:
        key = f"{label}\x1f{canonical(label, value)}"
        existing = self.keys.get(key)
        if existing is not None:
            return existing
        n = self.counters.get(label, 0) + 1
        self.counters[label] = n
        placeholder = f"[{label}_{n}]"
        self.keys[key] = placeholder
        self.values[placeholder] = value
        return placeholder

    def __len__(self) -> int:
        return len(self.values)

    def to_json(self) -> bytes:
        return json.dumps({"values": self.values, "keys": self.keys, "counters": self.counters}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> PlaceholderMap:
        raw = json.loads(data)
        return cls(dict(raw["values"]), dict(raw["keys"]), {k: int(v) for k, v in raw["counters"].items()})


def reidentify(text: str, mapping: PlaceholderMap) -> tuple[str, list[str]]:
    """Restore known placeholders; return the text and the placeholders nobody issued (left visible)."""
    unknown: list[str] = []

    def restore(m: re.Match[str]) -> str:
        value = mapping.values.get(m.group(0))
        if value is None:
            unknown.append(m.group(0))
            return m.group(0)
        return value

    return PLACEHOLDER.sub(restore, text), unknown
