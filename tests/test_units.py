"""Quotable units: how a passage is split into sentences and lists.

Ingest embeds these units and the composer quotes them, so the split must keep a
list with its lead-in, including legislation's nested (1) > (a) > (i) lists."""

from __future__ import annotations

from govai.text.units import split_units


def test_sentences_are_split() -> None:
    assert split_units("Register each hive within 28 days. Registration is free.") == [
        "Register each hive within 28 days.", "Registration is free."]


def test_a_bullet_list_is_joined_to_its_lead_in() -> None:
    text = ("You can apply if you:\n- own your home\n- have a pond deeper than 60 centimetres\n"
            "Apply online to your council.")
    assert split_units(text) == [
        "You can apply if you: own your home; have a pond deeper than 60 centimetres.", "Apply online to your council."]


def test_a_numbered_subsection_keeps_its_lettered_list() -> None:
    text = ("(3) A pond is “deep” if it is deeper than 60 centimetres.\n"
            "(4) “Relevant fence” means—\n(a) a wooden fence,\n(b) a metal railing,\n(c) a hedge, or\n"
            "(d) a wall with no gaps.\n(5) The fence must be kept in good repair.")
    assert split_units(text) == [
        "A pond is “deep” if it is deeper than 60 centimetres.",
        "“Relevant fence” means: a wooden fence; a metal railing; a hedge; a wall with no gaps.",
        "The fence must be kept in good repair.",
    ]


def test_a_lettered_item_keeps_its_roman_sub_items_and_stops_at_its_sibling() -> None:
    text = ("(a) the occupier must either—\n(i) fence the pond, or\n(ii) cover it,\n"
            "(b) the council may inspect the pond.")
    assert split_units(text) == [
        "the occupier must either: fence the pond; cover it.",
        "the council may inspect the pond.",
    ]


def test_a_very_long_list_is_quoted_item_by_item() -> None:
    items = "\n".join(f"- condition number {i} about the height, strength and upkeep of every pond fence"
                      for i in range(8))
    units = split_units(f"The fence must meet these conditions:\n{items}")
    assert len(units) == 8
    assert units[0] == ("The fence must meet these conditions: "
                        "condition number 0 about the height, strength and upkeep of every pond fence.")
