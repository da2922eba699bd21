"""audit: write every decision and its reason to the hash-chained audit trail.

Runs last and always, whatever stopped the request. A failing audit write is an
error for the request: an unaudited answer must not look like an audited one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govai.pipeline.context import Context
from govai.pipeline.step import steps
from govai.policy.audit import append, payload_for

if TYPE_CHECKING:
    from govai.runtime import Runtime


class Audit:
    name = "audit"
    always_runs = True

    def __init__(self, runtime: Runtime, log_text: bool) -> None:
        self.runtime = runtime
        self.log_text = log_text

    def __call__(self, ctx: Context) -> None:
        digest = append(self.runtime.db.conn, payload_for(ctx, log_text=self.log_text))
        ctx.state["audit_hash"] = digest
        ctx.record(self.name, row_hash=digest)


@steps.register("audit")
def build(runtime: Runtime, options: dict[str, Any]) -> Audit:
    return Audit(runtime, log_text=bool(options.get("log_text", runtime.profile.retention.log_text)))
