"""route: pick the composition provider this request may go to, and say why.

The service's providers are filtered, in order, through every routing rule
(classification, on-premises accreditation, UK residency, training use, prompt
retention, personal data, budget); the first allowed one composes, the rest of
the allowed chain is the fallback. With none allowed the request is refused,
naming the rule but never the content.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.pipeline.step import steps
from govai.policy.audit import period_starts, spent_gbp
from govai.policy.routing import Decision, decide
from govai.policy.rules import Request
from govai.profiles import ServiceProfile
from govai.providers.config import Catalogue, load_catalogue

if TYPE_CHECKING:
    from govai.runtime import Runtime

log = logging.getLogger(__name__)

POLICY_REFUSED = (
    "Sorry, this service cannot answer requests marked {classification} with the tools it is allowed "
    "to use. Please use your organisation's approved channel for this material."
)
BUDGET_REFUSED = "Sorry, this service has reached its spending limit for now. Please try again later."


def canned(profile: ServiceProfile, key: str, default: str, **values: str) -> str:
    text = profile.canned.get(key, default)
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


class Route:
    name = "route"

    def __init__(self, runtime: Runtime, catalogue: Catalogue) -> None:
        self.runtime = runtime
        self.profile = runtime.profile
        self.catalogue = catalogue
        for provider in self.profile.providers:
            catalogue.get(provider)  # fail at start-up, not per request

    def budget_exhausted(self, service: str) -> bool:
        budget = self.profile.budget
        if not budget.limits_spend:
            return False
        conn = self.runtime.db.conn
        day, month = period_starts()
        if budget.daily_gbp is not None and spent_gbp(conn, service, day) >= budget.daily_gbp:
            return True
        return budget.monthly_gbp is not None and spent_gbp(conn, service, month) >= budget.monthly_gbp

    def decide(self, ctx: Context) -> Decision:
        request = Request(classification=ctx.classification, personal_data="personal_data" in ctx.flags)
        rules = self.profile.service_rules(budget_exhausted=self.budget_exhausted(ctx.service))
        return decide(
            self.catalogue,
            self.profile.providers,
            request,
            rules,
            fallback_to_extractive=self.profile.routing.fallback_to_extractive,
        )

    def __call__(self, ctx: Context) -> None:
        decision = self.decide(ctx)
        summary = decision.as_dict()
        ctx.state["route"] = summary
        ctx.provider = decision.provider
        ctx.record(self.name, **summary)
        log.info("route %s: %s", ctx.request_id, summary["explanation"])
        if decision.allowed:
            return
        if decision.rejected_only_by("budget"):
            ctx.stop(Outcome.REFUSED, canned(self.profile, "budget_refused", BUDGET_REFUSED), summary["explanation"])
            return
        text = canned(self.profile, "policy_refused", POLICY_REFUSED, classification=str(ctx.classification))
        ctx.stop(Outcome.REFUSED, text, summary["explanation"])


@steps.register("route")
def build(runtime: Runtime, options: dict[str, Any]) -> Route:
    return Route(runtime, load_catalogue(runtime.profile.providers_file))
