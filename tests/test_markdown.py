"""Markdown / GOV.UK govspeak cleaning, table flattening, heading trails and anchors.

All sample text is invented for these tests."""

from __future__ import annotations

import pytest

from govai.ingest.markdown import clean_markdown, flatten_tables, sections_from_markdown, slugify


# ---------------------------------------------------------------- inline markup


def test_links_keep_their_text_and_lose_their_url() -> None:
    text = clean_markdown('Read [the pond guide](https://www.gov.uk/pond-guide "Pond guide") before you dig.')
    assert text == "Read the pond guide before you dig."


def test_link_with_brackets_in_url_and_image_alt_text() -> None:
    text = clean_markdown("See [form PS1](https://example.org/forms/ps1_(2024).pdf) and ![a map](map.png).")
    assert text == "See form PS1 and a map."


def test_govspeak_callouts_keep_their_text() -> None:
    text = clean_markdown("^You must tell the council within 7 days.^\n\n%Do not send original documents.%")
    assert text == "You must tell the council within 7 days.\n\nDo not send original documents."


def test_govspeak_block_markers_are_dropped() -> None:
    text = clean_markdown("$CTA\nApply online now.\n$CTA\n\n$C\nPond Helpline\n$C")
    assert "$" not in text
    assert "Apply online now." in text
    assert "Pond Helpline" in text


@pytest.mark.parametrize(
    "line",
    ["The grant covers 3% of the cost.", "Interest is 7.5% a year.", "Between 10% and 20% of ponds."],
)
def test_percentages_are_kept(line: str) -> None:
    """A line containing '%' must not be mistaken for a %warning% callout."""
    assert clean_markdown(line) == line


def test_emphasis_abbreviations_attributes_and_bullets() -> None:
    text = clean_markdown(
        "You **must** register __every__ hive.{:.important}\n\n"
        "*[BRS]: Beehive Registration Scheme\n\n"
        "  * first item\n  + second item\n"
    )
    assert text == "You must register every hive.\n\n- first item\n- second item"


def test_blank_line_runs_collapse() -> None:
    assert clean_markdown("One.\n\n\n\n\nTwo.") == "One.\n\nTwo."


# ---------------------------------------------------------------- tables


def test_bordered_table_rows_become_sentences_naming_columns() -> None:
    table = "| Band | Rate |\n|---|---|\n| Starter | 5% |\n| Main | 12% |\n"
    assert flatten_tables(table).splitlines()[:2] == ["Band Starter: Rate 5%.", "Band Main: Rate 12%."]


def test_borderless_govuk_table_with_empty_first_header_cell() -> None:
    """GOV.UK's export: the header row starts with '|' (an empty corner cell), rows do not."""
    table = (
        "| Over 21 | 18 to 20 | Apprentice |  \n"
        "---|---|---|---  \n"
        "April 2031 | £14.10 | £11.20  | £8.05  |  \n"
        "April 2032 | £14.90  | £11.85 | £8.60 |  \n"
    )
    lines = clean_markdown(table).splitlines()
    assert lines == [
        "April 2031: Over 21 £14.10, 18 to 20 £11.20, Apprentice £8.05.",
        "April 2032: Over 21 £14.90, 18 to 20 £11.85, Apprentice £8.60.",
    ]


def test_borderless_table_with_named_first_column() -> None:
    table = "Reason | How long you can stay away  \n---|---  \nIllness | Up to 10 weeks  \nStudy | Up to 6 weeks  \n"
    assert clean_markdown(table).splitlines() == [
        "Reason Illness: How long you can stay away Up to 10 weeks.",
        "Reason Study: How long you can stay away Up to 6 weeks.",
    ]


def test_borderless_table_with_only_a_corner_cell() -> None:
    table = "| How often it is paid  \n---|---  \nPond Grant | Every 4 weeks  \nHive Support | Weekly  \n"
    assert clean_markdown(table).splitlines() == [
        "Pond Grant: How often it is paid Every 4 weeks.",
        "Hive Support: How often it is paid Weekly.",
    ]


def test_empty_cells_are_left_out_and_text_around_a_table_survives() -> None:
    text = "Rates:\n\n| Item | Fee |\n|---|---|\n| Licence | £30 |\n| Renewal |  |\n\nPay online."
    assert clean_markdown(text) == "Rates:\n\nItem Licence: Fee £30.\nItem Renewal.\n\nPay online."


def test_a_pipe_in_prose_is_not_a_table() -> None:
    text = "Choose yes | no on the form.\nThen sign it."
    assert flatten_tables(text) == text


# ---------------------------------------------------------------- headings and anchors


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("What you’ll get", "what-youll-get"),
        ("What you'll get", "what-youll-get"),
        ("Eligibility: who can apply?", "eligibility-who-can-apply"),
        ("  Fees & charges (2031)  ", "fees-charges-2031"),
    ],
)
def test_slugify_matches_govuk_heading_ids(heading: str, slug: str) -> None:
    assert slugify(heading) == slug


def test_sections_keep_heading_trail_and_anchor() -> None:
    markdown = (
        "# Pond safety grant\n\n"
        "Intro about the grant.\n\n"
        "## What you’ll get\n\nUp to £250 towards a fence.\n\n"
        "### Extra help\n\nA further £50 for a gate.\n\n"
        "## How to apply\n\nApply through your council.\n"
    )
    sections = sections_from_markdown(markdown, title="Pond safety grant")
    assert [(s.headings, s.anchor, s.text) for s in sections] == [
        ([], None, "Intro about the grant."),
        (["What you’ll get"], "what-youll-get", "Up to £250 towards a fence."),
        (["What you’ll get", "Extra help"], "extra-help", "A further £50 for a gate."),
        (["How to apply"], "how-to-apply", "Apply through your council."),
    ]


def test_heading_equal_to_title_is_not_repeated_but_other_h1_is() -> None:
    sections = sections_from_markdown("# Beehives\n\nText one.\n\n# Wasps\n\nText two.", title="Beehives")
    assert [s.headings for s in sections] == [[], ["Wasps"]]


def test_heading_markup_is_cleaned() -> None:
    sections = sections_from_markdown("## [Report a hive](https://x.example) ##\n\nBody text here.")
    assert sections[0].headings == ["Report a hive"]
    assert sections[0].anchor == "report-a-hive"


def test_hash_lines_in_code_blocks_are_not_headings() -> None:
    sections = sections_from_markdown("## Setup\n\n```\n# not a heading\n```\n\nAfter the code.")
    assert len(sections) == 1
    assert sections[0].headings == ["Setup"]
    assert "# not a heading" in sections[0].text


def test_headings_with_no_text_below_make_no_empty_sections() -> None:
    sections = sections_from_markdown("## Empty\n\n## Full\n\nSomething to say.")
    assert [s.headings for s in sections] == [["Full"]]
