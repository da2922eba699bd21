"""Resolve overlapping candidates into one non-overlapping set of spans.

Higher confidence wins; on a tie the longer span wins (an IBAN over the sort
code inside it, a phone number over the ten digits inside it).
"""

from __future__ import annotations

from collections.abc import Iterable

from govai.pii.entities import Entity


def resolve(candidates: Iterable[Entity], threshold: float = 0.5) -> list[Entity]:
    ranked = sorted(
        (e for e in candidates if e.score >= threshold and e.end > e.start),
        key=lambda e: (-round(e.score, 3), -(e.end - e.start), e.start),
    )
    chosen: list[Entity] = []
    for entity in ranked:
        if all(entity.end <= c.start or c.end <= entity.start for c in chosen):
            chosen.append(entity)
    return sorted(chosen, key=lambda e: (e.start, e.end))
