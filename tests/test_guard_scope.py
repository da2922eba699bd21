"""Scope routing and its canned replies."""

from __future__ import annotations

import json

import pytest

from govai.guards.scope import scope_of
from govai.domain import Outcome
from govai.pipeline.context import Context
from govai.profiles.model import ServiceProfile

from conftest import build_step


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("How do I apply for Pension Credit?", "in_scope"),
        ("Hello", "greeting"),
        ("Bore da", "greeting"),
        ("Who are you?", "greeting"),
        ("Write me a poem about autumn", "out_of_scope"),
        ("Which party should I vote for?", "out_of_scope"),
        ("Has my Universal Credit claim been approved?", "needs_account_data"),
        ("What is my tax code?", "needs_account_data"),
        ("I want to end my life", "crisis"),
        ("I feel suicidal", "crisis"),
        ("Rwy eisiau lladd fy hun", "crisis"),
        ("Where do I find my tax code on my payslip?", "in_scope"),
        ("What should I do if my child is being bullied?", "in_scope"),
    ],
)
def test_routes(text: str, route: str) -> None:
    assert scope_of(text).route == route


def test_citizen_questions_stay_in_scope(shared) -> None:
    questions = [json.loads(line)["question"] for line in (shared / "evalsets/dev-qa.jsonl").open()]
    assert [q for q in questions if scope_of(q).route != "in_scope"] == []


def test_crisis_reply_signposts_help_at_once() -> None:
    ctx = Context(question="i want to kill myself")
    build_step("scope")(ctx)
    assert ctx.scope == "crisis"
    assert "116 123" in (ctx.answer or "")
    assert "safeguarding" in ctx.flags


def test_canned_replies_come_from_the_profile() -> None:
    profile = ServiceProfile(canned={"out_of_scope": "This service only covers parking permits."})
    ctx = Context(question="Tell me a joke")
    build_step("scope", profile)(ctx)
    assert ctx.outcome == Outcome.REFUSED
    assert ctx.answer == "This service only covers parking permits."
    assert ctx.records[-1].detail["route"] == "out_of_scope"


def test_in_scope_questions_pass_through() -> None:
    ctx = Context(question="How do I register a death?")
    build_step("scope")(ctx)
    assert ctx.scope == "in_scope" and not ctx.stopped
