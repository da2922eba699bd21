"""Check-digit and issuing-rule validators for UK identifiers."""

import pytest

from govai.pii import validators as v


@pytest.mark.parametrize("value, ok", [
    ("943 476 5919", True), ("9434765919", True), ("943-476-5919", True),
    ("943 476 5918", False), ("123456789", False), ("abcdefghij", False),
])
def test_nhs_mod_11(value: str, ok: bool) -> None:
    assert v.nhs_number(value) is ok


def test_nhs_check_of_ten_is_never_valid() -> None:
    # The weighted total of 100000001 is 12, so its check would be 10: no tenth digit makes it valid.
    assert not any(v.nhs_number("100000001" + str(d)) for d in range(10))


@pytest.mark.parametrize("value, ok", [
    ("1546930676", True), ("15469 30676", True), ("1546930676K", True), ("2546930676", False), ("154693067", False),
])
def test_utr_first_digit_is_the_check(value: str, ok: bool) -> None:
    assert v.utr(value) is ok


@pytest.mark.parametrize("value, ok", [
    ("100000089", True),  # divisible by 97 (old scheme)
    ("100000034", True),  # divisible only after adding 55 (9755 scheme)
    ("GB 446 3969 11", True), ("gb446396911", True),
    ("100000088", False), ("GB12345678", False),
])
def test_vat_mod_97_and_55_rule(value: str, ok: bool) -> None:
    assert v.vat_gb(value) is ok


@pytest.mark.parametrize("value, ok", [
    ("GB29NWBK60161331926819", True), ("GB29 NWBK 6016 1331 9268 19", True), ("gb29nwbk60161331926819", True),
    ("GB22 BARC 0427 8283 6703 25", False), ("GB29NWBK6016133192681", False), ("DE89370400440532013000", False),
])
def test_iban_gb(value: str, ok: bool) -> None:
    assert v.iban_gb(value) is ok


@pytest.mark.parametrize("value, ok", [
    ("AB123456C", True), ("AB 12 34 56 C", True), ("ab 123456 c", True),
    ("DA123456A", False),  # D never first
    ("AO123456A", False),  # O never second
    ("TN123456A", False), ("GB123456A", False), ("ZZ123456A", False),  # never issued pairs
    ("AB123456E", False),  # suffix A-D only
])
def test_nino_prefix_and_suffix_rules(value: str, ok: bool) -> None:
    assert v.nino(value) is ok


@pytest.mark.parametrize("value, ok", [
    ("LS6 2AB", True), ("ls62ab", True), ("SW1A 1AA", True), ("EC1A 1BB", True), ("M1 1AE", True), ("GIR 0AA", True),
    ("XP29 5KD", False),  # X never first
    ("LS6 2CB", False),  # C never in the inward letters
    ("QA1 1AA", False), ("AI1 1AA", False),
    ("ZZ1 1AA", False),  # letter rules fine, but no such postcode area
])
def test_postcode(value: str, ok: bool) -> None:
    assert v.postcode(value) is ok


@pytest.mark.parametrize("value, ok", [
    ("MORGA753116SM9IJ", True), ("MORGA 753116 SM9IJ", True), ("LI999 612305 A99XY", True),
    ("MORGA713116SM9IJ", False),  # month 13
    ("MORGA750016SM9IJ", False),  # day 00
    ("M9RGA753116SM9IJ", False),  # 9 padding only after the surname letters
])
def test_driving_licence_layout(value: str, ok: bool) -> None:
    assert v.driving_licence_gb(value) is ok


@pytest.mark.parametrize("value, ok", [("AB12 CDE", True), ("AB62CDE", True), ("AB01 CDE", False),
                                       ("AB12 CIE", False), ("AB99 CDE", False)])
def test_vehicle_registration_age_identifier(value: str, ok: bool) -> None:
    assert v.vehicle_reg_current(value) is ok


def test_mrz_check_digit_icao_specimen() -> None:
    assert v.mrz_check_digit("L898902C3") == 6
    assert v.passport_mrz_number("L898902C3", "6")
    assert not v.passport_mrz_number("L898902C3", "5")
