"""scope: route the question (in_scope, out_of_scope, greeting, needs_account_data,
crisis) and answer the routes that are not in scope with the profile's canned reply.

A crisis (self-harm, immediate danger) gets help at once — Samaritans 116 123 —
whatever the question looked like to the other guards. Replies come from the
profile's ``canned`` mapping (keys: greeting, out_of_scope, political,
needs_account_data, crisis), falling back to the built-in wording.
Options: ``routes_answered`` — routes to pass on to retrieval anyway (e.g. [greeting]).
"""

from __future__ import annotations

from typing import Any

from govai.guards.canned import canned
from govai.guards.scope import classify
from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.step import steps

# A greeting or a crisis reply is a helpful answer; the others tell the user we cannot help here.
_OUTCOME = {
    "greeting": Outcome.ANSWERED,
    "crisis": Outcome.ANSWERED,
    "out_of_scope": Outcome.REFUSED,
    "needs_account_data": Outcome.ABSTAINED,
}


class Scope:
    name = "scope"

    def __init__(self, runtime: Any, routes_answered: list[str] | None = None) -> None:
        self.canned = getattr(getattr(runtime, "profile", None), "canned", {}) or {}
        self.routes_answered = set(routes_answered or [])

    def __call__(self, ctx: Context) -> None:
        decision = classify(ctx.text)
        if decision.route != "crisis" and "self_harm" in ctx.flags:
            decision = type(decision)("crisis", "input guard found self-harm", "crisis")
        ctx.route = decision.route
        ctx.record(self.name, route=decision.route, reason=decision.reason)
        if decision.route == "crisis" and "safeguarding" not in ctx.flags:
            ctx.flags.append("safeguarding")
        if decision.canned_key is None or decision.route in self.routes_answered:
            return
        ctx.stop(_OUTCOME[decision.route], canned(decision.canned_key, self.canned), f"scope: {decision.reason}")


@steps.register("scope")
def build(runtime: Any, options: dict[str, Any]) -> Scope:
    return Scope(runtime, **options)
