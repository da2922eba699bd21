"""The offline extractive composer and the core answer pipeline
(normalise -> retrieve -> check_evidence -> compose -> check_citations) through Runtime.ask.

Guidance text is invented for these tests; the real MiniLM embedder scores it."""

from __future__ import annotations

import json
import re

import pytest

from govai.errors import ConfigError
from govai.evals.qa import normalise_id
from govai.ingest.pipeline import Ingester
from govai.pipeline.answer import answer_record
from govai.domain import Citation, Outcome, Source
from govai.pipeline.context import Context
from govai.pipeline.steps.check_citations import CheckCitations
from govai.pipeline.replies import DEFAULT_REPLIES
from govai.profiles.model import ServiceProfile
from govai.providers.base import Draft
from govai.providers.extractive import MAX_WORDS, ExtractiveComposer, continuation, score_units
from govai.retrieval.evidence import Sentence, evidence_for
from govai.runtime import Runtime

from conftest import WAIVED
from govai.text.answer_types import expected_answer
from govai.text.parts import question_parts

KB = "test-extractive"
MARKED = re.compile(r"(.+?) \[(\d+)\](?: |$)")


def source(n: int, source_id: str, title: str, text: str) -> Source:
    # Negative chunk ids: no stored sentence vectors, so the composer embeds the sentences itself.
    return Source(source_id=source_id, doc_id=source_id.split("#")[0], chunk_id=-n, title=title,
                  url="https://www.gov.uk" + source_id, text=text)


GRANT = "Garden pond safety grant"
PASSAGES = [
    source(1, "/pond-grant#what-you-get", GRANT,
           "The grant pays up to £250 towards a fence or a rigid pond cover. You do not have to pay it back. "
           "Most applicants get between 40% and 60% of the cost of the fence."),
    source(2, "/pond-grant#contact", GRANT,
           "Contact the pond safety helpline if you have a question about the grant.\n"
           "Pond Safety Helpline\nTelephone: 0300 555 0199\nMonday to Friday, 9am to 5pm"),
    source(3, "/pond-grant#who-can-apply", GRANT,
           "You can apply for the grant if you:\n- own your home\n- have a pond deeper than 60 centimetres\n"
           "- have a child under 5 living with you or visiting often"),
    source(4, "/register-beehives", "Register your beehives",
           "Register each new colony of honey bees within 28 days of getting it. Registration is free."),
]


NOT_FOUND = DEFAULT_REPLIES["not_found"]
EMPTY = DEFAULT_REPLIES["empty"]


class Composer:
    """The extractive composer as the pipeline drives it: the evidence is read first (here with
    the real MiniLM embedder and no stored sentence vectors), then handed to it."""

    def __init__(self, embedder) -> None:  # type: ignore[no-untyped-def]
        self.inner = ExtractiveComposer()
        self.embed = embedder.embed

    def compose(self, question: str, sources: list[Source]) -> Draft:
        evidence = evidence_for(self.embed, question, sources) if sources else None
        return self.inner.compose(question, sources, evidence)

    def score_units(self, question: str, sources: list[Source]) -> list[tuple[str, float]]:
        evidence = evidence_for(self.embed, question, sources)
        keep = evidence.within(self.inner.passages)
        units = [evidence.sentences[i] for i in keep]
        return list(zip([u.text for u in units], score_units(evidence, keep, self.inner.model)))


@pytest.fixture(scope="module")
def composer(embedder) -> Composer:  # type: ignore[no-untyped-def]
    return Composer(embedder)


def test_composer_refuses_to_quote_without_the_evidence_for_its_passages() -> None:
    with pytest.raises(ConfigError, match="evidence"):
        ExtractiveComposer().compose("How much is the pond grant?", PASSAGES)


def segments(answer: str) -> list[tuple[str, int]]:
    """The answer as (sentence, citation number) pairs; the whole answer must be made of them."""
    pairs = [(m.group(1), int(m.group(2))) for m in MARKED.finditer(answer)]
    assert " ".join(f"{s} [{n}]" for s, n in pairs) == answer, "text outside a cited sentence"
    return pairs


# ---------------------------------------------------------------- composer


def test_answer_is_quoted_verbatim_with_a_citation_on_every_sentence(composer: Composer) -> None:
    prose = [PASSAGES[0], PASSAGES[3]]
    draft = composer.compose("How long do I have to register a new bee colony?", prose)
    assert draft.answer is not None
    assert draft.cited and set(draft.cited) <= {p.source_id for p in prose}
    by_id = {p.source_id: p for p in prose}
    for sentence, number in segments(draft.answer):
        assert 1 <= number <= len(draft.cited)
        assert sentence in by_id[draft.cited[number - 1]].text  # copied, never rewritten
    assert "28 days" in draft.answer
    assert draft.cited[0] == "/register-beehives"


def test_cited_ids_are_numbered_in_order_of_first_use(composer: Composer) -> None:
    draft = composer.compose("What does the pond grant pay for and can I apply?", PASSAGES)
    numbers = [n for _, n in segments(draft.answer)]
    first_use = list(dict.fromkeys(numbers))
    assert first_use == list(range(1, len(draft.cited) + 1))


def test_answers_stay_within_120_words(composer: Composer) -> None:
    long_sentences = " ".join(
        f"Rule {i} says that a fence around a garden pond must be strong, rigid, at least 1.1 metres high, "
        f"without footholds, without gaps a small child could squeeze through, and checked every {i + 2} months "
        f"by the owner of the pond so that it stays safe for children who live nearby."
        for i in range(6)
    )
    draft = composer.compose("What rules must a fence around a garden pond meet?",
                             [source(9, "/pond-fences", "Pond fences", long_sentences)])
    assert draft.answer is not None
    assert len(draft.answer.split()) <= MAX_WORDS


def test_one_enormous_sentence_is_cut_to_the_limit(composer: Composer) -> None:
    sentence = "A pond fence must " + " and ".join(f"meet safety condition number {i}" for i in range(60)) + "."
    draft = composer.compose("What conditions must a pond fence meet?", [source(8, "/fence", "Pond fences", sentence)])
    assert draft.answer is not None
    assert len(draft.answer.split()) <= MAX_WORDS
    assert draft.answer.endswith("[1]") and "…" in draft.answer


def test_an_unknown_option_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown extractive option.*min_score"):
        ExtractiveComposer("extractive", {"min_score": 0.45, "max_sentences": 3})
    assert ExtractiveComposer("extractive", {"max_sentences": 3, "margin": 0.1}).max_sentences == 3


def test_declines_with_no_passages(composer: Composer) -> None:
    assert composer.compose("How much is the pond grant?", []).answer is None


def test_a_list_lead_in_is_joined_with_its_items(composer: Composer) -> None:
    draft = composer.compose("Who can apply for the pond safety grant?", PASSAGES)
    assert (
        "You can apply for the grant if you: own your home; have a pond deeper than 60 centimetres; "
        "have a child under 5 living with you or visiting often."
    ) in draft.answer
    assert "/pond-grant#who-can-apply" in draft.cited


@pytest.mark.parametrize(
    ("question", "matches", "misses"),
    [
        ("Who do I ring about the grant?", "Telephone: 0300 555 0199", "Contact the helpline."),
        ("What percentage of the cost is covered?", "between 40% and 60%", "up to £250"),
        ("How much does it cost?", "up to £250", "between 40% and 60%"),
        ("How long do I have to register?", "within 28 days", "Registration is free."),
        ("What age do you have to be?", "aged 13 or over", "Anyone can fish."),
        ("What's the email for complaints?", "complaints@pond-agency.gov.uk", "Email the complaints team."),
        ("Which rates apply to us?", "You get £45 for any further ponds.", "Rates are set every year."),
    ],
)
def test_questions_ask_for_a_kind_of_answer(question: str, matches: str, misses: str) -> None:
    wanted = expected_answer(question)
    assert wanted is not None
    assert wanted.search(matches) and not wanted.search(misses)


def test_no_answer_type_for_an_open_question() -> None:
    assert expected_answer("Tell me about pond safety") is None


def test_who_do_i_ring_prefers_the_line_with_the_phone_number(composer: Composer) -> None:
    ring = composer.compose("Who do I ring about the pond grant?", PASSAGES)
    assert "0300 555 0199" in ring.answer
    assert "/pond-grant#contact" in ring.cited
    # Asked for an amount, the same guidance answers with the amount and leaves the number out.
    amount = composer.compose("How much does the pond grant pay?", PASSAGES)
    assert "£250" in amount.answer.split("[1]")[0]
    assert "0300 555 0199" not in amount.answer


def test_percentage_question_ranks_the_percentage_first(composer: Composer) -> None:
    question = "What percentage of the fence cost does the pond grant cover?"
    best = max(composer.score_units(question, PASSAGES), key=lambda u: u[1])
    assert "40% and 60%" in best[0]
    # The answer reads in the order of the guidance, and includes it.
    assert "between 40% and 60% of the cost of the fence. [1]" in composer.compose(question, PASSAGES).answer


def test_a_sentence_that_refers_back_comes_with_the_one_it_completes(composer: Composer) -> None:
    passage = source(11, "/pay-pond-licence#reference", "Pay for a pond licence",
                     "Ponds over 10 square metres need a licence from the council. "
                     "You'll need to use your 9-character pond reference when you pay. "
                     "This is your 6-digit garden number followed by the letters 'PD'. "
                     "Licences are renewed every spring.")
    draft = composer.compose("What reference do I use when I pay for my pond licence?", [passage])
    assert "use your 9-character pond reference" in draft.answer
    assert "This is your 6-digit garden number followed by the letters 'PD'." in draft.answer


def test_a_parallel_case_of_the_wanted_kind_comes_along() -> None:
    units = [Sentence("You get £120 for the first pond in the garden.", 0, 0),
             Sentence("You get £45 for any further ponds.", 0, 1)]
    assert continuation(units, units[0], expected_answer("Which grant rates apply to us?")) is units[1]
    # Not for an open question, and not when the next sentence opens differently.
    assert continuation(units, units[0], None) is None
    units[1] = Sentence("Most people get £45 for any further ponds.", 0, 1)
    assert continuation(units, units[0], expected_answer("Which grant rates apply to us?")) is None


def test_an_unrelated_next_sentence_is_not_a_continuation() -> None:
    units = [Sentence("You get £120 for the first pond.", 0, 0), Sentence("Registration is free.", 0, 1)]
    assert continuation(units, units[0], expected_answer("How much do I get?")) is None
    units[0] = Sentence("Send the form by post to:", 0, 0)  # a lead-in always brings what it introduces
    assert continuation(units, units[0], None) is units[1]
    units[0] = Sentence("You get £120 for the first pond.", 0, 0)
    units[1] = Sentence("This is paid each spring.", 0, 1)
    assert continuation(units, units[0], None) is units[1]
    assert continuation(units, units[1], None) is None  # nothing follows the last sentence


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Can I get a Budgeting Loan, and how much could I borrow?",
         ["Can I get a Budgeting Loan", "how much could I borrow"]),
        ("My sister died. How do I claim Guardian's Allowance and can it be backdated?",
         ["How do I claim Guardian's Allowance", "can it be backdated"]),
        ("From what weekly wage do I start paying, and at what rate?",
         ["From what weekly wage do I start paying", "at what rate"]),
        ("How do I claim? What documents do I need?", ["How do I claim", "What documents do I need"]),
        ("Do I need salt and pepper?", ["Do I need salt and pepper?"]),  # "and" joins nouns, not asks
        ("I'm 17 and at college. Where do I get my learner number?",
         ["I'm 17 and at college. Where do I get my learner number?"]),  # the story is not an ask
    ],
)
def test_a_question_is_split_into_its_asks(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


@pytest.mark.parametrize(
    ("question", "situation", "ask"),
    [
        ("We split up last month and I now look after our two children on my own, working 20 hours a week "
         "— what help can I get with rent?",
         "We split up last month and I now look after our two children on my own, working 20 hours a week",
         "what help can I get with rent?"),
        ("I'm 17 and at college. Where do I get my learner number?", "I'm 17 and at college.",
         "Where do I get my learner number?"),
        ("how much is paternity pay a week these days? i earn about 250 quid a week",
         "i earn about 250 quid a week", "how much is paternity pay a week these days?"),
        ("im 19 and work in a cafe, whats the least they can pay me", "im 19 and work in a cafe",
         "whats the least they can pay me"),
        ("How long do I have to repay a Budgeting Loan?", "", "How long do I have to repay a Budgeting Loan?"),
        # A phrase that sets the subject is not a story: the ask keeps it.
        ("Under the infected blood scheme, how much does a living person receive?", "",
         "Under the infected blood scheme, how much does a living person receive?"),
    ],
)
def test_the_ask_is_separated_from_the_story(question: str, situation: str, ask: str) -> None:
    from govai.text.parts import split_ask

    split = split_ask(question)
    assert (split.situation, split.ask) == (situation, ask)
    assert split.has_situation == bool(situation)


def test_the_evidence_measures_the_ask_without_the_story(embedder) -> None:  # type: ignore[no-untyped-def]
    question = "I've got a big garden and two dogs. How much does the pond grant pay?"
    evidence = evidence_for(embedder.embed, question, PASSAGES)
    assert evidence.asks == ["How much does the pond grant pay?"]
    assert len(evidence.ask_similarity) == 1 and len(evidence.ask_similarity[0]) == len(evidence.sentences)
    # A question with no story is measured once, as before.
    assert evidence_for(embedder.embed, "How much does the pond grant pay?", PASSAGES).asks == []


def test_superseded_sentences_are_marked() -> None:
    from govai.retrieval.selection import _SUPERSEDED

    assert _SUPERSEDED.search("If the baby is due before or on 6 April 2024")
    assert _SUPERSEDED.search("over £50,000 for tax years up to and including the tax year 2023 to 2024")
    assert not _SUPERSEDED.search("You must give 28 days' notice before the leave starts.")


POND_RULES = source(13, "/pond-grant#rules", GRANT, " ".join([
    "You can apply for the pond grant if you own your home.",
    "You can apply for the pond grant if your pond is deeper than 60 centimetres.",
    "You can apply for the pond grant if a child under 5 lives with you.",
    "You can apply for the pond grant once for each pond.",
    "You can apply for the pond grant online or by post.",
    "You can apply for the pond grant if you rent, with your landlord's permission.",
    "You can apply for the pond grant again after 5 years.",
    "The scheme is run by the Pond Safety Trust, a registered charity.",
]))


def test_each_ask_gets_its_best_sentence(composer: Composer, monkeypatch) -> None:
    question = "Can I apply for the pond grant, and which organisation runs it?"
    assert "Pond Safety Trust" in composer.compose(question, [POND_RULES]).answer
    # Without splitting the asks, the second is crowded out by sentences about applying.
    monkeypatch.setattr(composer.inner, "part_leads", lambda *args: [])
    assert "Pond Safety Trust" not in composer.compose(question, [POND_RULES]).answer


def test_a_sentence_borrows_similarity_from_a_closer_one_before_it(embedder) -> None:  # type: ignore[no-untyped-def]
    from govai.retrieval.selection import FEATURES, unit_features

    passage = source(14, "/pond-check", "Pond safety checks", " ".join([
        "Every pond owner gets a form called 'Pond safety check' in the post.",
        "Send back the fence repair form within 14 days of a repair.",
        "Fences must be checked every 3 months by the owner.",
    ]))
    question = "How long have I got to send back the pond safety check form?"
    evidence = evidence_for(embedder.embed, question, [passage])
    x = unit_features(evidence, evidence.within(5))
    own, context = x[:, FEATURES.index("sim_question")], x[:, FEATURES.index("sim_context")]
    assert context[0] == own[0]  # nothing before it
    assert context[2] > own[2]  # follows a sentence closer to the question
    assert (context >= own).all()


# ---------------------------------------------------------------- the core pipeline


PAGES = [
    {"base_path": "/garden-pond-safety-grant", "title": GRANT,
     "body_markdown": "## What you get\n\nThe grant pays up to £250 towards a fence or a rigid pond cover.\n\n"
                      "## Who can apply\n\nYou can apply if your garden pond is deeper than 60 centimetres."},
    {"base_path": "/register-beehives", "title": "Register your beehives",
     "body_markdown": "## When to register\n\nRegister each new colony of honey bees within 28 days of getting it."},
    {"base_path": "/passport-photo-rules", "title": "Passport photo rules",
     "body_markdown": "## Size\n\nThe photo must be 45 millimetres high by 35 millimetres wide."},
]


@pytest.fixture(scope="module")
def runtime(db, tmp_path_factory) -> Runtime:
    path = tmp_path_factory.mktemp("extractive") / "pages.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAGES), encoding="utf-8")
    profile = ServiceProfile.model_validate(
        {"name": "core-test", "kb": KB, "steps": [{"name": n} for n in
                                                  ("normalise", "retrieve", "check_evidence", "compose",
                                                   "check_citations", "review")],
         "waived_safeguards": WAIVED}
    )
    runtime = Runtime(profile)
    if runtime.knowledge.get(KB):
        runtime.knowledge.delete(KB)
    report = Ingester(runtime.knowledge, runtime.embedder, KB).run([path])
    assert report.added == len(PAGES)
    return runtime


def test_runtime_answers_with_valid_citations(runtime: Runtime) -> None:
    ctx = runtime.ask("How many days do I have to register a new colony of honey bees?")
    record = answer_record(ctx)
    assert record["abstained"] is False and record["outcome"] == "answered"
    assert "28 days" in record["answer"]
    assert record["citations"] == ["/register-beehives#when-to-register"]
    assert record["retrieved"][0] == "/register-beehives"
    assert len(record["retrieved"]) == len(set(record["retrieved"])) <= 10
    assert all(normalise_id(c) in {normalise_id(r) for r in record["retrieved"]} for c in record["citations"])
    assert record["latency_ms"] > 0
    assert record["sources"][0]["url"] == "https://www.gov.uk/register-beehives#when-to-register"
    assert [r.step for r in ctx.records] == ["normalise", "retrieve", "check_evidence", "compose", "check_citations",
                                             "review"]
    assert ctx.routing is not None and ctx.routing.provider == "extractive"  # compose asked the policy itself
    for _, number in segments(record["answer"]):
        assert 1 <= number <= len(record["citations"])


def test_runtime_abstains_with_signposting(runtime: Runtime) -> None:
    record = answer_record(runtime.ask("What time does the last train to Edinburgh leave tonight?"))
    assert record["abstained"] is True and record["outcome"] == "abstained"
    assert record["answer"] == NOT_FOUND
    assert record["citations"] == [] and record["sources"] == []
    assert record["retrieved"]  # retrieval ran; the evidence was too weak to answer


@pytest.mark.parametrize("question", ["", "   ", "\u200b\u200b", "\n\t"])
def test_empty_question_gets_a_canned_refusal(runtime: Runtime, question: str) -> None:
    record = answer_record(runtime.ask(question))
    assert record["abstained"] is True and record["outcome"] == "refused"
    assert record["answer"] == EMPTY
    assert record["retrieved"] == [] and record["citations"] == []


def test_over_long_question_gets_a_canned_refusal(runtime: Runtime) -> None:
    record = answer_record(runtime.ask("pond " * 500))
    assert record["outcome"] == "refused"
    assert record["answer"].startswith("Your message is too long") and "2000 characters" in record["answer"]
    assert record["retrieved"] == []


def test_question_at_the_limit_is_answered(runtime: Runtime) -> None:
    question = "How much does the pond grant pay towards a fence?"
    padded = question + " " + "." * (2000 - len(question) - 1)
    assert len(padded) == 2000
    assert answer_record(runtime.ask(padded))["outcome"] != "refused"


def test_check_citations_drops_a_citation_that_was_not_retrieved() -> None:
    ctx = Context(question="q", answer="An answer [1] [2]", sources=[PASSAGES[0]])
    ctx.citations = [
        Citation(source_id="/pond-grant#what-you-get", url="u", title="t"),
        Citation(source_id="/invented-page", url="u", title="t"),
    ]
    CheckCitations()(ctx)
    assert [c.source_id for c in ctx.citations] == ["/pond-grant#what-you-get"]
    assert "citation_dropped" in ctx.flags
    assert ctx.records[-1].detail == {"dropped": ["/invented-page"]}


def test_check_citations_accepts_the_page_id_without_anchor() -> None:
    ctx = Context(question="q", answer="An answer [1]", sources=[PASSAGES[0]])
    ctx.citations = [Citation(source_id="/pond-grant", url="u", title="t")]
    CheckCitations()(ctx)
    assert [c.source_id for c in ctx.citations] == ["/pond-grant"] and ctx.flags == []


def test_an_answer_from_a_knowledge_base_whose_ingest_did_not_finish_says_so(runtime: Runtime, db) -> None:
    db.conn.execute("UPDATE kb SET complete = false WHERE name = %s", (KB,))
    try:
        ctx = runtime.ask("How many days do I have to register a new colony of honey bees?")
    finally:
        db.conn.execute("UPDATE kb SET complete = true WHERE name = %s", (KB,))
    assert ctx.outcome is Outcome.ANSWERED and "incomplete_kb" in ctx.flags
    assert "28 days" in ctx.answer and ctx.answer.endswith(DEFAULT_REPLIES["incomplete_kb"])
    assert "incomplete_kb" not in runtime.ask("How many days do I have to register a new colony of honey bees?").flags
