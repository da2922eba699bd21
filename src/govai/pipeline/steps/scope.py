"""scope: route the question (in_scope, out_of_scope, greeting, needs_account_data,
crisis) and answer the routes that are not in scope with the service's canned reply.

A crisis (self-harm, immediate danger) gets help at once — Samaritans 116 123 —
whatever the question looked like to the other guards.
Options: ``routes_answered`` — routes to pass on to retrieval anyway (e.g. [greeting]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from govai.domain import Outcome
from govai.errors import ConfigError
from govai.guards.scope import ROUTES, ScopeDecision, scope_of
from govai.pipeline.context import Context
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps

if TYPE_CHECKING:
    from govai.runtime import Services

# A greeting or a crisis reply is a helpful answer; the others tell the user we cannot help here.
_OUTCOME = {
    "greeting": Outcome.ANSWERED,
    "crisis": Outcome.ANSWERED,
    "out_of_scope": Outcome.REFUSED,
    "needs_account_data": Outcome.ABSTAINED,
}


class Scope:
    name = "scope"

    def __init__(self, replies: Replies, routes_answered: list[str] | None = None) -> None:
        unknown = sorted(set(routes_answered or []) - set(ROUTES))
        if unknown:
            raise ConfigError(f"scope routes_answered: unknown route(s) {', '.join(unknown)}; known: {', '.join(ROUTES)}")
        self.replies = replies
        self.routes_answered = set(routes_answered or [])

    def __call__(self, ctx: Context) -> None:
        decision = scope_of(ctx.text)
        if decision.route != "crisis" and "self_harm" in ctx.flags:
            decision = ScopeDecision("crisis", "input guard found self-harm", "crisis")
        ctx.scope = decision.route
        ctx.record(self.name, route=decision.route, reason=decision.reason)
        if decision.route == "crisis":
            ctx.flag("safeguarding")
        if decision.canned_key is None or decision.route in self.routes_answered:
            return
        ctx.stop(_OUTCOME[decision.route], self.replies(decision.canned_key), f"scope: {decision.reason}")


@steps.register("scope")
def build(services: Services, options: dict[str, Any]) -> Scope:
    return Scope(services.replies, **options)
