"""Sovereign routing policy: which provider may take which request, and why."""

from govai.policy.routing import Decision, Route, TextSent, decide, reasons_not_to_send
from govai.policy.rules import PersonalDataMode, Request, ServiceRules, reasons_against, rules

__all__ = [
    "Decision",
    "PersonalDataMode",
    "Request",
    "Route",
    "ServiceRules",
    "TextSent",
    "decide",
    "reasons_against",
    "reasons_not_to_send",
    "rules",
]
