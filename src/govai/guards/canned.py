"""Built-in wording of the guardrails' canned replies.

A service profile overrides any of them through its ``canned`` mapping, using
the same keys (documented in docs/guardrails.md).
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_CANNED: dict[str, str] = {
    # input guard
    "blocked_input": (
        "Sorry, I can't help with that. I can answer questions about government services and guidance. "
        "Please ask your question in a different way."
    ),
    "blocked_personal_data": (
        "Sorry, I can't look up or share information about other people. If you need information about "
        "your own records, sign in to the relevant service on GOV.UK or contact the organisation directly."
    ),
    "too_long": "Your message is too long. Please ask your question in fewer than {limit} characters.",
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
    # output guard
    "blocked_output": (
        "Sorry, I couldn't produce an answer I can be sure is accurate and safe. "
        "Please check GOV.UK or contact the service directly."
    ),
}


def canned(key: str, overrides: Mapping[str, str] | None = None, **values: object) -> str:
    """The reply for ``key``: the profile's wording if it has one, else the built-in default."""
    text = (overrides or {}).get(key) or DEFAULT_CANNED[key]
    return text.format(**values) if values else text
