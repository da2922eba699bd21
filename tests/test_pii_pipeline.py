"""The pseudonymise and reidentify steps in a pipeline, with the database vault."""

from __future__ import annotations

import base64
import re

import pytest

from govai.domain import PersonalData
from govai.pipeline.context import Context
from govai.pipeline.runner import Pipeline
from govai.pipeline.step import steps
from govai.profiles.model import ServiceProfile
from govai.runtime import Services

import govai.pipeline.steps  # noqa: F401  (registers the steps)


class EchoCompose:
    """Stands in for composition: answers with the placeholders it was given, plus one it made up."""

    name = "compose"

    def __call__(self, ctx: Context) -> None:
        placeholders = re.findall(r"\[[A-Z_]+_\d+\]", ctx.text)
        ctx.answer = "Thanks " + " ".join(placeholders) + " and [PASSPORT_UK_9]."


@pytest.fixture()
def pipeline(db, monkeypatch: pytest.MonkeyPatch) -> Pipeline:
    monkeypatch.setenv("GOVAI_VAULT_KEY", base64.b64encode(bytes(range(32))).decode())
    services = Services(ServiceProfile())
    built = [steps.get(n)(services, {}) for n in ("normalise", "pseudonymise")]
    return Pipeline([*built, EchoCompose(), steps.get("reidentify")(services, {})])


def test_personal_data_is_pseudonymised_and_restored(pipeline: Pipeline) -> None:
    ctx = Context(question="My name is Amina Hussain and my NI number is AB 12 34 56 C.")
    pipeline.run(ctx)
    assert ctx.original_text is not None and ctx.original_text.startswith("My name is Amina Hussain")
    assert ctx.personal_data is PersonalData.FOUND
    assert "Amina" not in ctx.text and "AB 12 34 56 C" not in ctx.text
    assert "[PERSON_1]" in ctx.text and "[NINO_1]" in ctx.text
    assert ctx.pii_found == {"PERSON": 1, "NINO": 1}
    assert ctx.answer == "Thanks Amina Hussain AB 12 34 56 C and [PASSPORT_UK_9]."
    assert "personal_data" in ctx.flags and "invented_placeholder" in ctx.flags
    record = next(r for r in ctx.records if r.step == "pseudonymise")
    assert record.detail["found"] == {"PERSON": 1, "NINO": 1}
    assert "Amina" not in str([r.detail for r in ctx.records])


def test_placeholders_are_stable_across_turns_of_a_conversation(pipeline: Pipeline) -> None:
    first = Context(question="I am Jo Bloggs, NI number AB 12 34 56 C.")
    pipeline.run(first)
    second = Context(question="Sorry, it is ab123456c and my partner is Sam Patel.",
                     conversation_id=first.conversation_id)
    pipeline.run(second)
    assert "[NINO_1]" in second.text and "[PERSON_2]" in second.text
    other = Context(question="My partner is Sam Patel.")
    pipeline.run(other)
    assert "[PERSON_1]" in other.text


def test_text_without_personal_data_passes_untouched(pipeline: Pipeline) -> None:
    ctx = Context(question="How do I apply for a Blue Badge?")
    pipeline.run(ctx)
    assert ctx.text == "How do I apply for a Blue Badge?"
    assert ctx.pii_found == {} and "personal_data" not in ctx.flags
    assert ctx.personal_data is PersonalData.NONE


def test_default_profile_runs_pseudonymise_after_normalise_and_reidentify_after_compose() -> None:
    from govai.profiles import load_profile

    names = [s.name for s in load_profile().steps]
    assert names.index("normalise") < names.index("pseudonymise") < names.index("compose") < names.index("reidentify")
