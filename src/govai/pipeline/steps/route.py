"""route: decide which composition providers this request may go to, and say why.

Model access filters the service's providers, in order, through every routing rule
(classification, on-premises accreditation, UK residency, training use, prompt
retention, personal data, budget); the first allowed one composes, the rest of the
allowed chain is the fallback. With none allowed the request is refused before any
retrieval, naming the rule but never the content.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.replies import Replies
from govai.pipeline.step import steps
from govai.policy.access import ModelAccess
from govai.policy.routing import Decision

if TYPE_CHECKING:
    from govai.runtime import Services

log = logging.getLogger(__name__)


def route_request(access: ModelAccess, replies: Replies, ctx: Context) -> Decision:
    """Make the routing decision for this request, record it, and refuse the request if no
    provider may take it."""
    decision = access.plan(ctx)
    ctx.routing = decision
    summary = decision.as_dict()
    log.info("route %s: %s", ctx.request_id, summary["explanation"])
    if not decision.allowed:
        if decision.rejected_only_by("budget"):
            ctx.stop(Outcome.REFUSED, replies("budget_refused"), summary["explanation"])
        else:
            ctx.stop(Outcome.REFUSED, replies("policy_refused", classification=ctx.classification),
                     summary["explanation"])
    return decision


class Route:
    name = "route"

    def __init__(self, access: ModelAccess, replies: Replies) -> None:
        self.access = access
        self.replies = replies

    def __call__(self, ctx: Context) -> None:
        decision = route_request(self.access, self.replies, ctx)
        ctx.record(self.name, **decision.as_dict())


@steps.register("route")
def build(services: Services, options: dict[str, Any]) -> Route:
    if options:
        from govai.errors import ConfigError

        raise ConfigError(f"route: takes no options (got {', '.join(sorted(options))})")
    return Route(services.access, services.replies)
