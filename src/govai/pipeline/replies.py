"""Every canned reply GovAI gives, in one place.

A service profile overrides any of them through its ``canned`` mapping, using the
same keys; an unknown key is a configuration error, so a typo cannot silently
leave the built-in wording in place. ``{placeholders}`` are filled in by name.
"""

from __future__ import annotations

from collections.abc import Mapping

from govai.errors import ConfigError

DEFAULT_REPLIES: dict[str, str] = {
    # normalise
    "empty": "Please type a question.",
    "too_long": "Your message is too long. Please ask your question in fewer than {limit} characters.",
    # input guard
    "blocked_input": (
        "Sorry, I can't help with that. I can answer questions about government services and guidance. "
        "Please ask your question in a different way."
    ),
    "blocked_personal_data": (
        "Sorry, I can't look up or share information about other people. If you need information about "
        "your own records, sign in to the relevant service on GOV.UK or contact the organisation directly."
    ),
    # scope routes
    "out_of_scope": (
        "Sorry, I can only help with questions about government services and guidance. "
        "Try searching GOV.UK for other topics."
    ),
    "greeting": (
        "Hello. I can answer questions about government services using official guidance. "
        "What would you like to know?"
    ),
    "needs_account_data": (
        "I can't see your personal records or account. To check details of your own claim, payment or "
        "application, sign in to your account on GOV.UK or contact the service that handles it."
    ),
    "crisis": (
        "I'm sorry you're feeling like this. You don't have to face it alone. "
        "If you are in immediate danger, call 999. "
        "You can talk to Samaritans any time, day or night, for free: call 116 123 or email jo@samaritans.org. "
        "If you're under 19 you can also call Childline on 0800 1111. "
        "In Wales you can call the C.A.L.L. helpline on 0800 132 737. "
        "You can also text SHOUT to 85258 or contact NHS 111."
    ),
    "political": (
        "I can't give opinions on political parties or how to vote. "
        "GOV.UK has neutral information on elections and how to register to vote."
    ),
    # routing policy
    "policy_refused": (
        "Sorry, this service cannot answer requests marked {classification} with the tools it is allowed "
        "to use. Please use your organisation's approved channel for this material."
    ),
    "budget_refused": "Sorry, this service has reached its spending limit for now. Please try again later.",
    # evidence and composition
    "not_found": (
        "I can't find the answer to that in the guidance I have. "
        "You can search GOV.UK (https://www.gov.uk/search) or contact the organisation responsible."
    ),
    "service_error": (
        "Sorry, the service is not working right now. Please try again later, "
        "or use GOV.UK to find the guidance you need."
    ),
    # the kill switch
    "unavailable": (
        "Sorry, this service is not available at the moment. Please try again later, "
        "or use GOV.UK to find the guidance you need."
    ),
    # output guard
    "blocked_output": (
        "Sorry, I couldn't produce an answer I can be sure is accurate and safe. "
        "Please check GOV.UK or contact the service directly."
    ),
    # a knowledge base whose last ingest did not finish (added after the reply)
    "incomplete_kb": (
        "Note: the guidance this service answers from was not fully loaded, so this answer may be "
        "incomplete. Check GOV.UK for the full guidance."
    ),
    # human review
    "review_rejected": (
        "A member of staff has checked this question and could not confirm an answer from the guidance. "
        "Please contact the service directly."
    ),
    "review_hold": (
        "A member of staff needs to check this answer before you get it. "
        "You will hear back once {reviewer} has reviewed it."
    ),
}


def check_overrides(overrides: Mapping[str, str]) -> None:
    """Raise ConfigError for a key that names no canned reply."""
    unknown = sorted(set(overrides) - set(DEFAULT_REPLIES))
    if unknown:
        raise ValueError(f"unknown canned reply key(s) {', '.join(unknown)}; known: {', '.join(DEFAULT_REPLIES)}")


class Replies:
    """The service's wording: its profile's overrides over the built-in defaults."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        overrides = dict(overrides or {})
        try:
            check_overrides(overrides)
        except ValueError as exc:
            raise ConfigError(f"canned: {exc}") from None
        self._texts = {**DEFAULT_REPLIES, **{k: v for k, v in overrides.items() if v}}

    def __call__(self, key: str, **values: object) -> str:
        text = self._texts[key]
        # Plain substitution, not str.format: a brace in a department's wording is not an error.
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text


SERVICE_ERROR = DEFAULT_REPLIES["service_error"]
