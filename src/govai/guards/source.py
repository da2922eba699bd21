"""The source screen: retrieved passages must never give the assistant instructions.

``flag_passage`` is the ingest hook (flags are stored on chunks as ``Source.flags``);
``screen_passages`` is what the ``screen_sources`` step runs on every retrieval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from govai.guards.engine import GuardResult, check_document, default_screen

if TYPE_CHECKING:
    from govai.store.knowledge import KnowledgeStore

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


@dataclass(frozen=True)
class FlaggedPassage:
    """A passage flagged at ingest, with what the current screen says of it now."""

    kb: str
    source_id: str
    anchor: str | None
    title: str
    url: str  # where the passage is read (its section's own address, or the page's with the anchor)
    flags: list[str]
    flagged_now: bool
    score: float
    reasons: list[str]
    text: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def flagged_passages(store: KnowledgeStore, kb_name: str) -> list[FlaggedPassage]:
    """The passages of a knowledge base that ingest flagged, re-screened now: what answers do not draw
    on (while the current screen still flags them), for review (``govai kb flagged``, the staff
    console's Flagged passages, ``GET /v1/admin/services/{service}/flagged``)."""
    kb = store.require(kb_name)
    out = []
    for chunk in store.flagged_chunks(kb):
        now = check_document(chunk.text)
        url = chunk.link or (chunk.url + (f"#{chunk.anchor}" if chunk.anchor else ""))
        out.append(FlaggedPassage(kb.name, chunk.source_id, chunk.anchor, chunk.title, url, list(chunk.flags),
                                  now.blocked, round(now.score, 4), now.reasons, chunk.text))
    return out
