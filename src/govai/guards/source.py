"""The source screen: retrieved passages must never give the assistant instructions.

``flag_passage`` is the ingest hook (flags are stored on chunks as ``Source.flags``);
``screen_passages`` is what the ``screen_sources`` step runs on every retrieval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from govai.guards.engine import GuardResult, default_screen

INJECTION_FLAG = "injection"


def flag_passage(text: str) -> list[str]:
    """Flags for a passage at ingest time: ``["injection"]`` if it carries instructions, else ``[]``."""
    result = default_screen("document").check(text)
    return [INJECTION_FLAG] if result.blocked else []


@dataclass(frozen=True)
class PassageVerdict:
    index: int
    source_id: str
    flagged_at_ingest: bool
    result: GuardResult | None

    @property
    def injected(self) -> bool:
        return self.flagged_at_ingest or bool(self.result and self.result.blocked)


def screen_passages(passages: list[tuple[str, str, list[str]]],
                    check: Callable[[str], GuardResult] | None = None) -> list[PassageVerdict]:
    """Judge (source_id, text, existing flags) triples with ``check`` (the default document screen's,
    unless given); a passage flagged at ingest is not re-read."""
    check = check or default_screen("document").check
    verdicts = []
    for i, (source_id, text, flags) in enumerate(passages):
        if INJECTION_FLAG in flags:
            verdicts.append(PassageVerdict(i, source_id, True, None))
        else:
            verdicts.append(PassageVerdict(i, source_id, False, check(text)))
    return verdicts
