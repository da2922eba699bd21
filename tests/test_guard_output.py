"""Output guard: support, personal data, persuasion, illegal advice, forbidden terms."""

from __future__ import annotations

from govai.guards.output import check_answer
from govai.domain import Citation, Outcome, Source
from govai.pipeline.context import Context

from conftest import build_step

SOURCES = [
    Source(source_id="/child-benefit", doc_id="/child-benefit", chunk_id=0, title="Child Benefit",
           url="https://www.gov.uk/child-benefit",
           text="Child Benefit is usually paid every 4 weeks on a Monday or Tuesday.\n\n"
                "You get £25.60 a week for the eldest or only child.\n\nCall 0300 200 3100 for help."),
    Source(source_id="/council-tax", doc_id="/council-tax", chunk_id=0, title="Council Tax",
           url="https://www.gov.uk/council-tax",
           text="You'll get 25% off your bill if you count as an adult and live on your own."),
]
CITES = [Citation(source_id=s.source_id, url=s.url, title=s.title) for s in SOURCES]


def failed(answer: str, **kw: object) -> list[str]:
    return [c.name for c in check_answer(answer, SOURCES, CITES, **kw).failures]  # type: ignore[arg-type]


def test_extractive_answer_passes() -> None:
    answer = ("Child Benefit is usually paid every 4 weeks on a Monday or Tuesday. [1] "
              "You'll get 25% off your bill if you count as an adult and live on your own. [2]")
    assert failed(answer) == []


def test_sentence_citing_the_wrong_source_fails() -> None:
    answer = "You'll get 25% off your bill if you count as an adult and live on your own. [1]"
    assert failed(answer) == ["support"]


def test_invented_figure_fails_even_with_the_right_words() -> None:
    assert failed("You get £31.20 a week for the eldest or only child. [1]") == ["support"]


def test_unsupported_claim_fails() -> None:
    assert failed("Child Benefit stops automatically when your child turns 12 and moves abroad. [1]") == ["support"]


def test_boilerplate_can_be_allowed() -> None:
    answer = "Child Benefit is usually paid every 4 weeks on a Monday or Tuesday. [1] AI can make mistakes."
    assert failed(answer) == ["support"]
    assert failed(answer, allowed_unsupported=[r"^AI can make mistakes"]) == []


def test_personal_data_not_given_by_the_user_fails() -> None:
    answer = "Child Benefit is usually paid every 4 weeks on a Monday or Tuesday. [1] Email jo.bloggs@example.com."
    assert "personal_data" in failed(answer, checks=["personal_data"])


def test_the_users_own_data_and_public_helplines_pass() -> None:
    answer = "Call 0300 200 3100 for help. [1] Quote AB123456C when you call."
    assert failed(answer, question="My NI number is AB123456C", checks=["personal_data"]) == []


def test_the_guidances_own_contact_block_passes_when_its_lines_are_joined() -> None:
    # The composer quotes a contact block as one unit, its lines joined with "; ".
    office = Source(source_id="/complain", doc_id="/complain", chunk_id=0, title="Complain",
                    url="https://www.gov.uk/complain",
                    text="Complaints team\ncomplaints@pond-agency.gov.uk\n"
                         "Riverside House\n12 Mill Lane\nLeeds\nLS1 4AB")
    quoted = ("Complaints team; complaints@pond-agency.gov.uk; Riverside House; 12 Mill Lane; Leeds; LS1 4AB [1]")
    cites = [Citation(source_id=office.source_id, url=office.url, title=office.title)]
    assert check_answer(quoted, [office], cites, checks=["personal_data"]).failures == []
    # The same kind of block that the guidance does not contain still fails.
    invented = "Write to 14 Mill Lane; Leeds; LS1 4AC [1]"
    assert [c.name for c in check_answer(invented, [office], cites, checks=["personal_data"]).failures] == [
        "personal_data"]


def test_political_persuasion_fails() -> None:
    assert failed("Everyone should vote for the Greens at the next election.", checks=["political"]) == ["political"]


def test_illegal_advice_fails() -> None:
    answer = "You could simply not declare the cash work; HMRC rarely check."
    assert failed(answer, checks=["illegal_advice"]) == ["illegal_advice"]


def test_forbidden_terms_fail() -> None:
    assert failed("Child Benefit is paid every 4 weeks. [1]", checks=["forbidden_terms"],
                  forbidden_terms=["paid"]) == ["forbidden_terms"]


def test_step_replaces_a_failing_answer_with_the_canned_reply() -> None:
    ctx = Context(question="How much Child Benefit?", sources=SOURCES, citations=CITES[:1],
                  answer="You get £99 a week for each child. [1]")
    build_step("check_output")(ctx)
    assert ctx.outcome == Outcome.BLOCKED
    assert "couldn't produce an answer" in (ctx.answer or "")
    record = ctx.records[-1].detail
    assert record["verdict"] == "block"
    assert any(c["check"] == "support" and not c["passed"] for c in record["checks"])
    assert any(c["check"] == "llm_support" and c.get("skipped") for c in record["checks"]) is False


def test_step_passes_a_good_answer_and_records_the_skipped_judge() -> None:
    ctx = Context(question="How often is Child Benefit paid?", sources=SOURCES, citations=CITES[:1],
                  answer="Child Benefit is usually paid every 4 weeks on a Monday or Tuesday. [1]")
    build_step("check_output")(ctx)
    assert ctx.outcome is None
    checks = {c["check"]: c for c in ctx.records[-1].detail["checks"]}
    assert checks["support"]["passed"]
    assert checks["llm_support"]["skipped"] is True
