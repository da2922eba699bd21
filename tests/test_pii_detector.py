"""The detector on hand-written UK texts: identifiers, context, names, addresses and bad input."""

from __future__ import annotations

import pytest

from govai.errors import ConfigError
from govai.pii import Detector, detect
from govai.pii.detector import WINDOW_CHARS


def found(text: str, **options: object) -> list[tuple[str, str]]:
    return [(e.label, text[e.start : e.end]) for e in detect(text, dict(options) or None)]


def labels(text: str) -> set[str]:
    return {label for label, _ in found(text)}


def test_identifiers_with_their_usual_context() -> None:
    text = ("NI number: JT 45 67 89 D. NHS no. 943 476 5919. UTR: 15469 30676. VAT number GB 446 3969 11. "
            "Sort code 40-47-84, account number 31926819. IBAN GB29 NWBK 6016 1331 9268 19.")
    assert found(text) == [
        ("NINO", "JT 45 67 89 D"), ("NHS_NUMBER", "943 476 5919"), ("UTR", "15469 30676"),
        ("VAT_GB", "GB 446 3969 11"), ("SORT_CODE", "40-47-84"), ("ACCOUNT_NUMBER", "31926819"),
        ("IBAN_GB", "GB29 NWBK 6016 1331 9268 19"),
    ]


def test_numbers_failing_their_check_are_not_flagged() -> None:
    text = "Our ref 4829103756. Purchase order 461672146. Example NI number DA123456A or TN 12 34 56 A."
    assert found(text) == []


def test_nearest_context_decides_between_nhs_and_utr() -> None:
    # 9434765919 passes the NHS check; 1546930676 passes the UTR check; each is labelled by its own cue.
    text = "NHS number: 9434765919\nTax reference: 1546930676"
    assert found(text) == [("NHS_NUMBER", "9434765919"), ("UTR", "1546930676")]


def test_forms_money_tax_codes_and_plain_dates_are_left_alone() -> None:
    text = ("Send the SA100 and keep your P60 and P45. Tax code 1257L or K475. You owe £1,234.56 by "
            "31 January 2026. Invoice dated 19-07-24. Claim number K4QZ6870.")
    assert found(text) == []


def test_date_of_birth_only_with_a_birth_cue() -> None:
    text = "Letter date: 5 Feb 2025. Date of birth: 18/09/1968. Moved in on 10 Nov 2025."
    assert found(text) == [("DATE_OF_BIRTH", "18/09/1968")]
    assert found("She was born on 12th March 1985 in Leeds.") == [("DATE_OF_BIRTH", "12th March 1985")]


def test_a_date_between_the_cue_and_another_date_takes_the_cue() -> None:
    text = "DOB 02/03/1990, started work 04/05/2015"
    assert found(text) == [("DATE_OF_BIRTH", "02/03/1990")]


def test_phone_formats() -> None:
    for number in ("07700 900123", "+44 7700 900123", "+447700900123", "(0113) 496 0123", "020 7946 0123",
                   "+44 (0)113 496 0123", "0044 7700 900123"):
        assert found(f"Call me on {number} today") == [("PHONE_UK", number)], number


def test_organisation_mailboxes_are_not_personal() -> None:
    text = "Write to counciltax@northmoor.gov.uk or to liam.baker@northmoor.gov.uk"
    assert found(text) == [("EMAIL", "liam.baker@northmoor.gov.uk")]


def test_sort_code_needs_its_cue_and_a_bare_account_needs_a_bank() -> None:
    assert found("Dated 19-07-24") == []
    assert found("Council tax account 07394216") == []
    assert found("Bank: sort code 08-41-75, account 82344362") == [
        ("SORT_CODE", "08-41-75"), ("ACCOUNT_NUMBER", "82344362")]


def test_bank_details_in_the_layouts_people_write() -> None:
    assert found("Barclays 20-32-06 / 63456789") == [("SORT_CODE", "20-32-06"), ("ACCOUNT_NUMBER", "63456789")]
    assert found("acc no 0012 3456, s/c 60-95-11") == [("ACCOUNT_NUMBER", "0012 3456"), ("SORT_CODE", "60-95-11")]
    assert found("User: 309634 01928374\n") == [("SORT_CODE", "309634"), ("ACCOUNT_NUMBER", "01928374")]


def test_ranks_and_collar_numbers_before_or_after_a_name() -> None:
    assert [f for f in found("PS Hargreaves 2291 and PC 4417 Adeyemi attended.") if f[0] == "PERSON"] == [
        ("PERSON", "Hargreaves"), ("PERSON", "Adeyemi")]


def test_places_and_shops_named_like_people_are_not_people() -> None:
    assert found("I went to Marks and Spencer, then to John Lewis.") == []
    assert found("His grandfather in Hong Kong is unwell.") == []
    assert ("PERSON", "Bolton") not in found("She lives on Cherry Tree Lane in Bolton.")


def test_streets_without_a_house_number_after_an_address_phrase() -> None:
    assert ("ADDRESS", "ashgrove avenue") in found("we moved to ashgrove avenue last year")
    assert ("ADDRESS", "Clarendon Street") in found("staying at an address on Clarendon Street.")
    assert found("I walked down the high street") == []


def test_lone_lower_case_first_names_in_chat() -> None:
    assert found("can u tell chinedu to call me") == [("PERSON", "chinedu")]


def test_numeric_ordinal_birth_dates() -> None:
    assert ("DATE_OF_BIRTH", "3rd of the 9th, 1951") in found("And his date of birth?\nCALLER: 3rd of the 9th, 1951.")


def test_passport_company_licence_and_vehicle() -> None:
    text = ("Passport number 227499509. Company number SC123456. Driving licence MORGA 753116 SM9IJ. "
            "My car AB12 CDE was clamped.")
    assert found(text) == [("PASSPORT_UK", "227499509"), ("COMPANY_NUMBER", "SC123456"),
                           ("DRIVING_LICENCE_UK", "MORGA 753116 SM9IJ"), ("VEHICLE_REG_UK", "AB12 CDE")]


def test_names_with_titles_labels_sign_offs_and_later_mentions() -> None:
    text = ("Patient: KOWALSKI, Dafydd\nNext of kin: Elena Hayes (sister).\nConcern raised by Dr Barker.\n"
            "Dafydd was seen today.\n\nBest wishes,\nTobias Fenwick")
    assert [f for f in found(text) if f[0] == "PERSON"] == [
        ("PERSON", "KOWALSKI, Dafydd"), ("PERSON", "Elena Hayes"), ("PERSON", "Barker"), ("PERSON", "Dafydd"),
        ("PERSON", "Tobias Fenwick")]


def test_lower_case_chat_names_after_an_introduction() -> None:
    assert ("PERSON", "sarah jones") in found("hi im sarah jones my nino is ab123456c")


def test_organisations_and_places_are_not_people() -> None:
    text = "Brightwater Catering Ltd, St Peter's Junior School and Leeds City Council wrote to Universal Credit."
    assert "PERSON" not in labels(text)


def test_one_line_and_multi_line_addresses_exclude_the_postcode() -> None:
    one_line = "I live at Flat 3, Carlton Court, 12 Elm Road, Headingley, Leeds LS6 2AB."
    assert found(one_line) == [("ADDRESS", "Flat 3, Carlton Court, 12 Elm Road, Headingley, Leeds"),
                               ("POSTCODE", "LS6 2AB")]
    letter = "Imran Rahman\nThe Old Forge\nBrunswick Crescent\nMiddlesbrough\nTS1 8SY\n\nDear Mr Rahman,"
    assert found(letter) == [("PERSON", "Imran Rahman"),
                             ("ADDRESS", "The Old Forge\nBrunswick Crescent\nMiddlesbrough"),
                             ("POSTCODE", "TS1 8SY"), ("PERSON", "Rahman")]


def test_a_town_alone_is_not_an_address() -> None:
    assert found("The hearing is at the County Court at Leeds LS1 3BG.") == [("POSTCODE", "LS1 3BG")]


def test_spans_point_into_the_original_text_after_normalisation() -> None:
    text = "NI: AB\u200b12\u200b34\u200b56\u200bC and ０７７００ ９００１２３"
    spans = [(e.label, text[e.start : e.end]) for e in detect(text)]
    assert spans == [("NINO", "AB\u200b12\u200b34\u200b56\u200bC"), ("PHONE_UK", "０７７００ ９００１２３")]


@pytest.mark.parametrize("junk", ["", "   \n\t", "\x00\x01\x02 binary \xff\xfe", "\ud800 broken", "日本語のテキスト 中文 العربية",
                                  "A" * 50_000, "0" * 30_000])
def test_bad_input_gives_a_result_not_a_crash(junk: str) -> None:
    assert isinstance(detect(junk), list)


def test_non_text_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="decode bytes first"):
        Detector().detect(b"bytes")  # type: ignore[arg-type]


def test_megabyte_text_is_windowed_and_offsets_stay_global() -> None:
    block = "Some filler text about council services and opening hours. " * 40
    needle = "Ring Sarah Jones on 07700 900461 about NI number JT 45 67 89 D.\n"
    text = (block + needle) * (1_000_000 // len(block + needle) + 1)
    assert len(text) > 1_000_000 > WINDOW_CHARS
    entities = detect(text)
    assert len({(e.start, e.end) for e in entities}) == len(entities)
    phones = [e for e in entities if e.label == "PHONE_UK"]
    assert len(phones) == text.count("07700 900461")
    assert all(text[e.start : e.end] == "07700 900461" for e in phones)
    assert sum(e.label == "NINO" for e in entities) == text.count("JT 45 67 89 D")


def test_stream_matches_detect_on_chunked_input() -> None:
    text = ("Filler words here. " * 700 + "Email jo.bloggs@example.co.uk now. ") * 6
    detector = Detector()
    chunks = [text[i : i + 777] for i in range(0, len(text), 777)]
    assert [(e.start, e.end, e.label) for e in detector.stream(chunks)] == [
        (e.start, e.end, e.label) for e in detector.detect(text)]


def test_profile_options_disable_and_add_recognisers() -> None:
    text = "Staff ID EMP-123456, NI number JT 45 67 89 D"
    custom = [{"name": "staff_id", "label": "STAFF_ID", "pattern": r"EMP-\d{6}", "score": 0.9}]
    assert found(text, disable=["nino"], custom=custom) == [("STAFF_ID", "EMP-123456")]


def test_unknown_recogniser_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown PII recogniser 'nhs'"):
        Detector.from_options({"disable": ["nhs"]})
    with pytest.raises(ConfigError, match="unknown PII detector option"):
        Detector.from_options({"enable": ["nino"]})


@pytest.mark.slow
def test_unknown_names_without_cues_are_settled_by_the_ner_model() -> None:
    # The rules alone (no learned second opinion, which weighs the NER's word with everything else).
    text = "Yesterday the adviser met Zebulon Quarshie at the library."
    rules = {"person": {"second_opinion": False}}
    entities = Detector.from_options({"recogniser_options": rules}).detect(text)
    assert [(e.label, text[e.start : e.end]) for e in entities] == [("PERSON", "Zebulon Quarshie")]
    assert "ner" in entities[0].evidence
    # Without the NER model the same pair stays below the threshold: the NER model is what decided.
    assert found(text, recogniser_options={"person": {"model": "none", "second_opinion": False}}) == []
