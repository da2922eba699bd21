"""Sovereign routing policy: which provider may take which request, and why."""

from govai.policy.routing import Decision, Route, decide, text_for
from govai.policy.rules import PersonalDataMode, Request, ServiceRules, reasons_against, rules

__all__ = [
    "Decision",
    "PersonalDataMode",
    "Request",
    "Route",
    "ServiceRules",
    "decide",
    "reasons_against",
    "rules",
    "text_for",
]
