"""screen_sources: drop (or quarantine) retrieved passages that carry instructions.

Runs after ``retrieve`` and before composition. Every passage is screened fresh
with the current guard model: flags stored at ingest (reported to the operator
when the guidance is loaded) may come from an older model, so they are not trusted
here in either direction. A worker remembers the verdicts of the passages it has
screened (``PASSAGE_CACHE``, by text): a knowledge base's passages come back request
after request, and the screen's verdict on a text never changes within a process.
``ctx.retrieved`` keeps the retrieval order as it was (for evaluation); only
``ctx.sources`` — what composition sees — loses the injected passages.

Options: ``action`` ("drop", the default, or "quarantine": also keep them in
``ctx.quarantined`` for review), ``threshold``, ``layers``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from govai.errors import ConfigError
from govai.guards.engine import Screen
from govai.guards.source import screen_passages
from govai.pipeline.context import Context
from govai.pipeline.step import steps

if TYPE_CHECKING:
    from govai.runtime import Services

PASSAGE_CACHE = 4096  # verdicts kept per worker (a few MB at most)


class ScreenSources:
    name = "screen_sources"

    def __init__(self, action: str = "drop", threshold: float | None = None, layers: list[Any] | None = None) -> None:
        if action not in ("drop", "quarantine"):
            raise ConfigError(f"screen_sources action must be 'drop' or 'quarantine', not {action!r}")
        self.action = action
        self.screen = Screen("document", layers=layers, threshold=threshold)
        self.check = lru_cache(maxsize=PASSAGE_CACHE)(self.screen.check)

    def __call__(self, ctx: Context) -> None:
        verdicts = screen_passages([(s.source_id, s.text, []) for s in ctx.sources], self.check)
        dropped = []
        for v in verdicts:
            if v.injected:
                reasons = ["flagged at ingest"] if v.flagged_at_ingest else (v.result.reasons if v.result else [])
                score = 1.0 if v.result is None else round(v.result.score, 4)
                dropped.append({"source_id": v.source_id, "score": score, "reasons": reasons})
        if dropped:
            bad = {v.index for v in verdicts if v.injected}
            if self.action == "quarantine":
                ctx.quarantined.extend(s for i, s in enumerate(ctx.sources) if i in bad)
            ctx.sources = [s for i, s in enumerate(ctx.sources) if i not in bad]
            ctx.flag("injected_source")
        ctx.record(self.name, screened=len(verdicts), action=self.action, dropped=dropped)


@steps.register("screen_sources")
def build(services: Services, options: dict[str, Any]) -> ScreenSources:
    return ScreenSources(**options)
