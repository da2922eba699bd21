"""Kinds of error found on the second hand-written dev set: identifiers read out in words, dates of birth
restated or listed, places and months taken for people, and names given by spelling or as a bare reply.
Every example here is invented."""

from __future__ import annotations

from govai.pii import detect


def _found(text: str) -> set[tuple[str, str]]:
    return {(e.label, text[e.start : e.end]) for e in detect(text)}


# -- identifiers read out digit by digit ------------------------------------------------------------------


def test_spoken_national_insurance_number_with_spelt_letters() -> None:
    text = "AGENT: And your National Insurance number?\nCALLER: Yeah, S K, seven three, five eight, two one, A."
    assert ("NINO", "S K, seven three, five eight, two one, A") in _found(text)


def test_spoken_nhs_number_with_double() -> None:
    text = "NURSE: Have you got his NHS number?\nMUM: Four oh one, oh two three, two one three seven."
    assert ("NHS_NUMBER", "Four oh one, oh two three, two one three seven") in _found(text)
    text = "NURSE: NHS number?\nMUM: four double oh one, two three, two one three seven."
    assert not any(label == "NHS_NUMBER" for label, _ in _found(text))  # 4001232137 fails the check


def test_spoken_utr_and_phone_number() -> None:
    found = _found("Caller: my UTR is two oh oh three three, eight two five oh two.")
    assert ("UTR", "two oh oh three three, eight two five oh two") in found
    found = _found("Caller: ring me on oh one nine oh four, six five four, three two one.")
    assert ("PHONE_UK", "oh one nine oh four, six five four, three two one") in found


def test_spoken_bank_details_and_their_read_back() -> None:
    text = ("Caller: Sort code eleven, twenty-two, thirty-three, account six four, two oh, nine nine, one eight.\n"
            "Agent: So that's eleven, twenty-two, thirty-three, and six four two oh nine nine one eight?")
    found = _found(text)
    assert ("SORT_CODE", "eleven, twenty-two, thirty-three") in found
    assert ("ACCOUNT_NUMBER", "six four, two oh, nine nine, one eight") in found
    assert ("ACCOUNT_NUMBER", "six four two oh nine nine one eight") in found
    assert sum(e.label == "SORT_CODE" for e in detect(text)) == 2


def test_spaced_passport_digits_and_the_read_back() -> None:
    text = ("Officer: The passport number?\nSon: 5 3 1 7 7 0 2 4 8.\n"
            "Officer: Let me check, five three one, seven seven oh, two four eight?\nSon: Yes.")
    found = _found(text)
    assert ("PASSPORT_UK", "5 3 1 7 7 0 2 4 8") in found
    assert ("PASSPORT_UK", "five three one, seven seven oh, two four eight") in found


def test_counting_words_are_not_identifiers() -> None:
    text = "We had one, two, three, four, five, six complaints, then seven eight more in May."
    assert not detect(text)


# -- dates of birth ----------------------------------------------------------------------------------------


def test_birth_date_restated_or_read_back_is_still_a_birth_date() -> None:
    text = "Officer: Date of birth?\nInterpreter: She says 4/7/88. Fourth of July, eighty-eight."
    found = _found(text)
    assert ("DATE_OF_BIRTH", "4/7/88") in found and ("DATE_OF_BIRTH", "Fourth of July, eighty-eight") in found
    text = ("Reception: Date of birth?\nPatient: one five oh four nine six\n"
            "Reception: Sorry, fifteenth of April ninety-six?\nPatient: yes")
    found = _found(text)
    assert ("DATE_OF_BIRTH", "one five oh four nine six") in found
    assert ("DATE_OF_BIRTH", "fifteenth of April ninety-six") in found


def test_birth_dates_said_as_numbers_or_pairs() -> None:
    assert ("DATE_OF_BIRTH", "six, four, seventy-nine") in _found("Agent: Date of birth?\nCaller: six, four, seventy-nine.")
    assert ("DATE_OF_BIRTH", "08 12 76") in _found("Agent: And your date of birth?\nCaller: 08 12 76.")


def test_birth_date_in_a_two_part_chat_answer() -> None:
    text = "Bot: What is the patient's name and date of birth?\nUser: tomasz lis\nUser: 21/02/2011\nBot: Thanks."
    assert ("DATE_OF_BIRTH", "21/02/2011") in _found(text)


def test_a_list_of_people_with_a_date_each_gives_birth_dates() -> None:
    text = "Vaccination list\n1. NOVAK, Petra – 14/05/1962\n2. BALOGUN, Femi – 30/11/1974\n"
    found = _found(text)
    assert ("DATE_OF_BIRTH", "14/05/1962") in found and ("DATE_OF_BIRTH", "30/11/1974") in found
    assert not any(label == "DATE_OF_BIRTH" for label, _ in _found("Rota\nMon – 14/05/2024\n"))


def test_birth_date_with_a_polish_month_name() -> None:
    assert ("DATE_OF_BIRTH", "9 lutego 2015") in _found("My son Kacper, date of birth 9 lutego 2015, needs a place.")


# -- names and places --------------------------------------------------------------------------------------


def test_months_in_spoken_dates_are_not_people() -> None:
    found = _found("The review is on the second of June and we moved here in April.")
    assert not any(label == "PERSON" for label, _ in found)


def test_lone_places_need_a_person_cue() -> None:
    found = _found("Patrol car seen Kingston bus lane 0200. Courier arrived from Stratford.")
    assert not any(label == "PERSON" for label, _ in found)
    assert ("PERSON", "Jordan") in _found("ADVISER: You're speaking to Jordan, housing options. Who is calling?")


def test_short_capital_codes_and_roles_are_not_names() -> None:
    text = "RO: Can you tell me about the stairs?\nAPPELLANT: I use the rail.\nRO: Thank you."
    assert not any(label == "PERSON" for label, _ in _found(text))
    assert not any(label == "PERSON" for label, _ in _found("The Mayor will open the fete at noon."))


def test_a_bare_reply_to_a_name_question_is_a_name() -> None:
    text = "Agent (Sam): And your name please?\nCustomer: zainab qureshi\nAgent (Sam): Thanks."
    assert ("PERSON", "zainab qureshi") in _found(text)
    text = "Agent: What's the name of the street?\nCaller: Mill Lane"
    assert not any(label == "PERSON" for label, _ in _found(text))


def test_names_spelt_letter_by_letter() -> None:
    text = "AGENT: Can you spell the surname?\nCALLER: A-D-E-B-A-Y-O dash S-M-I-T-H."
    assert ("PERSON", "A-D-E-B-A-Y-O dash S-M-I-T-H") in _found(text)
    assert ("PERSON", "W-O-J-C-I-K") in _found("CALLER: It's Wojcik, that's W-O-J-C-I-K.")


def test_maiden_name_after_nee() -> None:
    assert ("PERSON", "Okoro") in _found("Her full name is Grace Adaeze Mensah, née Okoro.")


def test_a_log_line_before_an_address_is_not_part_of_it() -> None:
    text = "Log – PC 2210 Farrow\n0340 hrs attended 9 Mill Street, Hebden Bridge HX7 8AB re noise."
    found = _found(text)
    assert ("PERSON", "Farrow") in found
    assert ("ADDRESS", "9 Mill Street, Hebden Bridge") in found
