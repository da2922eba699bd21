"""Walks a list of steps over one context, stopping when a step stops it."""

from __future__ import annotations

import logging
import time

from govai.domain import Outcome
from govai.errors import GovAIError
from govai.pipeline.context import Context, StepRecord
from govai.pipeline.replies import Replies
from govai.pipeline.step import Step

log = logging.getLogger(__name__)


class Pipeline:
    def __init__(self, steps: list[Step], finally_steps: list[Step] | None = None,
                 replies: Replies | None = None) -> None:
        self.steps = steps
        # Steps that always run, even after a stop (e.g. audit).
        self.finally_steps = finally_steps or []
        self.replies = replies or Replies()

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.steps + self.finally_steps]

    def run(self, ctx: Context) -> Context:
        for step in self.steps:
            if ctx.stopped:
                break
            self._run_step(step, ctx)
        if not ctx.stopped:
            ctx.outcome = Outcome.ANSWERED if ctx.answer else Outcome.ABSTAINED
        for step in self.finally_steps:
            self._run_step(step, ctx)
        return ctx

    def finish(self, ctx: Context) -> Context:
        """Run only the steps that always run (review, audit), for a request already stopped
        before the pipeline (e.g. by the kill switch)."""
        for step in self.finally_steps:
            self._run_step(step, ctx)
        return ctx

    def _run_step(self, step: Step, ctx: Context) -> None:
        start = time.perf_counter()
        before = len(ctx.records)
        try:
            step(ctx)
        except Exception as exc:  # a failing dependency must not crash the request
            kind = "GovAIError" if isinstance(exc, GovAIError) else type(exc).__name__
            # The message may quote the request: log the kind only, keep the detail for the audit trail.
            log.error("step %s failed: %s", step.name, type(exc).__name__)
            log.debug("step %s failed", step.name, exc_info=True)
            ctx.stop(Outcome.ERROR, self.replies("service_error"), f"step {step.name} failed: {kind}: {exc}")
        ms = (time.perf_counter() - start) * 1000
        # A step may have added its own record with details; time it either way.
        if len(ctx.records) > before and ctx.records[-1].step == step.name:
            ctx.records[-1].ms = ms
        else:
            ctx.records.append(StepRecord(step=step.name, ms=ms))
