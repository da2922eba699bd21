"""Pattern recognisers: a regular expression, an optional validator and context cues.

This is the shape of every identifier recogniser, and what a service profile
uses to add its own (``custom`` in the pseudonymise step's options).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from govai.errors import ConfigError
from govai.pii.context import clause_before, cue_after, cue_pattern, nearest_cue_before, proximity_boost
from govai.pii.entities import Entity
from govai.pii.registry import TextDoc

Validator = Callable[[str], bool]
# Optional hook: adjust the score of a validated match (e.g. lower-case forms score less).
Adjust = Callable[[TextDoc, "re.Match[str]", float], float]


@dataclass
class PatternRecogniser:
    name: str
    label: str
    pattern: re.Pattern[str]
    score: float  # confidence of a validated match with no context
    validator: Validator | None = None
    cues: tuple[str, ...] = ()  # words that make this label likely
    cue_boost: float = 0.35
    negative_cues: tuple[str, ...] = ()  # words in the same clause that rule it out
    window: int = 48
    cues_after: tuple[str, ...] = ()
    adjust: Adjust | None = None
    match_check: Callable[[re.Match[str]], bool] | None = None  # validator needing other groups
    order: int = 10
    labels: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.labels = (self.label,)

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        out = []
        for m in self.pattern.finditer(doc.text):
            start, end = m.span("v") if "v" in self.pattern.groupindex else m.span()
            value = doc.text[start:end]
            if self.validator is not None and not self.validator(value):
                continue
            if self.match_check is not None and not self.match_check(m):
                continue
            if _inside_url(doc.text, start, end):
                continue
            entity = self._score(doc, m, start, end)
            if entity is not None:
                out.append(entity)
        return out

    def _score(self, doc: TextDoc, m: re.Match[str], start: int, end: int) -> Entity | None:
        evidence = ["validated"] if self.validator else []
        score = self.score
        cue = nearest_cue_before(doc, start, self.cues, self.window)
        after = cue_after(doc, end, self.cues_after) if self.cues_after else None
        if after is not None and (cue is None or after.distance < cue.distance):
            cue = after  # "P672 GWK – no MOT": the nearer cue, on either side
        if cue is not None:
            score += proximity_boost(cue, self.cue_boost, self.window)
            evidence.append(f"context:{cue.word}")
        if self.negative_cues:
            clause = clause_before(doc, start)
            found = cue_pattern(self.negative_cues).search(clause)  # whole words: "ref" is not in "refund"
            hit = found.group(0) if found else None
            if hit is not None:
                score -= 0.6
                evidence.append(f"negative:{hit}")
        if self.adjust is not None:
            score = self.adjust(doc, m, score)
        if score <= 0:
            return None
        return Entity(start, end, self.label, min(score, 1.0), self.name, tuple(evidence))


def _inside_url(text: str, start: int, end: int) -> bool:
    """Digits inside a web address (tracking ids, query strings) are not identifiers."""
    lo = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start), text.rfind("(", 0, start)) + 1
    hi_candidates = [i for i in (text.find(" ", end), text.find("\n", end), text.find(")", end)) if i >= 0]
    token = text[lo : min(hi_candidates) if hi_candidates else len(text)]
    return "://" in token or token.startswith("www.") or ("?" in token and "=" in token)


def custom_recogniser(spec: dict[str, Any]) -> PatternRecogniser:
    """Build a profile-defined recogniser: {name, label, pattern, score?, context?, flags?}."""
    try:
        name, label, pattern = spec["name"], spec["label"], spec["pattern"]
    except KeyError as exc:
        raise ConfigError(f"custom PII recogniser needs 'name', 'label' and 'pattern' (missing {exc})") from None
    try:
        compiled = re.compile(pattern, re.IGNORECASE if spec.get("ignore_case") else 0)
    except re.error as exc:
        raise ConfigError(f"custom PII recogniser {name!r}: invalid pattern: {exc}") from None
    return PatternRecogniser(
        name=name,
        label=str(label).upper(),
        pattern=compiled,
        score=float(spec.get("score", 0.6)),
        cues=tuple(spec.get("context", ())),
        cue_boost=float(spec.get("context_boost", 0.35)),
    )
