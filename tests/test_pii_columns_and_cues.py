"""Kinds of error found on dev 2 and hold-out v2 (both development sets once the third blind set was written):
tables whose header names the column, dates of birth beside a name, initials, nicknames, names in lower case
beside family words, identifiers with letters read aloud, addresses given as a reply, and mailboxes of public
bodies. Every example here is invented."""

from __future__ import annotations

from govai.pii import detect


def _found(text: str) -> set[tuple[str, str]]:
    return {(e.label, text[e.start : e.end]) for e in detect(text)}


def _labels(text: str, value: str) -> set[str]:
    return {label for label, span in _found(text) if span == value}


# -- tables ------------------------------------------------------------------------------------------------


def test_a_pipe_table_takes_its_labels_from_the_header() -> None:
    text = ("Breakfast club list\nRef | Pupil | DOB | Year\nA17 | Quigley, Ffion | 14/02/2017 | 2\n"
            "A22 | Mr Tobiah Mensah-Quaye | 30.9.2016 | 3\nA31 | n/a | n/a | 3")
    found = _found(text)
    assert ("PERSON", "Quigley, Ffion") in found
    assert ("PERSON", "Tobiah Mensah-Quaye") in found  # the title stays outside
    assert ("DATE_OF_BIRTH", "14/02/2017") in found and ("DATE_OF_BIRTH", "30.9.2016") in found
    assert not {label for label, span in found if span == "n/a"}


def test_a_csv_export_keeps_quoted_fields_whole() -> None:
    text = ('Case ID,Surname,Forename,Address,Balance\n'
            'C-0091,Szymańska,Ola,"Flat 2, 7 Tanners Row, Wigan","£40.00"\n'
            'C-0093,Oduya,Kelechi,"19 Poplar Grove, Bolton","£0.00"')
    found = _found(text)
    assert {("PERSON", "Szymańska"), ("PERSON", "Ola"), ("PERSON", "Oduya"), ("PERSON", "Kelechi")} <= found
    assert ("ADDRESS", "Flat 2, 7 Tanners Row, Wigan") in found


def test_a_column_of_other_dates_is_not_a_column_of_births() -> None:
    found = _found("Name | Visit date\nKelechi Oduya | 12/03/2024\nFfion Quigley | 19/03/2024")
    assert not any(label == "DATE_OF_BIRTH" for label, _ in found)
    assert ("PERSON", "Kelechi Oduya") in found


def test_a_court_list_with_columns_two_spaces_apart() -> None:
    text = ("LIST — Court 2\n1. BRENNAN, Aoife  04/11/1990  14 Tay Street, Perth  Theft\n"
            "2. OSEI, Kwabena  22/07/1985  NFA  Breach of order")
    found = _found(text)
    assert ("DATE_OF_BIRTH", "04/11/1990") in found and ("DATE_OF_BIRTH", "22/07/1985") in found


# -- dates of birth beside a name ----------------------------------------------------------------------------


def test_a_past_date_straight_after_a_name_is_a_birth_date() -> None:
    assert "DATE_OF_BIRTH" in _labels("The other tenant is her father, Desmond Agyeman, 02/05/1948.", "02/05/1948")
    assert "DATE_OF_BIRTH" in _labels("CALLER: Oskar 4.6.2014, Zofia 19.1.2017.", "19.1.2017")


def test_a_signature_or_a_meeting_date_after_a_name_is_not() -> None:
    assert "DATE_OF_BIRTH" not in _labels("Declaration signed T. Abara 14/10/25", "14/10/25")
    assert "DATE_OF_BIRTH" not in _labels("I met with Dorota Lis, 6 June 2019, about the fence.", "6 June 2019")


# -- names ------------------------------------------------------------------------------------------------------


def test_an_initial_before_a_surname() -> None:
    assert ("PERSON", "K. Abernethy") in _found("The review was completed by K. Abernethy, Decision Maker.")
    assert ("PERSON", "T. Olawale") in _found("Thanks for your time today.\n\nT. Olawale\nWork Coach")
    assert not any(label == "PERSON" for label, _ in _found("A Tesco van blocked Section B Road."))


def test_a_call_handler_says_who_is_speaking() -> None:
    assert ("PERSON", "Tamsin") in _found("AGENT: Council tax, Tamsin speaking.\nCALLER: Hi there.")
    assert ("PERSON", "Gwilym") in _found("CALLER: Bore da. Gwilym here, about my bin.")


def test_nicknames_in_quotes_where_people_are_described() -> None:
    found = _found('Intel suggests "Deeks", possibly Reece Tolan, supplies the estate. Associate "Bazza" drives a van.')
    assert ("PERSON", "Deeks") in found and ("PERSON", "Bazza") in found
    assert ("PERSON", 'Stephen "Stevo" Varga') in _found('Name: Stephen "Stevo" Varga\nReference: 4471')
    assert not any(label == "PERSON" for label, _ in _found('The sign said "Parking" in red.'))


def test_family_words_lead_to_names_in_lower_case() -> None:
    assert ("PERSON", "doris") in _found("can someone ring my nan doris about her bus pass she cant hear well")
    assert ("PERSON", "amir") in _found("hi miss its amir's mum he wont be in today hes got a temp")
    assert ("PERSON", "Brannigan") in _found("A short update on the Brannigan family before Thursday's meeting.")


def test_months_beside_months_and_numbered_wards_are_not_names() -> None:
    assert not any(label == "PERSON" for label, _ in _found("Please send the payslips for August and September."))
    assert not any(label == "PERSON" for label, _ in _found("He is ready for discharge from Ward 12 tomorrow."))


def test_sign_offs_in_lower_case() -> None:
    assert ("PERSON", "jade") in _found("sorry we missed it, we were away all weekend\n\njade")
    assert ("PERSON", "kerry-ann") in _found("i need to speak to the head of year not the office about it. kerry-ann")


def test_an_everyday_word_that_speaks_twice_is_a_name() -> None:
    text = "joy: hi is my payment in yet\nAgent: Let me check for you.\njoy: ok thanks\nAgent: You're welcome."
    assert ("PERSON", "joy") in _found(text)


def test_welsh_salutations_and_place_words_are_not_names() -> None:
    found = _found("Annwyl Mr Pryce,\nDear Mr Pryce,\nYour bin is collected at Maes y Llan.")
    assert ("PERSON", "Pryce") in found
    assert not any(span in ("Annwyl", "Maes") for _, span in found)


# -- identifiers with letters, read aloud ---------------------------------------------------------------------------


def test_letters_spelt_with_a_word_and_in_lower_case() -> None:
    text = "AGENT: National Insurance number?\nCALLER: J for Juliet, H for Hotel, four eight, two one, oh seven, C."
    assert ("NINO", "J for Juliet, H for Hotel, four eight, two one, oh seven, C") in _found(text)
    text = "AGENT: and your ni number?\nCALLER: its j h four eight two one oh seven c"
    assert ("NINO", "j h four eight two one oh seven c") in _found(text)


def test_number_plates_postcodes_and_licences_read_aloud() -> None:
    found = _found("CALLER: I sold the van, reg L V one nine, X R F, last week.")
    assert ("VEHICLE_REG_UK", "L V one nine, X R F") in found
    found = _found("AGENT: And the postcode?\nCALLER: C F ten, three N Q.")
    assert ("POSTCODE", "C F ten, three N Q") in found
    found = _found("AGENT: Licence number?\nCALLER: M O R G A, seven five three one one six, S M nine, I J.")
    assert ("DRIVING_LICENCE_UK", "M O R G A, seven five three one one six, S M nine, I J") in found


def test_vat_and_company_numbers_read_aloud() -> None:
    found = _found("AGENT: The VAT number?\nCALLER: G B, one oh oh, oh oh oh, oh three four.")
    assert ("VAT_GB", "G B, one oh oh, oh oh oh, oh three four") in found
    found = _found("AGENT: And the company number?\nCALLER: oh nine, two eight, six four, five one.")
    assert ("COMPANY_NUMBER", "oh nine, two eight, six four, five one") in found


# -- addresses -----------------------------------------------------------------------------------------------------


def test_the_reply_to_an_address_question_is_an_address() -> None:
    found = _found("AGENT: And your last address?\nCALLER: Tigh an Uillt, Achiltibuie, Ross-shire.\nAGENT: Thanks.")
    assert ("ADDRESS", "Tigh an Uillt, Achiltibuie, Ross-shire") in found
    found = _found("AGENT: What's the first line?\nCALLER: Forty-two Crossflatts Rise.")
    assert ("ADDRESS", "Forty-two Crossflatts Rise") in found
    found = _found("AGENT: Can I take your name and address?\nCALLER: Dilys Prosser, 8 Cwrt Coch, Bala, LL23 7AB.")
    assert ("ADDRESS", "8 Cwrt Coch, Bala") in found and ("PERSON", "Dilys Prosser") in found
    assert not any(label == "ADDRESS" for label, _ in _found("AGENT: What's your email address?\nCALLER: Yes, hang on."))


def test_a_named_premises_before_the_street_after_an_address_phrase() -> None:
    found = _found("She resides Larchfield care home, 12 Moss Lane, Wigan.")
    assert ("ADDRESS", "Larchfield care home, 12 Moss Lane, Wigan") in found
    found = _found("staying at an address on Clarendon Street.")
    assert ("ADDRESS", "Clarendon Street") in found


def test_welsh_streets_name_their_kind_first() -> None:
    assert ("ADDRESS", "7 Heol y Felin, Aberdare") in _found("He was seen at 7 Heol y Felin, Aberdare.")
    assert ("ADDRESS", "Maes yr Haf, Ruthin") in _found("Last known address: Maes yr Haf, Ruthin.")


# -- mailboxes -----------------------------------------------------------------------------------------------------


def test_a_public_body_team_mailbox_is_not_personal_data() -> None:
    found = _found("To: lettings@westbury.gov.uk\nCc: tjackson@westbury.gov.uk")
    assert ("EMAIL", "tjackson@westbury.gov.uk") in found
    assert not any(span == "lettings@westbury.gov.uk" for _, span in found)


# -- fourth round: errors of hold-out v3 (a development set once hold-out v4 was written) ------------------------


def test_number_plates_with_makes_models_and_cues_after_them() -> None:
    assert ("VEHICLE_REG_UK", "ld17 wpx") in _found("Blue Corsa ld17 wpx, dent in the door.")
    assert ("VEHICLE_REG_UK", "hk 63 tvo") in _found("hk 63 tvo – plates don't match the VIN")
    assert ("VEHICLE_REG_UK", "R391 KDN") in _found("03:10 – R391 KDN – no MOT – not located")
    assert ("VEHICLE_REG_UK", "DIZ 5012") in _found("Stopped a white van, NI reg DIZ 5012, keeper traced.")
    assert not any(label == "VEHICLE_REG_UK" for label, _ in _found("I can come on 15 may at 10."))


def test_the_phonetic_alphabet_and_written_read_backs() -> None:
    found = _found("Operator: Can I have the registration?\nCaller: Sierra Kilo one niner, Bravo Delta Romeo.")
    assert ("VEHICLE_REG_UK", "Sierra Kilo one niner, Bravo Delta Romeo") in found
    found = _found("Adviser: Your sort code?\nCaller: Four oh, one one, six two.\nAdviser: 40-11-62, thank you.")
    assert ("SORT_CODE", "40-11-62") in found
    found = _found("HMRC: Company registration number?\nCaller: S C, two two one, four eight six.")
    assert ("COMPANY_NUMBER", "S C, two two one, four eight six") in found


def test_a_letterheads_postcode_is_the_senders() -> None:
    text = "Child Benefit Office\nWashington\nNE88 1AA\n\nMs Dana Whyte\n14 Quarry Lane\nSunderland SR2 8TT\n\nDear Ms Whyte"
    found = _found(text)
    assert ("POSTCODE", "SR2 8TT") in found and ("POSTCODE", "NE88 1AA") not in found
    assert not any(label == "POSTCODE" for label, _ in _found("Send it to Freepost, BX5 5AB please."))
    found = _found("Flat 2, Carlton Court\n3 Elm Road\nLeeds LS6 3DS\n\nDear Sir or Madam")
    assert ("POSTCODE", "LS6 3DS") in found


def test_more_names_as_people_write_them() -> None:
    assert ("PERSON", "Pieter van der Meer") in _found("Met vriendelijke groet,\nPieter van der Meer")
    assert ("PERSON", "Samir al-Khatib") in _found("Interpreter: A cousin, Samir al-Khatib, lives in Leeds.")
    assert ("PERSON", "N-O-W-A-C-Z-Y-K") in _found("Caller: It's Agnieszka Nowaczyk. N-O-W-A-C-Z-Y-K.")
    assert ("PERSON", "GRACE OKONJO") in _found("Applicant name: MRS GRACE OKONJO\nReference: 4471")
    assert ("PERSON", "Temitope Adeyinka") in _found("Applicant: Temitope Adeyinka   Applicant's passport: none")
    assert ("PERSON", "VC") in _found("VC stated he had used the fob. GP said he was fit.")
    assert not any(span == "GP" for _, span in _found("VC stated he had used the fob. GP said he was fit."))
    text = "kez: anyone free sat\nmum: maybe\nkez: ok ta\nmum: x"
    assert ("PERSON", "kez") in _found(text)


def test_public_roles_pets_cars_and_numbers_are_not_people() -> None:
    assert not any(label == "PERSON" for label, _ in _found("• Anna Tolland MP surgery at the library on Friday"))
    assert ("PERSON", "Anna Tolland") in _found("Yours sincerely,\nRt Hon Anna Tolland MP")
    assert not any(label == "PERSON" for label, _ in _found("Our cocker spaniel Hunter ran off this morning."))
    assert not any(label == "PERSON" for label, _ in _found("He was driving a black Seat Leon on the A1."))
    found = _found("Caller: Zara, she's seven, and Musa, he's three.")
    assert ("PERSON", "Zara") in found and not any(span in ("seven", "three") for _, span in found)
    assert not any(label == "PERSON" for label, _ in _found("Datix W-118402 raised for the fall."))


def test_more_ways_to_write_a_birth_date() -> None:
    assert ("DATE_OF_BIRTH", "14 / 06 / 1951") in _found("Date of birth: 14 / 06 / 1951\nNI number: none")
    found = _found("Helpline: Date of birth?\nCaller: 1979, 3rd of March.")
    assert any(label == "DATE_OF_BIRTH" and span.startswith("1979, 3rd of March") for label, span in found)


def test_a_town_ends_where_the_sentence_goes_on() -> None:
    assert ("ADDRESS", "5 Rutland Gardens, Hove") in _found("Is your address still 5 Rutland Gardens, Hove?")
    assert ("ADDRESS", "18 Holly Bank, Mirfield") in _found("a burglary at 18 Holly Bank, Mirfield on Saturday night.")
    assert ("ADDRESS", "4 Mill Lane, Stoke on Trent") in _found("She lives at 4 Mill Lane, Stoke on Trent.")
    found = _found("Caller: the postcode is L L five seven.\n111 call handler: LL57 3PT. And his name?")
    assert not any(label == "ADDRESS" for label, _ in found)


# -- fifth round: errors of hold-out v4 (a development set once hold-out v5 was written) -------------------------


def test_a_number_called_a_utr_is_one_even_with_a_wrong_check_digit() -> None:
    assert ("UTR", "4410293851") in _found("My own UTR is 4410293851.")
    assert not any(label == "UTR" for label, _ in _found("Quote reference 4410293851 on the form."))


def test_every_date_in_a_reply_about_births() -> None:
    found = _found("OFFICER: And the children's dates of birth?\nCALLER: My son 2 March 2014, my daughter 9 May 2019.")
    assert ("DATE_OF_BIRTH", "2 March 2014") in found and ("DATE_OF_BIRTH", "9 May 2019") in found
    found = _found("Household: son (2009-03-14), daughter (2013-10-02), mother (1950-06-30)")
    assert {("DATE_OF_BIRTH", d) for d in ("2009-03-14", "2013-10-02", "1950-06-30")} <= found
    found = _found("Clinic list\n09:10 | BRODIE, Ewan | 12/06/1961 | review\n09:20 | KHAN, Aisha | 03/01/1990 | bloods")
    assert ("DATE_OF_BIRTH", "12/06/1961") in found and ("PERSON", "BRODIE, Ewan") in found


def test_greetings_and_described_speakers_in_chats() -> None:
    assert ("PERSON", "mark") in _found("Me: 4 bags done. thanks mark\nYouth Worker: nice one")
    text = "[19:41] Bev Next Door: anyone seen a cat?\n[19:43] Gaz: no\n[19:52] Bev Next Door: found her"
    assert [text[e.start : e.end] for e in detect(text) if e.label == "PERSON"].count("Bev") == 2
    assert not any(span == "Marston" for _, span in _found("Marston: We act for the council.\nMe: ok\nMarston: Pay today."))


def test_companies_public_figures_and_cars_named_like_people() -> None:
    found = _found("They said they were Daniel Hargreaves from Hargreaves Lansdown. The real Hargreaves Lansdown never calls.")
    assert [span for label, span in found if label == "PERSON"] == ["Daniel Hargreaves"]
    assert not any(label == "PERSON" for label, _ in _found("He has read about Yvette Cooper in the news."))
    assert not any(label == "PERSON" for label, _ in _found("Drives a white Corsa, partial reg FD17."))
    assert not any(label == "PERSON" for label, _ in _found("Masjid Bilal are collecting rice and oil."))
    assert not any(label == "PERSON" for label, _ in _found("fees going up £4 a day from april"))


def test_form_labels_in_capitals_and_other_names() -> None:
    found = _found("STARTER CHECKLIST\n1. LAST NAME: VELLUPILLAI\n2. FIRST NAMES: ARAVIND\n3. GENDER: M")
    assert ("PERSON", "VELLUPILLAI") in found and ("PERSON", "ARAVIND") in found
    assert ("PERSON", "Rokshana") in _found("Surname: Begum\nOther names: Rokshana\nReference: 11")


def test_hostels_caravans_and_a_date_before_the_address_in_a_reply() -> None:
    found = _found("Now at Room 6, Booth Street hostel, Ashton-under-Lyne OL6 7LA.")
    assert ("ADDRESS", "Room 6, Booth Street hostel, Ashton-under-Lyne") in found
    found = _found("AGENT: Date of birth and first line of your address?\nCLIENT: 3rd May 1970. Flat 31, Thames View, Barking.")
    assert ("DATE_OF_BIRTH", "3rd May 1970") in found and ("ADDRESS", "Flat 31, Thames View, Barking") in found


# -- sixth round: errors of hold-out v5 (a development set once hold-out v6 was written) --------------------------


def test_organisations_lines_and_po_boxes_are_not_personal() -> None:
    assert not any(label == "PHONE_UK" for label, _ in _found("If you cannot attend please ring 0191 278 8600."))
    assert ("PHONE_UK", "0114 496 0923") in _found("Please call me on 0114 496 0923 to verify.")
    assert ("PHONE_UK", "07700 900 123") in _found("Please ring 07700 900 123 after six.")
    found = _found("Sefton Council Revenues, PO Box 18, Bootle L20 7UT\n\nMR J ROURKE\n102 STANLEY ROAD, BOOTLE\nL20 3DD")
    assert ("POSTCODE", "L20 7UT") not in found and ("POSTCODE", "L20 3DD") in found
    found = _found("Companies House, Crown Way, Cardiff CF14 3UZ\n\nThe Director\nUnit 4, Brunel Way, Swindon SN2 8AB")
    assert ("POSTCODE", "CF14 3UZ") not in found and ("POSTCODE", "SN2 8AB") in found


def test_mailboxes_handles_and_speakers() -> None:
    found = _found("To: ukvi.correspondence@homeoffice.gov.uk\nEmail: sunflower.garden88@outlook.com")
    assert ("EMAIL", "sunflower.garden88@outlook.com") in found
    assert not any(span.startswith("ukvi") for _, span in found)
    found = _found("@chloe.mcgrath02: this happened to me\n@advicenow_uk: you can ask for a reconsideration")
    assert ("PERSON", "chloe.mcgrath02") in found and not any(span == "advicenow_uk" for _, span in found)
    assert ("PERSON", "tom.b") in _found("tom.b: 0808 164 0123\npriya.s: ta\ntom.b: cake thursday")


def test_more_dates_of_birth() -> None:
    assert ("DATE_OF_BIRTH", "28-Feb-1997") in _found("Patient: Luke Brennan   DOB: 28-Feb-1997")
    assert ("DATE_OF_BIRTH", "30 | 06 | 1985") in _found("4 Date of birth: 30 | 06 | 1985\n5 NINO: none")
    assert ("DATE_OF_BIRTH", "28 September") in _found("Caller: yes, Baraka, he was born 28 September in Leith")
    assert ("DATE_OF_BIRTH", "08/08/1975") in _found("Bay 3: now identified as Daniel Okafor, 08/08/1975, found on the street")
    assert ("DATE_OF_BIRTH", "14/09/1986") in _found("Cell 2: Leigh Hodgson, 14/09/1986 - awaiting interview")
    assert not any(label == "DATE_OF_BIRTH" for label, _ in _found("I met Sarah Jones, 3 May 2025, about the fence."))


def test_tables_of_plates_and_numbers_named_in_the_header() -> None:
    found = _found("Permits\nRef | Name | Reg\nK-93 | Mohamud, Ayan | J762 MEA\nK-95 | visitor | -")
    assert ("VEHICLE_REG_UK", "J762 MEA") in found and ("PERSON", "Mohamud, Ayan") in found
    assert not any(span in ("Reg", "visitor") for _, span in found)


def test_places_cars_and_public_figures_not_people() -> None:
    found = _found("Mr Stephen Kinnear\nRose Cottage, Hill of Fearn, Tain\nIV20 1RS")
    assert ("ADDRESS", "Rose Cottage, Hill of Fearn, Tain") in found
    assert not any(label == "PERSON" for label, _ in _found("Morning, appointment at Sir Robert Peel House today."))
    assert not any(label == "PERSON" for label, _ in _found("Year 6 led an assembly on Mary Seacole."))
    assert ("NHS_NUMBER", "190450 1001") in _found("Date of birth 19 April 1950, CHI 190450 1001.")
    assert not any(label == "ADDRESS" for label, _ in _found("A PCN was issued on 9 October at Ealing Broadway."))


# -- seventh round: errors of hold-out v6 (a development set once hold-out v7 was written) ------------------------


def test_an_offices_own_number_is_not_personal_data() -> None:
    assert not any(label == "PHONE_UK" for label, _ in _found("Kind regards,\nHarriet\nCole Wray Solicitors\n01224 588 300"))
    assert not any(label == "PHONE_UK" for label, _ in _found("Please report absences on 029 2081 1460."))
    found = _found("Could you ring me back on 07780 336519 or the office on 01904 622 811?")
    assert ("PHONE_UK", "07780 336519") in found and ("PHONE_UK", "01904 622 811") not in found
    assert ("PHONE_UK", "020 7946 0318") in _found("Olumide Adebayo\nHousing Needs Officer\n020 7946 0318")
    assert ("PHONE_UK", "0114 276 4409") in _found("Please contact Mrs Sheikh, Attendance Officer, on 0114 276 4409.")


def test_firms_and_share_codes() -> None:
    found = _found("Dear tenant,\nRent is due.\nCaledonia Lets Ltd, 90 Pollokshaws Road, Glasgow G41 1PZ\nRegistered in Scotland")
    assert not any(label in ("POSTCODE", "ADDRESS") for label, _ in found)
    assert not any(label == "POSTCODE" for label, _ in _found("They used a share code (W7K 4PR 9XM) online."))
    assert not any("Rafferty" in span for _, span in _found("Seán: ya J Rafferty & Sons, they want the full name"))
    assert not any(label == "PERSON" for label, _ in _found("RECEPTION: Harley & Webb Dental, good morning."))
    assert not any(label == "PERSON" for label, _ in _found("From: Onboarding <onboarding@hawthornehealthcare.co.uk>"))


def test_records_written_as_field_and_value() -> None:
    found = _found("field|value\napplicant_surname|Gallagher\napplicant_forenames|Roisin Mary\ndob|1958-03-02")
    assert {("PERSON", "Gallagher"), ("PERSON", "Roisin Mary"), ("DATE_OF_BIRTH", "1958-03-02")} <= found


def test_birthplaces_and_greetings_in_other_languages_are_not_names() -> None:
    assert not any(label == "PERSON" for label, _ in _found("DOB: 11/11/1995     Place of birth: Constanța, Romania"))
    assert not any(label == "PERSON" for label, _ in _found("Tha mi sgìth. Dia dhuit. Good morning po."))


# -- eighth round: errors of hold-out v7 (a development set once hold-out v8 was written) ------------------------


def test_values_typed_into_a_forms_boxes() -> None:
    found = _found("Sort code: 3 0 - 1 5 - 9 9\nAccount number: 0 6 1 8 3 4 5 2\nDate of birth: 2 1 / 0 7 / 1 9 7 0")
    assert {("SORT_CODE", "3 0 - 1 5 - 9 9"), ("ACCOUNT_NUMBER", "0 6 1 8 3 4 5 2"),
            ("DATE_OF_BIRTH", "2 1 / 0 7 / 1 9 7 0")} <= found
    assert ("DATE_OF_BIRTH", "O7 O9 1952") in _found("DOB: O7 O9 1952")  # scanned, O for zero
    assert ("SORT_CODE", "80 | 22 | 60") in _found("Sort code: 80 | 22 | 60")
    assert not any(label == "DATE_OF_BIRTH" for label, _ in _found("Date of birth: 3 1 / 0 2 / 1 9 7 0"))  # no such day


def test_a_spaced_nino_and_a_birth_date_in_words() -> None:
    found = _found("AGENT: And your date of birth?\nCALLER: Seventeen May, nineteen eighty-eight.\n"
                   "AGENT: And your National Insurance number?\nCALLER: S P 61 04 77 B.")
    assert ("DATE_OF_BIRTH", "Seventeen May, nineteen eighty-eight") in found
    assert ("NINO", "S P 61 04 77 B") in found


def test_offices_addresses_and_numbers() -> None:
    text = "You can also write to us at Waste Services, Stanley Road Depot, Bradford BD2 1AS."
    assert not _found(text)
    assert not any(label in ("ADDRESS", "POSTCODE") for label, _ in _found(
        "Personal Independence Payment\nPost Handling Site B, Wolverhampton WV99 1AH\nTelephone: 0800 121 4433"))
    assert not _found("Objections in writing to the Licensing Authority, County Hall, Atlantic Wharf, Cardiff CF10 4UW.")
    # a person's own address after the same words stays personal
    assert ("POSTCODE", "G51 3DY") in _found("Please confirm in writing to Flat 2/3, 64 Elder Street, Govan, G51 3DY.")
    for text in ("Referrer: Daniel, Brighton Advice Centre, 01273 665 900", "Out of hours you can call 0117 903 8999.",
                 "Hannah Okwuosa, Community Midwife, 020 3313 1111 ext 4402",
                 "Enquiries to the discharge hub on 01903 205 111.", "call the pharmacist via switchboard 0114 243 4343"):
        assert not any(label == "PHONE_UK" for label, _ in _found(text)), text
    assert ("PHONE_UK", "0121 675 4409") in _found("Could you ring me on 0121 675 4409, extension 213, or pop in?")
    assert ("PHONE_UK", "0141 496 0338") in _found("He asked us to call his daughter as his English is limited, 0141 496 0338.")


def test_names_and_dates_of_birth_asked_for_in_chat() -> None:
    text = ("[14:08] Leanne (Housing Options): Yes please, names and dates of birth for everyone in the household.\n"
            "[14:10] visitor: ayaan 04/09/2014, liban 22/01/2017, sagal 30/06/2020")
    found = _found(text)
    assert {("PERSON", "ayaan"), ("PERSON", "liban"), ("PERSON", "sagal")} <= found
    assert {("DATE_OF_BIRTH", "04/09/2014"), ("DATE_OF_BIRTH", "22/01/2017"), ("DATE_OF_BIRTH", "30/06/2020")} <= found
    assert not any(span == "born" for _, span in _found(
        "AGENT: Names and dates of birth for the children?\nCALLER: Mia, born 03/04/2015"))


def test_addresses_without_a_street_word() -> None:
    found = _found("OFFICER: And where is he living now?\nINTERPRETER: Room 211, Britannia Hotel, Bolton, but they "
                   "told him he will move.")
    assert ("ADDRESS", "Room 211, Britannia Hotel, Bolton") in found
    assert ("ADDRESS", "19 Coniston Way, Kirkby") in _found(
        "OPERATOR: What's the address of the emergency?\nCALLER: 19 Coniston Way, Kirkby, the kitchen's on fire!")
    assert ("ADDRESS", "4 Ceann a Bhaigh, Tarbert, Isle of Harris") in _found(
        "Address: 4 Ceann a Bhaigh, Tarbert, Isle of Harris   Postcode: HS3 3DG")
    assert ("ADDRESS", "Croft 7, Achmelvich, Lochinver, Lairg") in _found(
        "Section 3: Address  Croft 7, Achmelvich, Lochinver, Lairg   Postcode IV27 4JB")
    for text in ("Current address: refuge (withheld)", "Time at address: 6 years", "Address: c/o sponsor"):
        assert not any(label == "ADDRESS" for label, _ in _found(text)), text


def test_peoples_and_ward_words_are_not_names() -> None:
    for text in ("she is Thai, she don't speak english", "We have his Sri Lankan birth certificate.",
                 "Resus: cleared.", "Obs: HR 112, BP 98/60.", "I am calling about my Windrush compensation claim.",
                 "Yn gywir / Yours sincerely\nTîm Budd-daliadau / Benefits Team", "Customer: Halò. I'm looking to book"):
        assert not any(label == "PERSON" for label, _ in _found(text)), text


# -- ninth round: errors of hold-out v8 (a development set once hold-out v9 was written) --------------------------


def test_initials_where_minutes_list_people() -> None:
    found = _found("Present: KB (independent chair), MT (police), AO (adult social care)\n"
                   "1. Minutes of last meeting - proposed RG, seconded GMcI.\n"
                   "Actions: HG - home visit by 14:00. NS - send attendance.\nACTION: JQ increase visits. Action: HP/LM.")
    for initials in ("KB", "MT", "AO", "RG", "GMcI", "HG", "NS", "JQ", "LM"):
        assert ("PERSON", initials) in found, initials
    assert ("PERSON", "BH") in _found("Seen at home, no concerns. Next appt 11/03. - BH")
    assert ("PERSON", "LM") in _found("Ref HR-118804   Band: 2   Checked by: LM")
    for text in ("Our ref: V11/38472/KA", "MR – mandatory reconsideration", "Action: MR drafted and sent.",
                 "UC - claim open. GP - letter sent."):
        assert not any(label == "PERSON" for label, _ in _found(text)), text


def test_organisations_addresses_numbers_and_bank_details() -> None:
    for text in ("Kind regards\nAmy Lowe, Practice Manager\nParkside Medical Practice, 2 Church Road, Lawrence Hill, "
                 "Bristol BS5 9JB",
                 "Jo Hill, Officer\nNorthumberland County Council, County Hall, Morpeth NE61 2EF",
                 "Fife Council - Council Tax Reduction\nFife House, North Street, Glenrothes KY7 5LT\nPhone: 03451 55 00 00"):
        assert not any(label in ("ADDRESS", "POSTCODE") for label, _ in _found(text)), text
    # a person's own address after a sentence about a hospital stays personal
    assert ("POSTCODE", "SE12 8RQ") in _found("Referred by St George's Hospital, see notes. Lives at 5 Burnt Ash "
                                              "Hill, Lee, SE12 8RQ.")
    assert ("POSTCODE", "CF83 1NP") in _found("Council: Thanks. And your name and postcode?\nCaller: Owen Pritchard, "
                                              "CF83 1NP.")
    for text in ("Safeguarding Coordinator, Bengal Care Services Ltd, office 020 7946 0000",
                 "Ruth Hashemi, Southall Community Alliance, 020 8574 0000",
                 "Please pay HMRC to sort code 08 32 00, account 11963155, using your VAT number as the reference.",
                 "Payments to our client account, sort code 20-32-06, account 73910022, quoting our reference."):
        assert not any(label in ("PHONE_UK", "SORT_CODE", "ACCOUNT_NUMBER") for label, _ in _found(text)), text
    found = _found("Please pay my rent refund into my account, sort code 20-32-06, account 73910022.")
    assert ("SORT_CODE", "20-32-06") in found and ("ACCOUNT_NUMBER", "73910022") in found


def test_form_fields_several_to_a_line_and_boxed_characters() -> None:
    found = _found("Surname: NGUYEN   First names: VAN THANH\nNI No: |P|R|5|5|9|0|2|4|A|\n"
                   "Date of birth: 1|4| |0|2| |1|9|9|5")
    assert {("PERSON", "VAN THANH"), ("NINO", "P|R|5|5|9|0|2|4|A"), ("DATE_OF_BIRTH", "1|4| |0|2| |1|9|9|5")} <= found
    assert ("PERSON", "Llwyd-Jenkins") in _found("Title: Mr   First name: Emyr   Surname: Llwyd-Jenkins")


def test_collar_numbers_with_letters_members_and_welsh_words() -> None:
    assert ("PERSON", "Nwosu") in _found("Arrested 14:20 by PC 227EK Nwosu, theft from shop.")
    assert ("PERSON", "Allardyce") in _found("Custody Sgt: Sgt 41CX Allardyce.")
    for text in ("Bonfire project: letter received from Naomi Long MLA; funding agreed.",
                 "From: office of Dawn Butler MP", "Good runner, MOT till Nov. Reg AXZ 4921. 2 owners.",
                 "SWYDDOG: Diolch. Bydd y criw yn dod nôl dydd Iau.", "Paeds: 4yo ?intussusception, CAIT informed."):
        assert not any(label == "PERSON" for label, _ in _found(text)), text
    assert ("PERSON", "Reg") in _found("My uncle Reg came round on Sunday.")


# -- tenth round: errors of hold-out v9 (a development set once hold-out v10 was written) -------------------------


def test_a_nickname_between_first_name_and_surname() -> None:
    # one person, one name (round 21: half the writers of the hold-outs mark it whole, and a part-marked name read
    # whole costs two errors where a whole name read in parts costs four)
    found = _found('Came in with nephew Patrick "Paddy" Ward who reads letters for her.')
    assert ("PERSON", 'Patrick "Paddy" Ward') in found
    found = _found('Client: Anthony ("Tony") GALLAGHER, DOB 18/09/1979')
    assert ("PERSON", 'Anthony ("Tony") GALLAGHER') in found
    # after a full name the nickname is a name of its own, and what follows it is not a surname
    found = _found('Child\'s name: ZHANG Yuxuan ("Eric")   Room: Robins   DOB: 2021.08.19')
    assert ("PERSON", "Eric") in found and not any("Room" in span for _, span in found)


def test_initials_that_name_someone_in_the_text() -> None:
    found = _found("Victim: Chelsea Morgan (CM), DOB 23/10/1997\nPerpetrator: Liam Probert (LP), NFA.\n"
                   "CM engaging, scared of LP's friends.")
    assert sum(span == "CM" for label, span in found if label == "PERSON") >= 1
    assert [label for label, span in found if span == "LP"] == ["PERSON"]
    text = ("Attendees: LR – Lowenna Rowe (SW, chair); JT – Jenna Tonkin (DSL)\n"
            "Present: Mr I. Rashid (Chair, IR), RA, SH\nPanel: RA, SH, IR")
    found = _found(text)
    assert {("PERSON", "LR"), ("PERSON", "JT"), ("PERSON", "RA"), ("PERSON", "SH"), ("PERSON", "IR")} <= found
    for text in ("Next appt 28/03/2024. – Shauna (RP)", "Present: SW – Priya Mistry; HV – SB",
                 "Amira (victim, DA) moved to refuge today."):
        assert not any(span in ("RP", "SW", "HV", "DA") for _, span in _found(text)), text


# -- eleventh round: errors of hold-out v10 (a development set once hold-out v11 was written) ------------------


def test_initials_that_sign_act_or_speak() -> None:
    assert ("PERSON", "LW") in _found("Discussed with probation. Warning letter to be sent. LW")
    assert ("PERSON", "JRW") in _found("Phoned home – spoke to dad Brendan. JRW\n10/03 PE kit missing.")
    assert ("PERSON", "RA") in _found("AOCB: RA to organise litter pick 29/3.")
    assert ("PERSON", "RH") in _found("Item 3 – Funding bid: £4,500 to the lottery. RH drafting.")
    assert {("PERSON", "JW"), ("PERSON", "MC")} <= _found("Minutes approved (prop. JW, sec. MC).")
    found = _found("Standup – housing solutions\nKB: 3 new placements\nTN: review decision out, upheld")
    assert {("PERSON", "KB"), ("PERSON", "TN")} <= found
    assert ("PERSON", "CT") in _found("Chair: DI R. Vaughan. Attendees: IDVA (CT), Housing (GB)")
    for text in ("Attendees: SG (TL), AH, DM, Kayleigh", "Seen by officers. Words of advice given. NFA",
                 "NB: bring ID\nPS: forms attached", "Next review in May. TBC"):
        assert not any(span in ("TL", "NFA", "NB", "PS", "TBC") for _, span in _found(text)), text


def test_names_after_a_constable_an_in_law_or_a_message() -> None:
    assert ("PERSON", "O'Hare") in _found("Details exchanged. Reporting officer Cst 8820 O'Hare.")
    assert ("PERSON", "McCAUGHEY") in _found("Signed: S Ní Bhriain   Witnessed by: Cst McCAUGHEY 7712")
    assert ("PERSON", "Gavin") in _found("Daughter in Australia. Son-in-law Gavin on 07700 900 879 is main contact.")
    assert ("PERSON", "Kayode") in _found("Hi, this is a message for Kayode from the advice line.")


def test_a_form_typed_one_character_per_box() -> None:
    text = ("Surname: | M|A|C|M|A|H|O|N |\nForename(s): Seán Patrick\nDate of birth: | 0|6|0|9|1|9|4|1 |\n"
            "NINO: S|N|8|2|1|9|4|0|C\nAddress: 27 Ardoyne Avenue")
    found = _found(text)
    assert {("PERSON", "M|A|C|M|A|H|O|N"), ("DATE_OF_BIRTH", "0|6|0|9|1|9|4|1"), ("NINO", "S|N|8|2|1|9|4|0|C")} <= found
    found = _found("Surname: A L - H A S H I M I\nDate of birth: D D M M Y Y Y Y → 2 8 0 3 2 0 0 6")
    assert {("PERSON", "A L - H A S H I M I"), ("DATE_OF_BIRTH", "2 8 0 3 2 0 0 6")} <= found


def test_company_numbers_and_a_sort_code_inside_one() -> None:
    assert ("COMPANY_NUMBER", "13302956") in _found("Her business is registered as 13302956 if you need it.")
    assert ("COMPANY_NUMBER", "NI 692113") in _found("I need to change my registered office, company NI 692113")
    assert not any(label == "SORT_CODE" for label, _ in _found('He runs SC701244 "Hughes Roofing" as a sole director.'))


def test_offices_numbers_and_addresses() -> None:
    for text in ("Please book your screening. Call 0161 496 0000 or use the NHS App.",
                 "Quote your reference, any questions ring 01792 635 353 thanks bye",
                 "Can you call me on the school number 0208 496 0120 ext 214?",
                 "You should contact Cardiff Council housing options on 029 2087 1071 now.",
                 "Health professional: Dr F. Quinn, Rosemount Surgery, 028 7126 4868"):
        assert not any(label == "PHONE_UK" for label, _ in _found(text)), text
    assert ("PHONE_UK", "01752 439 614") in _found("Transport booked. Any questions ring me on 01752 439 614")
    for text in ("Depot: Janetstown Depot, Thurso KW14 7XF", "Agent address: Collingwood House, Newcastle NE1 1JF",
                 "Post it to Child Benefit Office, Washington, Newcastle upon Tyne NE88 1AA.",
                 "Your appointment is at Probation Office, 10 Castle Street, Worcester."):
        assert not any(label in ("ADDRESS", "POSTCODE") for label, _ in _found(text)), text
    found = _found("Business address: same as home — 11 Thornhill Road, Derry BT48 8PE")  # a sole trader's home
    assert any(label == "ADDRESS" and "11 Thornhill Road" in span for label, span in found)
    assert ("ADDRESS", "Room 9, 112 Soho Road, Handsworth") in _found(
        "Notice from the Home Office to leave his asylum accommodation at Room 9, 112 Soho Road, Handsworth, B21 9DP.")
    assert ("ADDRESS", "3 Coombe Lane West, Kingston") in _found("Last seen leaving 3 Coombe Lane West, Kingston.")


# -- twelfth round: errors of hold-outs v11 and v12 (development sets once hold-out v13 was written) ------------


def test_initials_given_beside_the_name_they_stand_for() -> None:
    text = ("Present: Lisa Jones-Hughes (mum, LJH), Michael O'Connor (MOC), Mererid Owen (Lead Professional, MO), "
            "Iain MacLeod (Convener, IMacL)\nACTIONS: MO to refer to Citizens Advice. LJH to register with dentist.\n"
            "Q (MOC): was the exclusion reviewed?")
    names = [text[e.start : e.end] for e in detect(text) if e.label == "PERSON"]
    for initials in ("LJH", "MOC", "MO", "IMacL"):
        assert initials in names, initials
    assert names.count("MO") == 2 and names.count("LJH") == 2
    assert ("PERSON", "LP") in _found("Present: DC Lowri Prosser (South Wales Police PPU, LP)")
    for text in ("Your Unique Taxpayer Reference (UTR): 6385280841", "applied for a Debt Relief Order (DRO) today",
                 "PIP – Personal Independence Payment", "discussed Minimal Asset Process (MAP)"):
        assert not any(label == "PERSON" for label, _ in _found(text)), text


def test_initials_that_close_a_note_and_staff_before_their_names() -> None:
    assert ("PERSON", "CB") in _found("Referred to family links.\nCB")
    assert ("PERSON", "LF") in _found("Financial assessment to be sent.\nLF 16:10")
    assert ("PERSON", "RMcG") in _found("Medical report requested from the GP.\nRMcG")
    for text in ("Meeting closed at 8pm.\nAOB", "Words of advice given.\nNFA", "thanks\nbye"):
        assert not any(label == "PERSON" for label, _ in _found(text)), text
    found = _found("Staffing: HCA Faith staying late. Handed over: WM Tanner / received: CM Begum\nUsher: Frank.")
    assert {("PERSON", "Faith"), ("PERSON", "Tanner"), ("PERSON", "Begum"), ("PERSON", "Frank")} <= found
    assert ("PERSON", "Kerensa") in _found("Nurse in charge: Kerensa. Bed manager bleep 0781.")


def test_names_in_boxes_without_a_colon() -> None:
    text = ("2  Surname         |T|R|U|O|N|G|\nFirst names         |D|A|V|I|D| |G|A|R|E|T|H|\n"
            "1. Full name: |O|D|U|Y|A| |F|O|L|A|S|A|D|E|\nLast name        M|c|D|E|R|M|O|T|T")
    found = _found(text)
    assert {("PERSON", "T|R|U|O|N|G"), ("PERSON", "D|A|V|I|D| |G|A|R|E|T|H"), ("PERSON", "O|D|U|Y|A"),
            ("PERSON", "F|O|L|A|S|A|D|E"), ("PERSON", "M|c|D|E|R|M|O|T|T")} <= found


# -- thirteenth round: errors of hold-out v13 (a development set once hold-out v14 was written) ---------------


def test_initials_that_hand_over_record_or_sign_in_brackets() -> None:
    assert {("PERSON", "KB"), ("PERSON", "DR")} <= _found("Section 136 suite clean. Handed by KB to DR")
    assert ("PERSON", "ZS") in _found("Safe count correct. Handed over AM → ZS")
    assert ("PERSON", "LB") in _found("Practice use only: registered by LB, PR-88120")
    assert ("PERSON", "DW") in _found("Approved address check done by DW 26/02.")
    assert ("PERSON", "AK") in _found("2. MASIH, Yousaf – 74 – palliative review – Dr AK\n3. next patient")
    assert ("PERSON", "GMcK") in _found("Next visit booked.\nOfficer: GMcK")
    assert ("PERSON", "KMH") in _found("Vape found in bag. Both to isolation. (KMH)")
    assert {("PERSON", "RH"), ("PERSON", "NM")} <= _found("Continue to monitor; review before Easter.\nRH / NM")
    assert {("PERSON", "AB"), ("PERSON", "HF")} <= _found("Co-ordinator: Anita. Signed AB/HF")
    for text in ("Referred by DWP.", "Paid by BACS, thanks", "Adviser: CIS helpline, Natalie speaking.",
                 "Our Civil Enforcement Officer CEO NM204 took photographs."):
        assert not any(span in ("DWP", "BACS", "CIS", "CEO") for _, span in _found(text)), text


# -- fourteenth round: errors of hold-out v14 (a development set once hold-out v15 was written) ---------------


def test_the_writers_a_thread_names_where_their_posts_open() -> None:
    text = ("r/leeds · posted by u/mossy_brook_77 · 4h\nanyone else had the bins missed?\n"
            "  ↳ petalstorm · 3h\n  same here\n  ↳ u/mossy_brook_77 · 3h\n  ta\n"
            "  ↳ LeedsCityCouncil (official) · 1h\n  Please DM us.\n  ↳ u/AutoModerator · 1h\n  Be kind.")
    found = _found(text)
    assert {("PERSON", "mossy_brook_77"), ("PERSON", "petalstorm")} <= found
    assert not any(span in ("LeedsCityCouncil", "AutoModerator") for _, span in found)
    chat = ("Library Service – Teams\ncal.m 09:01: a purse in the quiet room\nbex_t 09:03: put it in the safe\n"
            "cal.m 09:05: done, @bex_t")
    found = _found(chat)
    assert {("PERSON", "cal.m"), ("PERSON", "bex_t")} <= found
    assert [chat[e.start : e.end] for e in detect(chat)].count("bex_t") == 2  # the @mention too
    discord = "zedXtreme09 — Today at 21:02\nnotes anyone?\nmoon.kid — Today at 21:03\nsent\nRotaBot — Today at 21:04\nAGM"
    found = _found(discord)
    assert {("PERSON", "zedXtreme09"), ("PERSON", "moon.kid")} <= found and ("PERSON", "RotaBot") not in found


def test_a_handle_is_one_name_not_the_first_name_inside_it() -> None:
    found = _found("ellie_d_1988: is that the park by the canal?\ngraz.k: yes\nellie_d_1988: ta")
    assert ("PERSON", "ellie_d_1988") in found and ("PERSON", "ellie") not in found


def test_fields_and_platform_names_are_not_writers() -> None:
    for text in ("Patient: Ola Bankole\nD.O.B: 02/03/1970\nNHS no: 943 476 5919",
                 "PoP: Dean Rix (CRN X99812)\nSeen at office.", "Nextdoor · Roath\nJan Price · Roath\nlost cat"):
        found = _found(text)
        assert not any(span in ("D.O.B", "PoP", "Nextdoor") for _, span in found), text


def test_handles_named_with_their_platform() -> None:
    assert ("PERSON", "tayy.b_04") in _found("He has been messaged on Snapchat (tayy.b_04) by an older male.")
    assert ("PERSON", "reece_k9") in _found('Known online as "reece_k9". TikTok name reece_k9.')
    assert not any(label == "PERSON" for label, _ in _found("Rent account HC00817 is in arrears."))


def test_a_form_written_as_a_two_column_table() -> None:
    text = ("| Field | Entry |\n| Surname | Achterberg-Lowe |\n| First name | Femke |\n| Date of birth | 03/05/1986 |\n"
            "| Address | 12 Wren Close, Hexham NE46 3QT |\n| Phone | 01632 960 441 |\n| Office use | R-2231 |")
    found = _found(text)
    assert {("PERSON", "Achterberg-Lowe"), ("PERSON", "Femke"), ("DATE_OF_BIRTH", "03/05/1986"),
            ("ADDRESS", "12 Wren Close, Hexham"), ("POSTCODE", "NE46 3QT")} <= found
    assert not any(span in ("First name", "Date of birth", "Address", "Phone", "Office use") for _, span in found)


def test_surname_first_names_in_a_row_of_cells() -> None:
    found = _found("Seating plan\nRow A: Achebe, Chidera | Novak, Tereza | Rahman, Ishaan\nRow B: Walsh, Orla")
    assert {("PERSON", "Achebe, Chidera"), ("PERSON", "Novak, Tereza"), ("PERSON", "Rahman, Ishaan")} <= found


def test_initials_of_people_named_in_full_in_the_same_minutes() -> None:
    text = ("Present: Dr T. Okafor (TO, Chair), Bryony Kettle (BK, Housing), Idris Vaughan-Morgan\n"
            "1. IVM reported two incidents. Housing (BK) confirmed the transfer.\nActions: TO to review; IVM – letter to "
            "the school. BK to move the case.")
    found = _found(text)
    assert {("PERSON", "TO"), ("PERSON", "BK"), ("PERSON", "IVM")} <= found
    assert [text[e.start : e.end] for e in detect(text)].count("IVM") == 2
    for text in ("Ian Davies brought his ID badge.", "Helen Morris wrote to HM Revenue & Customs.",
                 "Our ref: MW/EST/0071\nDear Mrs Wynne, Mark Wynne's estate…"):
        assert not any(span in ("ID", "HM", "MW") for _, span in _found(text)), text


def test_initials_that_hand_over_with_a_role_or_sign_with_one() -> None:
    assert {("PERSON", "JB"), ("PERSON", "QT")} <= _found("Obs stable overnight.\nHanded over by JB (RN) to QT (RN) 07:30.")
    assert ("PERSON", "Farai") in _found("Dressing changed at 14:00.\nHanded over by Gwen to Farai.")
    assert ("PERSON", "KD") in _found("Staff: KD doing lone visit Splott – buddy is Sam.")
    assert ("PERSON", "EW") in _found("Next appointment 3/5, 10am.\nEW, Social Worker")
    assert ("PERSON", "GH") in _found("Night 1. GH (Gethin Howells) – settled, obs 2-hourly.")


def test_a_letterhead_unit_or_advice_office_is_not_a_home() -> None:
    text = ("North Wales Probation Delivery Unit\nLlys Gwynedd, 4 Castle Street, Caernarfon LL55 1SE\n"
            "Tel 01632 960 000\n\nPrivate\nMr Rhodri Lloyd")
    assert not any(label in ("ADDRESS", "POSTCODE") for label, _ in _found(text))
    letter = "Citizens Advice Hexham\nFloor 1, Abbey House, Market Place, Hexham NE46 3NH\n\nTo whom it may concern,"
    assert not any(label in ("ADDRESS", "POSTCODE") for label, _ in _found(letter))


# -- fifteenth round: errors of hold-out v15 (a development set once hold-out v16 was written) ---------------


def test_a_surname_ending_in_es_is_not_an_english_plural() -> None:
    text = "Interview – DC Ffion Rees (FR), interviewee Lewis Sparkes (LS)\nFR: Your name?\nLS: Lewis Sparkes.\nLS: No comment."
    found = _found(text)
    assert ("PERSON", "Lewis Sparkes") in found and ("PERSON", "LS") in found
    assert [text[e.start : e.end] for e in detect(text)].count("LS") == 3  # beside the name and as the speaker


def test_more_layouts_of_a_thread() -> None:
    text = ("r/AskUK · Posted by u/kettle_on_again\nTitle: neighbour's parcels\n▸ u/BinDayBarry: did you ask?\n"
            "▸ SconeWithJamFirst: YANBU\n💬 tegan.mai: same here\n💬 tegan.mai: ta")
    found = _found(text)
    assert {("PERSON", "kettle_on_again"), ("PERSON", "BinDayBarry"), ("PERSON", "SconeWithJamFirst"),
            ("PERSON", "tegan.mai")} <= found
    teams = "Jas K 10:14\nmorning all\nrory_mc 10:15\nmorning\nrory_mc 10:16\nwho has the van keys?"
    assert ("PERSON", "rory_mc") in _found(teams)


def test_a_speaker_named_in_full_is_one_name() -> None:
    text = "[19:05] Rob Kettering: yep\n[19:06] Mags: ok\n[19:09] Rob Kettering: will do"
    assert [text[e.start : e.end] for e in detect(text)].count("Rob Kettering") == 2
    described = "[19:05] Sue Next Door: bins out?\n[19:06] Mags: yes\n[19:09] Sue Next Door: ta"
    assert ("PERSON", "Sue") in _found(described) and ("PERSON", "Sue Next Door") not in _found(described)


def test_surname_first_names_in_a_numbered_line() -> None:
    found = _found("Waiting list: 1. Osei, Abena  2. Kowalczyk, Marta  3. Reid, Callum")
    assert {("PERSON", "Osei, Abena"), ("PERSON", "Kowalczyk, Marta")} <= found


def test_family_words_of_many_languages_and_field_labels_after_a_nickname() -> None:
    for text, word in (("Oh and Nain says thank you for the flowers.", "Nain"), ("WhatsApp – \"Nani's 80th\"", "Nani"),
                       ("Hello, it's yer gran. Call me back.", "yer")):
        assert not any(span == word for _, span in _found(text)), text
    found = _found('Victim: Agnieszka Nowak ("Aga")   DOB: 09/09/1990')
    assert ("PERSON", "Aga") in found and ("PERSON", "DOB") not in found


def test_staff_changing_over_and_a_name_signed_with_a_longer_role() -> None:
    found = _found("SBAR handover 20:00 – Midwife out: RT   Midwife in: Funmi\nRoom 4 – settled")
    assert {("PERSON", "RT"), ("PERSON", "Funmi")} <= found
    found = _found("Stairlift referral made. Review in 2 weeks.\nAdaeze Nwachukwu-Ibe, Hospital Social Worker, 07700 900872")
    assert ("PERSON", "Adaeze Nwachukwu-Ibe") in found


# -- sixteenth round: errors of hold-out v16 (a development set once hold-out v17 was written) ---------------


def test_a_table_headed_surname_comma_forename() -> None:
    text = "No | Surname, Forename | DOB | Weight\n1 | PATEL, Veer | 02/04/2012 | 42kg\n2 | WALSH, Kayla-Rose | 25/05/2011 | 51kg"
    found = _found(text)
    assert {("PERSON", "PATEL, Veer"), ("DATE_OF_BIRTH", "02/04/2012"), ("DATE_OF_BIRTH", "25/05/2011")} <= found


def test_exported_chats_name_their_writers() -> None:
    teams = ("[Teams – chat export]\nOkafor, Ngozi 09:14\nanyone on duty?\nBrennan, Siobhan (ASC) 09:16\nme, till 11\n"
             "Okafor, Ngozi 09:17\nthanks")
    found = _found(teams)
    assert {("PERSON", "Okafor, Ngozi"), ("PERSON", "Brennan, Siobhan")} <= found
    slack = "#ops-yard · Slack\ntomasz.w 06:02  keys for van 3?\nbev.r 06:05  in the safe\ntomasz.w 06:06  ta"
    found = _found(slack)
    assert {("PERSON", "tomasz.w"), ("PERSON", "bev.r")} <= found and ("PERSON", "ops-yard") not in found
    reddit = "  ▲ 212  u/Crumpet_Queen_9: No, not without notice.\n    ▲ 12  u/spanner-dan: agreed"
    assert {("PERSON", "Crumpet_Queen_9"), ("PERSON", "spanner-dan")} <= _found(reddit)
    insta = "@jojo_mensah  so proud 😘\n@amara.k  same!!\n@CityTrains  sorry for the delay"
    found = _found(insta)
    assert {("PERSON", "jojo_mensah"), ("PERSON", "amara.k")} <= found and ("PERSON", "CityTrains") not in found


def test_a_reply_that_names_its_reader_after_an_at_sign() -> None:
    found = _found("Lost dog seen on Park Road\n  Jodie Marsh  @Lena Okoro thank you!! going now")
    assert ("PERSON", "Lena Okoro") in found


def test_initials_after_a_label_that_signs_or_receives() -> None:
    for text, initials in (("For practice use – registered by: LW", "LW"), ("Signed JO / received TK", "TK"),
                           ("Office use: checked RMcK 14/01/25", "RMcK"), ("Next meeting 11 Feb. Minutes: LP", "LP"),
                           ("Client to email the form.\nSJ – Housing Solutions Officer", "SJ")):
        assert ("PERSON", initials) in _found(text), text


# -- seventeenth round: errors of hold-out v17 (a development set once hold-out v18 was written) ---------------


def test_a_landline_typed_with_a_digit_too_many_after_a_phone_label() -> None:
    assert ("PHONE_UK", "01274 496 0157") in _found("Email: r.k@example.com\nPhone: 01274 496 0157\nAddress: 2 Elm Row")
    assert not any(label == "PHONE_UK" for label, _ in _found("Order ref 01274 496 0157 dispatched."))
    assert not any(label == "PHONE_UK" for label, _ in _found("Gave her our office number 01303 496 0000."))


def test_numbers_said_with_hundreds_and_hyphens() -> None:
    assert ("PHONE_UK", "oh seven seven double-oh nine hundred, two one nine") in _found(
        "PATIENT: Or my mobile, oh seven seven double-oh nine hundred, two one nine.")
    assert ("PHONE_UK", "oh seven seven hundred, nine double oh, seven six one") in _found(
        "ring my work mobile, which is oh seven seven hundred, nine double oh, seven six one.")
    assert not _found("we had nine hundred people there and about two hundred left")


def test_prison_officers_by_grade_and_letterheads_of_housing_and_accountants() -> None:
    assert {("PERSON", "Okoye"), ("PERSON", "Brennan")} <= _found("Visits hall: OSG Okoye. Searches: OSG Brennan.")
    for head in ("Riverside Vale Housing", "MacLeod Munro Chartered Accountants"):
        letter = f"{head}\n14 Academy Street, Inverness IV1 1JN\n\n18 December 2023\n\nDear Mr Fraser,"
        assert not any(label in ("ADDRESS", "POSTCODE") for label, _ in _found(letter)), head


def test_dotted_initials_before_a_surname_where_a_form_is_signed() -> None:
    found = _found("Declaration signed: A.M. Jama / H.A. Warsame   Date: 20/02/2024")
    assert {("PERSON", "A.M. Jama"), ("PERSON", "H.A. Warsame")} <= found
    assert not any(label == "PERSON" for label, _ in _found("Approved by J.B. Priestley Library."))


def test_nicknames_in_quotes_where_someone_is_known_by_them() -> None:
    for text, nick in (('I bought it from a man I know as "Skinny" at a car wash.', "Skinny"),
                       ('Suspect, approx 20, known locally as "Tizzy".', "Tizzy"),
                       ('Detained person: Jamal Hersi   Aliases: "J-Dog"', "J-Dog"),
                       ('Present: Gráinne Devlin, Mickey Hughes ("Red"), Fr Dominic Lavery', "Red"),
                       ('seen passing item to another male ("Deio").', "Deio")):
        assert ("PERSON", nick) in _found(text), text
    for text in ('Pets: [X] Yes – cat ("Mishmish")', 'Got a letter ("Simple Assessment") saying I underpaid'):
        assert not any(label == "PERSON" for label, _ in _found(text)), text


# -- eighteenth round (in progress): errors of hold-out v18 (hold-out v19 written blind, not yet scored) -------


def test_a_table_whose_first_column_is_headed_with_a_hash() -> None:
    text = "| #  | Surname   | First name | DOB        |\n| 1  | ARMSTRONG | Mia        | 04/10/2012 |\n| 2  | OKORO     | Grace      | 19/01/2013 |"
    found = _found(text)
    assert {("PERSON", "ARMSTRONG"), ("PERSON", "Grace"), ("DATE_OF_BIRTH", "04/10/2012"), ("DATE_OF_BIRTH", "19/01/2013")} <= found


def test_initials_before_a_slash_and_reddit_scores_with_a_dot() -> None:
    assert {("PERSON", "KO"), ("PERSON", "JD")} <= _found("Bank request BK-20931 unfilled.\nHanded over by KO / received JD")
    text = "  ▲ 412 · u/Quiet_Barrister_76 · 4h\n  If it wasn't protected…\n  ▲ 57 · u/northern_lad_85 · 4h\n  Shelter"
    assert {("PERSON", "Quiet_Barrister_76"), ("PERSON", "northern_lad_85")} <= _found(text)


def test_a_post_stamped_with_a_date_and_a_time_gives_no_birth_date() -> None:
    text = ("Would you want your MIL at the birth?\nHollyhock_22 · Sun 11-Feb-24 20:41:07\nShe keeps asking.\n"
            "Pebble_Mum · Sun 11-Feb-24 20:44:52\nNo way.")
    assert not any(label == "DATE_OF_BIRTH" for label, _ in _found(text))
    assert ("DATE_OF_BIRTH", "4 March 2024") in _found("Baby Ezra was born 4 March 2024 at 03:12, weighing 7lb.")


def test_forum_shorthand_and_greetings_in_community_languages_are_not_names() -> None:
    text = "DH says I'm overreacting and MIL agrees. AIBU?\nWIBU to say no? YANBU."
    assert not any(label == "PERSON" for label, _ in _found(text))
    for text in ("Bună ziua! Caut o femeie de serviciu.", "Nu dați bani în avans!", "Is mise le meas,",
                 "Waheguru ji ka Khalsa, Waheguru ji ki Fateh"):
        assert not any(label == "PERSON" for label, _ in _found(text)), text


def test_a_reply_to_a_full_name_written_before_a_word_in_another_script() -> None:
    assert ("PERSON", "Dorina Munteanu") in _found("Mulțumesc! @Dorina Munteanu ți-am trimis mesaj")


def test_a_surname_first_name_after_a_word_of_the_log() -> None:
    assert ("PERSON", "PENHALIGON, Royston") in _found("19:05 Suspect PENHALIGON, Royston, DOB 02/05/1968, arrested.")


def test_the_town_of_an_address_before_its_postcode_is_not_a_name() -> None:
    text = "Orchard Vale Surgery, 14 Brook Street, Stanley DH9 0XX  Tel 01207 000 222"
    assert not any(label == "PERSON" for label, _ in _found(text))


def test_organisations_lines_by_how_they_are_given() -> None:
    for text in ("Their duty line is 01603 223 114 if it happens again.",
                 "Duty phone: 0113 496 0871. Keys with night staff.",
                 "or the main office on 020 7946 0731 and ask for anyone in the team.",
                 "Always phone our office on 0161 496 0552 before paying.",
                 "Our number's 0115 496 0713, option 3.",
                 "Gower Road Surgery, 3 Gower Road, Swansea SA2 9XX\nAppointments: 01792 000 341",
                 "To: Pennine Property Lettings (01422 496 0123)\nhi the boiler is off again",
                 "Thanks,\nMirza & Co Chartered Accountants · 0116 496 0713",
                 "Funeral directors: Al-Noor Funeral Services 24hr 0121 496 0772"):
        assert not any(label == "PHONE_UK" for label, _ in _found(text)), text
    assert ("PHONE_UK", "01851 860 274") in _found("Is your number still 01851 860 274?")


def test_initials_in_brackets_after_a_first_name_with_their_letter() -> None:
    text = "Adviser: Rupert (RH)\nClient attended with a friend.\nRH to chase the landlord."
    found = _found(text)
    assert ("PERSON", "RH") in found


# -- nineteenth round: errors of hold-out v19 (hold-out v20 scored once blind at its end) ----------------------


def test_organisations_bank_details_and_addresses_by_how_they_are_given() -> None:
    for text in ("Please pay the deposit to Lindqvist Solicitors Client Account, sort code 20-45-77, account 73019928.",
                 "Donations go to our CAF Bank charity account, sort code 40-52-40, account 00031187."):
        assert not any(label in ("SORT_CODE", "ACCOUNT_NUMBER") for label, _ in _found(text)), text
    text = "Minutes of the board held at the registered office, 9 Leith Walk, Edinburgh EH6 8XX, on 3 May 2024"
    assert not any(label in ("ADDRESS", "POSTCODE") for label, _ in _found(text))
    text = "Name and full postal address of your bank: Monzo Bank, 5th Floor, 7 Canal Way, London EC1A 9XX"
    assert not any(label in ("ADDRESS", "POSTCODE", "PERSON") for label, _ in _found(text))


def test_words_for_a_parent_a_class_a_prayer_and_a_floor_are_not_names() -> None:
    for text in ('Voicemail – Ammi\'s mobile\n"Ammi, it\'s Sana. Ring me back."', "Pupil: Eilidh MacRae, P4 (Clas 4A)",
                 "Next meeting after Jumu'ah, 8 March.", "Kerr Okafor Solicitors\n2nd Floor, 12 Bute Street, Cardiff"):
        assert not any(label == "PERSON" and span in ("Ammi", "Clas", "Jumu'ah", "Floor") for label, span in _found(text)), text
    assert ("PERSON", "Eilidh MacRae") in _found("Pupil: Eilidh MacRae, P4 (Clas 4A)")


def test_pets_named_before_what_they_are_or_by_their_pen() -> None:
    text = ("Overnight: RVN Priya\nKennel 3 – Rosie, Springer 4y F (owner Mr Dafydd Howells). Bloods due 8am.\n"
            "Cage 2 – Oscar, guinea pig, eating well.\nMaisie (rabbit) – home today.")
    found = _found(text)
    assert not any(label == "PERSON" and span in ("Rosie", "Oscar", "Maisie") for label, span in found), found
    assert ("PERSON", "Dafydd Howells") in found and ("PERSON", "Priya") in found
    assert ("PERSON", "Rosie") in _found("Spoke to Rosie, the owner's daughter, about the bill.")


def test_the_start_of_a_bodys_name_is_not_a_person() -> None:
    for text in ("Reported to Avon and Somerset Police on 101 this morning.",
                 "Kent Community Health NHS Foundation Trust – discharge referral",
                 "Employer: NHS Greater Glasgow and Clyde, pay number 7718204"):
        assert not any(label == "PERSON" and span in ("Avon", "Kent", "Clyde") for label, span in _found(text)), text
    assert ("PERSON", "Kent") in _found("Spoke to Kent and his mum about the repair.")


def test_a_registration_and_a_question_are_not_names() -> None:
    assert not any(label == "PERSON" for label, _ in _found("Reg is KX19 BHT, silver, full service history."))
    text = "Present: Will Ashdown, Mo Begum\n1. Parking – Will it be resurfaced this year? Council to confirm."
    found = _found(text)
    assert ("PERSON", "Will Ashdown") in found and not any(span == "Will" for _, span in found), found


def test_an_organisations_premises_before_its_address() -> None:
    for text in ("Your prescription is ready to collect from Lloyds Pharmacy, 4 Castle Street, Hinckley.",
                 "St Bede's Catholic High School\nOrmskirk Road, Wigan WN5 9XX\n3 May 2024\nDear Mrs Ali,",
                 "Kind regards,\nSue Platt\nPlatt Accounts – 8 Mill Lane, Bolton BL1 4XX",
                 "Your hearing will be at 10:00 at Leeds Employment Tribunal Hearing Centre, City Exchange, Albion "
                 "Street, Leeds."):
        assert not any(label in ("ADDRESS", "POSTCODE") for label, _ in _found(text)), text
    text = "Home address: The Flat, above Khan Pharmacy, 2 Market Street, Darwen BB3 1XX"
    assert any(label == "ADDRESS" for label, _ in _found(text))


def test_shared_and_office_numbers_by_how_they_are_given() -> None:
    for text in ("Night: JP, Dee    Duty phone: 07700 900 318", "Office line 0113 496 0122 (Mon–Wed only).",
                 "Bank shift still open – ring Staff Bank on 0161 496 0900.",
                 "Send forms to office@stmarys-pri.sch.uk or 01632 960 331.",
                 "Reply Y to confirm or call 0114 496 0201 to rearrange.",
                 "just get a cab – Hamilton Taxis 01698 496 0770"):
        assert not any(label == "PHONE_UK" for label, _ in _found(text)), text


def test_a_benefit_or_a_unit_typed_in_lower_case_is_not_a_name() -> None:
    for text in ("hiya my pip is being reviewed and my esa stopped", "running late, there in 5 min"):
        assert not any(label == "PERSON" for label, _ in _found(text)), text


def test_vietnamese_given_names_stay_with_the_family_name() -> None:
    for text, name in (("Patient: Ms Tran Thu Ha, DOB 02/03/1988", "Tran Thu Ha"),
                       ("| DINH, Thu Ha | 04/05/2014 | 07700 900 123 |", "DINH, Thu Ha")):
        assert ("PERSON", name) in _found(text), _found(text)


def test_a_chat_exports_own_author_in_its_header() -> None:
    text = "Teams chat: Adeyemi, Funmi / Clarke, Joe (Benefits)\nAdeyemi, Funmi 10:02\nmorning Joe, quick one"
    assert ("PERSON", "Adeyemi, Funmi") in _found(text)


def test_initials_in_signature_boxes_staff_fields_and_after_a_role() -> None:
    for text, ini in (("Registered by: KP   Practice ID: 100233", "KP"), ("Signed: GT     Date: 03/04/2024", "GT"),
                      ("Visitor signature checked. Staff: MW", "MW"), ("HN to coordinate the rota.", "HN"),
                      ("Raised with the safeguarding lead (PB) for advice.", "PB"),
                      ("Drugs register checked and signed by TL and RV.", "RV"),
                      ("Present: Mr J Okafor (JO, Chair), Ms R Bell (RB)\nJO opened the meeting.", "JO")):
        assert ("PERSON", ini) in _found(text), text


def test_a_slack_exports_authors_and_a_headers_display_name() -> None:
    text = "Slack export – #housing-team\nmo.rahman  9:41 AM\nanyone seen the void list?\nkeeley_w  9:43 AM\nyes, sent it"
    found = _found(text)
    assert ("PERSON", "mo.rahman") in found and ("PERSON", "keeley_w") in found, found
    text = "From: Housing Options <housing@example.gov.uk>\nTo: Lau Ka Wing <kawing.lau@example.com>\nSubject: your case"
    assert ("PERSON", "Lau Ka Wing") in _found(text)


# -- twentieth round: errors of hold-out v20 (hold-out v21 scored once blind at its end) -----------------------


def test_a_form_of_field_and_value_rows_is_not_a_column_of_names() -> None:
    text = ("| | |\n|---|---|\n| Surname | Kowalczyk |\n| Forenames | Anna Maria |\n| Previous surname | – |\n"
            "| Date of birth | 03-Mar-1990 |\n| Address | 4 Elm Row, Leeds |\n| Signed | A Kowalczyk |")
    found = _found(text)
    assert not any(span in ("Previous surname", "Date of birth", "Address", "Signed") for _, span in found), found
    assert ("PERSON", "Anna Maria") in found and ("DATE_OF_BIRTH", "03-Mar-1990") in found, found


def test_chat_authors_in_bold_and_call_signs() -> None:
    text = "#rehoming · Slack\n**nadia.k** 09:02\nhome check booked\n**tom_v** 09:05\nnice one nadia"
    found = _found(text)
    assert ("PERSON", "nadia.k") in found and ("PERSON", "tom_v") in found, found
    text = "CALLER: Is anyone coming?\nHANDLER: Yes, Delta Kilo 21 is on the way, about four minutes out."
    assert not any(label == "PERSON" for label, _ in _found(text))


def test_public_figures_boards_and_school_words_of_wales_and_ireland() -> None:
    for text in ("Open letter to Humza Yousaf on the cost of living.",
                 "Radio 2 phone-in\nJEREMY VINE: Who's next?\nCALLER: Hello, it's about a scam text.",
                 "Referred to CAMHS Hywel Dda and the Betsi Cadwaladr team.",
                 "Cofnodion / Minutes – Nos Fawrth 12 Mawrth\n1. Ffair Haf – stall list\n2. Disgo Pasg – 28 Mawrth",
                 "Cylch Meithrin Aberaeron – registration form", "She attends Naíscoil Ard Mhacha three mornings."):
        assert not any(label == "PERSON" for label, _ in _found(text)), (text, _found(text))


def test_firms_sign_off_lines_and_offices() -> None:
    for text in ("Kind regards,\nPriya\nPatel Accounts | 9 Mill Street, Leek ST13 5XX | 01538 496 000",
                 "Yours faithfully,\nBrindle & Khan Solicitors LLP\n2nd Floor, 10 Quay Street, Manchester M3 3XX\n"
                 "DX 14000 Manchester 1 | 0161 496 0000",
                 "Ewa Nowak | HR Adviser | Tynebank Logistics Ltd\nUnit 6, Team Valley, Gateshead NE11 0XX | 0191 496 0000",
                 "If easier, bring the forms to the office at 40 Green Lanes, London N4 1XX.",
                 "Your hearing: Social Security and Child Support Tribunal, Crown House, 2 King Street, Leeds",
                 "Licence variation – Jade Garden Takeaway, 21 Chester Road, Sunderland"):
        assert not any(label in ("ADDRESS", "POSTCODE", "PHONE_UK") for label, _ in _found(text)), (text, _found(text))
    text = "Her address: Rosewood Care Home, 2 Linden Avenue, Harrogate HG1 4XX"
    assert any(label == "ADDRESS" for label, _ in _found(text))


def test_care_homes_book_characters_charities_and_ambulance_services() -> None:
    for text in ("Bryn Glas Care Home – staff rota w/c 04/03/2024", "He has loved the Horrid Henry books this term.",
                 "Non-uniform day: £1 for Save the Children.", "Taken to Leeds General by YAS at 14:10.",
                 "Agency: Premier Nursing Rhyl 01745 496 000"):
        assert not any(label in ("PERSON", "PHONE_UK") for label, _ in _found(text)), (text, _found(text))


def test_a_title_makes_a_word_a_surname_but_not_a_pets_name() -> None:
    found = _found("Lifts out since Friday; incl. Mr Harries on the 7th floor is stuck.")
    assert ("PERSON", "Harries") in found, found
    for text in ("LOST – our cat Mr Whiskers, ginger, last seen on Brynmill Road",
                 "Kennel 2 – Mr Tibbs, DSH cat 9y MN, eating well"):
        assert not any(span in ("Whiskers", "Tibbs") for _, span in _found(text)), text


def test_a_split_mc_and_an_initial_after_signed() -> None:
    assert ("PERSON", "Niall Mc Cormick") in _found("Injured party: Niall Mc Cormick\nDOB: 26-11-1972")
    assert ("PERSON", "A Munteanu") in _found("I have never seen him before.\n\nSigned: A Munteanu   Taken by: PC Lamont")


def test_initials_after_a_caret() -> None:
    assert ("PERSON", "TW") in _found("Sorry to hear that – DM us your booking ref and we'll look into it ^TW")


# -- twenty-first round: errors of hold-out v21 (hold-out v22 scored blind at its end; v23 written blind) ---------


def test_call_signs_bots_rota_weeks_and_pets_listed_together() -> None:
    for text in ("Call sign Lima 14 searched the area, nil trace.", "Stopped on Dale Road by Charlie 2-1 at 01:40.",
                 "Your online assistant Wanda keeps closing my chat.", "btw Amelia (the new webchat bot) is wrong",
                 "Wk 1 (3–9 Mar): on call", "Cat ward – Mr Whiskers, Luna and Shadow, all stable.",
                 "Nextdoor · Heaton Moor"):
        assert not any(label == "PERSON" for label, _ in _found(text)), (text, _found(text))
    assert ("PERSON", "Charlie") in _found("Charlie 12 has been off school all week, says mum.")


def test_a_speaker_labelled_by_the_surname_of_someone_named_in_full() -> None:
    text = ("LR: Can you confirm your full name?\nPIKE: Graham Leonard Pike.\nLR: Thank you.\nPIKE: No comment.")
    assert sum(1 for e in detect(text) if (e.label, text[e.start : e.end]) == ("PERSON", "PIKE")) == 2
    # a role in capitals stays a role where nobody of that surname is named
    text = "ADVISER: Hello, who am I speaking to?\nCALLER: Jo Bright.\nADVISER: Thanks Jo.\nCALLER: Ta."
    assert not any(span in ("ADVISER", "CALLER") for _, span in _found(text))


def test_a_landline_named_for_the_place_that_answers_it_or_a_number_someone_rang() -> None:
    for text in ("Practice tel: 0121 554 9021", "Jamie: or the agency 0113 320 0450",
                 "Visitors: sign in at reception, 01422 288 001.", "Supervisor: see rota.   Control room 0121 368 1166",
                 "Contact for the school: 028 8772 2441.", "Manager on call 020 7395 0220",
                 "Kelly\nHarrowvale Lettings | 020 8863 4410", "I have rung 0121 303 1111 more times than I can count.",
                 "reported to 101, ref 0114 250 3399 (its the crime ref)"):
        assert ("PHONE_UK" not in {label for label, _ in _found(text)}), (text, _found(text))
    assert ("PHONE_UK", "07946 803 511") in _found("Jamie: 07946 803 511, or the agency 0113 320 0450")
    assert ("PHONE_UK", "0161 496 0921") in _found("If you need me, ring me on 0161 496 0921.")


def test_places_after_a_preposition_celtic_house_names_and_months() -> None:
    for text, word in (("Our son's on his way from Ystradgynlais as well.", "Ystradgynlais"),
                       ("Anyone recommend a childminder near Rhosddu?", "Rhosddu"),
                       ("Hospital bed ordered from Medequip.", "Medequip"),
                       ("He fell at his home, Chy an Mor, Trevithick Road, Camborne.", "Mor"),
                       ("Is his address still Tigh na Mara, Ardconnel Road, Oban?", "Mara"),
                       ("Stars of the week: Dosbarth Onnen – Amira Khalil", "Onnen"),
                       ("School: Ysgol Pen y Bryn", "Bryn"), ("Bus reg SA70 CTO – MOT due April.", "April"),
                       ("@SueTheBrummie · Jun 8", "Jun")):
        assert not any(span == word for _, span in _found(text)), (text, _found(text))
    assert ("PERSON", "Amira Khalil") in _found("Stars of the week: Dosbarth Onnen – Amira Khalil")
    assert ("PERSON", "June") in _found("Diagnosis discussed with daughter June on 14/04/2024.")
    assert ("PERSON", "Bryn") in _found("Bryn rang to say he will be late.")


def test_an_organisations_handle_written_with_its_acronym() -> None:
    text = "my claim is stuck and my JCP can't do anything. @DWPgovuk sort it out!!!\n  ↳ @DWPgovuk: Hi, we can't " \
           "discuss personal details here."
    assert not any(label == "PERSON" for label, _ in _found(text)), _found(text)
    assert ("PERSON", "LeanneGrahamB16") in _found("  ↳ @LeanneGrahamB16: same here, nobody came")


def test_a_verb_opening_an_instruction_is_not_part_of_the_name_and_the_gp_is_a_role() -> None:
    assert ("PERSON", "Ravi") in _found("Owner collecting at 8.30.\nCall Ravi on his mobile if anything changes.")
    assert ("PERSON", "Sandra") in _found("Rota below.\nRing Sandra if you can't make it.")
    text = "From: Gwen Pritchard\n\nHer grandson sleeps in there and the GP at Llwynypia Surgery has written a letter."
    assert ("PERSON", "GP") not in _found(text)


def test_house_names_and_student_villages_before_a_postcode() -> None:
    text = "Morag will be staying with her at Tigh na Mara, Lochcarron IV54 8YB for the first week."
    assert ("ADDRESS", "Tigh na Mara, Lochcarron") in _found(text)
    text = "I'm in Room 7, Flat 3, Elms Village, Malone Road, Belfast BT9 6SA and would like to swap."
    assert ("ADDRESS", "Room 7, Flat 3, Elms Village, Malone Road, Belfast") in _found(text)
    assert ("ADDRESS", "Fferm Pen-y-Bont, Llanrhystud") in _found("Owner Ieuan Jenkins, Fferm Pen-y-Bont, Llanrhystud SY23 5DZ.")


def test_a_street_named_as_where_someone_lives() -> None:
    for text, street in (("Biscuit got out this morning from ours on Lindley Street near the Co-op.", "Lindley Street"),
                         ("Got out of our back garden on Beech Avenue last night.", "Beech Avenue"),
                         ("sofa-surfing at cousin Marian's flat on Alfreton Road.", "Alfreton Road"),
                         ("My dad lives on his own on Springfield Road", "Springfield Road")):
        assert ("ADDRESS", street) in _found(text), (text, _found(text))
    for text in ("Currently at McDonald's on Kingston High Street.", "someone is going door to door on Nicolas Road",
                 "asking him to take parcels to a flat on Ladypool Road."):
        assert "ADDRESS" not in {label for label, _ in _found(text)}, (text, _found(text))


def test_dates_of_birth_said_in_words() -> None:
    for text, value in (("JEN: Date of birth, Jordan?\nMALE: Fourth of the ninth, oh two.", "Fourth of the ninth, oh two"),
                        ("Is it the second of June nineteen forty-six? Call me.", "second of June nineteen forty-six"),
                        ("CALLER: Eighty-one, born nineteen forty-two, the fifth of May.",
                         "nineteen forty-two, the fifth of May"),
                        ("AGENT: Ten of May, ninety-three, yes I've got her.", "Ten of May, ninety-three")):
        assert ("DATE_OF_BIRTH", value) in _found(text), (text, _found(text))
    for text in ("We got married on the fifth of May nineteen ninety.", "The letter is dated the fifth of May twenty twenty-four."):
        assert "DATE_OF_BIRTH" not in {label for label, _ in _found(text)}, (text, _found(text))


def test_a_lone_first_name_that_opens_a_clubs_or_a_places_name() -> None:
    for text, word in (("Ashton Athletic JFC – U12 Girls squad", "Ashton"), ("Leith Community Larder SCIO – Board", "Leith"),
                       ("Agency: Prestige Nursing Colwyn Bay 01492 530600", "Colwyn"),
                       ("Persistent absence highest in Year 5 (Malala Class).", "Malala")):
        assert not any(span == word for _, span in _found(text)), (text, _found(text))
    assert ("PERSON", "Ashton") in _found("My son Ashton plays for the under 12s.")


# -- twenty-second round: errors of hold-out v22 (scored blind at the end of round 21; v23 written blind) ---------


def test_dates_of_birth_in_a_numbered_list_of_names_without_a_stop() -> None:
    text = "Class list\n1  ALI, Hamza           23/02/2017\n2  BROWN, Isla          30/12/2016   (PEG)\n"
    assert {("DATE_OF_BIRTH", "23/02/2017"), ("DATE_OF_BIRTH", "30/12/2016")} <= _found(text), _found(text)


def test_junior_as_what_someone_is_called() -> None:
    text = "Auntie Marcia: Repast at Junior's yard after\nJunior: 81 Rookery Road everyone.\nJunior: yeah I have it."
    assert ("PERSON", "Junior") in _found(text), _found(text)
    for text in ("She moves up to Hillside Junior School in September.", "The junior doctor reviewed him at 9."):
        assert not any(label == "PERSON" for label, _ in _found(text)), (text, _found(text))


def test_a_pip_assessments_health_professional_and_a_hostels_rooms() -> None:
    text = "HP: Hello, is that Priya Nair? My name is Graham.\nPN: Yes that's me.\nHP: Can you confirm your address?\nPN: Yes."
    found = _found(text)
    assert ("PERSON", "HP") not in found and ("PERSON", "Priya Nair") in found, found
    text = "Night handover\nRm 3 Darren Wilkes – came back 20:45\nRm 6 Gintaras – court tomorrow 10am"
    assert not any(span == "Rm" for _, span in _found(text)), _found(text)


def test_a_prisoner_before_their_prison_number() -> None:
    text = "ACCT open:\n B2-14 FORDE A5521CZ – obs 2 per hour\nHealthcare: B1-20 Mensah A8840DL – methadone 07:30"
    assert {("PERSON", "FORDE"), ("PERSON", "Mensah")} <= _found(text), _found(text)
    assert ("PERSON", "NOMIS") not in _found("PoP: Connor Hebblethwaite  CRN X419220  NOMIS A4471DK")


def test_british_short_forms_and_a_neighbour_who_speaks() -> None:
    text = "Gav next door: Alright mate theres a parcel for u\nMe: cheers Gav\nGav next door: no bother"
    assert ("PERSON", "Gav") in _found(text), _found(text)
    assert ("PERSON", "Mags") in _found("Coordinator on call: Mags (ask for Margaret Brodie if calling)")


def test_a_car_makers_name_opens_a_model_or_an_employer() -> None:
    for text in ("Vehicle 2: WN21 BXO Nissan Qashqai, grey", "He has lost his job at Nissan over this.",
                 "client's car (Nissan Micra, DL14 FVC) worth under £4,000"):
        assert not any(label == "PERSON" for label, _ in _found(text)), (text, _found(text))


def test_a_vietnamese_womans_forenames_after_thi() -> None:
    text = "Surname: NGUYEN   Forenames: Thi Thu Hà   Previous surname: Tran"
    assert ("PERSON", "Thi Thu Hà") in _found(text), _found(text)


def test_a_date_of_birth_said_as_three_numbers_without_commas() -> None:
    text = "AGENT: Can you confirm your date of birth?\nTENANT: twelve nine sixty-eight\nAGENT: What's the problem?"
    assert ("DATE_OF_BIRTH", "twelve nine sixty-eight") in _found(text), _found(text)
    assert "DATE_OF_BIRTH" not in {label for label, _ in _found("I waited twenty five minutes, then two three more.")}


def test_a_street_shortened_and_an_exhibits_mark() -> None:
    for text, word in (("Shared x saw a grey one on Arabella St last night", "Arabella St"),
                       ("pick up from Greggs on Victoria Rd. Bring ur provisional!", "Victoria Rd"),
                       ("Lock knife (seized, exhibit TR/1).", "TR")):
        assert ("PERSON", word) not in _found(text), (text, _found(text))


def test_an_advice_line_and_a_firms_number_between_bars() -> None:
    for text in ("Ring me on Tue/Thu or the advice line on 0113 392 4444.",
                 "Tunde\nBakare & Co Chartered Accountants | 0161 832 7700 | mob 07403 662 185"):
        assert not any(value.startswith(("0113", "0161")) for label, value in _found(text) if label == "PHONE_UK"), text
    assert ("PHONE_UK", "07403 662 185") in _found("Bakare & Co Chartered Accountants | 0161 832 7700 | mob 07403 662 185")


def test_a_letterhead_with_its_telephone_line() -> None:
    text = ("Rotherham Metropolitan Borough Council\nHousing Income Team\nRiverside House, Main Street, Rotherham S60 1AE\n"
            "Tel: 01709 336009\n\nMr Dariusz Wiśniewski\n14 Kelly Street\nRotherham\nS65 2QX\n\nDear Mr Wiśniewski,")
    found = _found(text)
    assert not any(value.startswith(("Riverside", "S60", "01709")) for _, value in found), found
    assert ("POSTCODE", "S65 2QX") in found and ("PERSON", "Dariusz Wiśniewski") in found, found


def test_a_capitalised_role_before_a_name_is_not_part_of_it() -> None:
    assert ("PERSON", "Andrei Popa") in _found("Vehicle stop on A1. Driver Andrei Popa produced a Romanian licence.")
    assert ("PERSON", "Ellie Quinn") in _found("Drives a black Audi. Friend Ellie Quinn, Machrie Road.")
    assert ("PERSON", "Chris Driver") in _found("Please ask Chris Driver to call the office.")


def test_a_solicitors_firm() -> None:
    for text, firm in (("Solicitor requested: Ana Munteanu of Hodge Jones & Allen.", "Hodge Jones"),
                       ("Solicitor: duty – Mr Waqar Ali (Ison Harrison).", "Ison Harrison"),
                       ("Advised to see solicitor Priya Raman at Duncan Lewis.", "Duncan Lewis")):
        found = _found(text)
        assert not any(firm in value for label, value in found if label == "PERSON"), (text, found)
    assert ("PERSON", "Waqar Ali") in _found("Solicitor: duty – Mr Waqar Ali (Ison Harrison).")


# -- twenty-third round: errors of hold-out v23 (scored blind at the end of round 22; v24 written blind) ---------


def test_passport_and_company_number_columns() -> None:
    text = ("Student | DOB | Passport no. | Expiry\nAdeyemi, Tobi | 15/02/2009 | 129904471 | 03/2029\n"
            "Byrne, Niamh | 22/06/2008 | 540017732 | 08/2026\n")
    assert {("PASSPORT_UK", "129904471"), ("PASSPORT_UK", "540017732")} <= _found(text), _found(text)
    text = "Supplier | Company no. | Contact\nDeeside Ecology Ltd | SC614402 | Julie\nKO Electrical Ltd | 12774091 | Abena\n"
    assert {("COMPANY_NUMBER", "SC614402"), ("COMPANY_NUMBER", "12774091")} <= _found(text), _found(text)


def test_a_customers_speaker_label_and_a_regulation() -> None:
    text = "AD: Can I take your full name?\nCUST: Winston Augustus Clarke.\nAD: Thank you.\nCUST: Thank you son."
    found = _found(text)
    assert ("PERSON", "CUST") not in found and ("PERSON", "Winston Augustus Clarke") in found, found
    assert ("PERSON", "Reg") not in _found("Incidents: none other than above. Reg 40 notification not required.")


def test_a_nickname_between_everyday_first_names_and_a_councils_handle() -> None:
    assert ("PERSON", 'Rosemary "Rosie" Tull') in _found('Bed 5 - Rosemary "Rosie" Tull, 93, UTI/delirium.')
    text = "@GlasgowCC repairs keep telling me an engineer will come\n  ↪ @GlasgowCC: Hi Sarah, we're sorry to hear this."
    assert ("PERSON", "GlasgowCC") not in _found(text), _found(text)


def test_an_elected_members_seat() -> None:
    text = "I'm writing on behalf of the MLA for Foyle regarding our constituent Mr Patrick Joyce."
    found = _found(text)
    assert ("PERSON", "Foyle") not in found and ("PERSON", "Patrick Joyce") in found, found


def test_a_surname_in_capitals_after_its_field() -> None:
    text = "Section A - Applicant\nSurname: EZE\nForenames: Chiamaka Blessing\nSurname at birth: EZE\n"
    found = _found(text)
    assert sum(1 for e in detect(text) if (e.label, text[e.start : e.end]) == ("PERSON", "EZE")) == 2, found
    assert ("PERSON", "O'DONNELL") in _found("1. Surname ..... O'DONNELL\n2. Forename(s) ..... Siobhan Mary")
    assert ("PERSON", "UK") not in _found("Name: UK Border Force")


def test_a_month_and_an_apostrophe_year_after_born() -> None:
    assert ("DATE_OF_BIRTH", "May '87") in _found("their four children (Bridget born May '87) have been living there")
    assert "DATE_OF_BIRTH" not in {label for label, _ in _found("Deadline: March '25 for the form.")}


def test_judges_names_after_their_title() -> None:
    for text, name in (("EJ Holloway: Mr Dunmore, you may continue.\nEJ Holloway: Yes, I have it.", "Holloway"),
                       ("The claim will be heard by District Judge Ashworth on 19 December.", "Ashworth"),
                       ("EMPLOYMENT JUDGE WHITMORE: Mr Hollis, please move on.", "WHITMORE")):
        assert ("PERSON", name) in _found(text), (text, _found(text))


def test_a_trading_name_a_cars_make_and_an_undertakers_firm() -> None:
    for text, word in (("The unit on Wisbech Road, trading as Sparkle Hand Car Wash.", "Sparkle Hand Car Wash"),
                       ("Vehicle 2 registration: WN70 PDU   Make/model: Kia Niro EV", "Kia Niro"),
                       ("Family have been, undertakers (William Purves) collecting 10pm.", "William Purves")):
        assert ("PERSON", word) not in _found(text), (text, _found(text))
    assert ("PERSON", "Nia Pritchard") in _found("Make/model: Kia Niro EV   Keeper: Nia Pritchard (wife)")


def test_a_chat_speaker_after_a_weekday_and_time() -> None:
    text = ("wed 14:03 Temi: hey is Marcus still coming sat\nwed 14:05 Kez: yh he is\n"
            "wed 14:07 Temi: ok safe\nthu 09:12 Kez: what time")
    found = _found(text)
    assert ("PERSON", "Temi") in found and ("PERSON", "Kez") in found, found


def test_a_birth_column_named_for_whose_birth() -> None:
    text = ("Prisoner | No. | Visitor(s) | Visitor DOB | ID seen\n"
            "ROWE, Craig | A7729CK | Lianne Rowe (wife) | 14/03/1991 | passport\n"
            "OKAFOR, Daniel | A1093DN | Grace Okafor (mother) | 19/06/1966 | driving licence")
    found = _found(text)
    assert ("DATE_OF_BIRTH", "14/03/1991") in found and ("DATE_OF_BIRTH", "19/06/1966") in found, found
    assert "DATE_OF_BIRTH" not in _labels("Visit | Visit date\nA | 14/03/2024", "14/03/2024")


def test_a_forum_posts_author_after_posted_by() -> None:
    text = ("Posted by TeaAndToast_74\n\nHi all, first post. My ex has stopped paying.\n\n"
            "Reply from Sourdough_Sam:\nRing the CMS. @TeaAndToast_74 keep every letter.")
    found = _found(text)
    assert ("PERSON", "TeaAndToast_74") in found, found
    assert sum(1 for e in detect(text) if text[e.start : e.end] == "TeaAndToast_74") == 2
    assert ("PERSON", "hand") not in _found("Posted by hand\nThe form was posted by hand on Monday.")
    firm = "Review of QuickShift Removals Ltd\n\nThey lost our boxes.\n\nReply from QuickShift:\nWe have tried to call you."
    assert ("PERSON", "QuickShift") not in _found(firm), _found(firm)


def test_a_short_speaker_label_in_capitals_named_in_the_text() -> None:
    text = ('DANNY: With us is the woman behind the chippy, Mrs Dorothy "Dot" Verrill.\n'
            "DOT: Sixty-one years, love.\nDANNY: Sixty-one!\nDOT: Ring the shop for the back room.")
    assert sum(1 for e in detect(text) if (e.label, text[e.start : e.end]) == ("PERSON", "DOT")) == 2, _found(text)
    assert ("PERSON", "ACT") not in _found("ACT: agreed to review the plan.\nNotes: the act was passed.")
