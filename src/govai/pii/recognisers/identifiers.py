"""UK identifier recognisers: pattern + validator + context, one per label.

Base scores encode how much the shape alone says. A checksum that passes is
strong evidence; a bare run of digits (sort code, account, passport) is not,
so those need a context cue ("sort code", "passport") to clear the threshold.
Where two labels share a shape (10 digits: NHS or UTR; 9 digits: VAT or
passport) the nearest cue decides, through the proximity-weighted boost.
"""

from __future__ import annotations

import re
from typing import Any

from govai.pii import gazetteer
from govai.pii import validators as v
from govai.pii.context import firm_footer, in_letterhead, organisation_address
from govai.pii.recognisers.pattern import PatternRecogniser
from govai.pii.registry import TextDoc, pii_recognisers

B = r"(?<![A-Za-z0-9])"  # no letter or digit just before
E = r"(?![A-Za-z0-9])"  # ... or just after


def _is_mixed_case(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    return any(c.isupper() for c in letters) and any(c.islower() for c in letters)


def _lower_case_discount(amount: float) -> Any:
    def adjust(doc: TextDoc, m: re.Match[str], score: float) -> float:
        value = m.group("v")
        if _is_mixed_case(value):
            return score - 2 * amount
        return score - amount if value != value.upper() else score

    return adjust


@pii_recognisers.register("nino")
def nino(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="nino", label="NINO",
        pattern=re.compile(B + r"(?P<v>[A-Za-z]{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?[A-Da-d])" + E),
        score=0.85, validator=v.nino,
        cues=("national insurance", "ni number", "ni no", "nino", "ni", "nat ins", "n.i."), cue_boost=0.15,
        adjust=_lower_case_discount(0.08),
    )


@pii_recognisers.register("nhs_number")
def nhs_number(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="nhs_number", label="NHS_NUMBER",
        pattern=re.compile(r"(?P<v>\d(?<![\d+]\d)(?<![A-Za-z]-\d)\d{2}([ \-]?)\d{3}\2\d{4})(?![\d])"),
        score=0.55, validator=v.nhs_number,
        cues=("nhs", "nhs number", "nhs no", "health", "patient", "hospital", "gp", "medical", "chi"), cue_boost=0.42,
    )


def _chi_date(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return v.calendar_date(1900 + int(digits[4:6]), int(digits[2:4]), int(digits[:2])) is not None


@pii_recognisers.register("chi_number")
def chi_number(options: dict[str, Any]) -> PatternRecogniser:
    # Scotland's NHS number, the CHI: date of birth (DDMMYY) then four digits, named as such ("CHI 190450 1001").
    return PatternRecogniser(
        name="chi_number", label="NHS_NUMBER",
        pattern=re.compile(r"(?P<v>\d(?<![\d+]\d)\d{5} ?\d{4})(?!\d)"), score=0.0, validator=_chi_date,
        cues=("chi", "chi number", "chi no"), cue_boost=0.9, window=30,
    )


@pii_recognisers.register("utr")
def utr(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="utr", label="UTR",
        pattern=re.compile(r"(?P<v>\d(?<![\d+]\d)(?:\d{4} ?\d{5}|\d{2} \d{3} \d{4})(?: ?[Kk])?)(?![\dA-Za-z])"),
        score=0.5, validator=v.utr,
        cues=("utr", "unique taxpayer", "taxpayer reference", "tax reference", "self assessment", "hmrc",
              "tax return", "sa reference", "corporation tax", "ct reference"),
        cue_boost=0.45, negative_cues=("police", "crime", "incident", "log", "case ref", "claim ref", "council tax"),
    )


@pii_recognisers.register("utr_named")
def utr_named(options: dict[str, Any]) -> PatternRecogniser:
    # Ten digits called a UTR right before them are one, check digit or not: a mistyped UTR still names a taxpayer.
    return PatternRecogniser(
        name="utr_named", label="UTR",
        pattern=re.compile(r"(?P<v>\d(?<![\d+]\d)(?:\d{4} ?\d{5}|\d{2} \d{3} \d{4})(?: ?[Kk])?)(?![\dA-Za-z])"),
        score=0.0, cues=("utr", "unique taxpayer reference", "taxpayer reference"), cue_boost=0.7, window=28,
    )


def _vat_adjust(doc: TextDoc, m: re.Match[str], score: float) -> float:
    return score + 0.45 if m.group("v")[:2].upper() == "GB" else score


@pii_recognisers.register("vat_gb")
def vat_gb(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="vat_gb", label="VAT_GB",
        pattern=re.compile(B + r"(?P<v>(?:[Gg][Bb] ?)?(?:\d{3} ?\d{4} ?\d{2}|\d{3} \d{3} \d{3}))" + E),
        score=0.4, validator=v.vat_gb, adjust=_vat_adjust,
        cues=("vat", "vat number", "vat no", "vat reg", "vat registration"), cue_boost=0.5,
    )


@pii_recognisers.register("iban_gb")
def iban_gb(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="iban_gb", label="IBAN_GB",
        pattern=re.compile(B + r"(?P<v>[Gg][Bb]\d{2} ?[A-Za-z]{4}(?: ?\d){14})" + E),
        score=0.95, validator=v.iban_gb, cues=("iban",), cue_boost=0.05,
    )


COMPANY_PREFIXES = (
    "SC NI OC SO NC FC LP SL SF NL NF NO R0 IP SP IC SI NP NV RC SR SZ ZC GE GN GS CE CS PC AC SA SE SG FE ES RS NZ NA"
).split()


def _company_adjust(doc: TextDoc, m: re.Match[str], score: float) -> float:
    return score + 0.25 if m.group("v")[:2].isalpha() else score


@pii_recognisers.register("company_number")
def company_number(options: dict[str, Any]) -> PatternRecogniser:
    prefixes = "|".join(COMPANY_PREFIXES)
    return PatternRecogniser(
        name="company_number", label="COMPANY_NUMBER",
        pattern=re.compile(B + r"(?P<v>(?:" + prefixes + r") ?\d{6}|\d{8})" + E),
        score=0.0, adjust=_company_adjust,
        cues=("company number", "company no", "company reg", "company registration", "registered number", "ltd co",
              "limited company", "the company is",
              "registration number", "registered in", "companies house", "crn", "partnership number",
              "llp number", "company", "registered no", "reg no", "registered as", "business is registered"),
        cue_boost=0.8, window=60,
    )


@pii_recognisers.register("passport_uk")
def passport_uk(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="passport_uk", label="PASSPORT_UK",
        pattern=re.compile(B + r"(?P<v>\d{9}|[A-Za-z]\d{8}|\d{3} \d{3} \d{3})" + E),
        score=0.0, cues=("passport", "passport number", "passport no", "hm passport", "travel document"),
        cue_boost=0.85, window=56,
    )


def _mrz_valid(m: re.Match[str]) -> bool:
    return v.passport_mrz_number(m.group("v"), m.group("c"))


@pii_recognisers.register("passport_mrz")
def passport_mrz(options: dict[str, Any]) -> PatternRecogniser:
    # Line 2 of a machine-readable zone: number, ICAO 9303 check digit, nationality, birth date, sex.
    return PatternRecogniser(
        name="passport_mrz", label="PASSPORT_UK",
        pattern=re.compile(r"(?P<v>[A-Z0-9<]{9})(?P<c>\d)GBR\d{7}[MF<]"), score=0.9, match_check=_mrz_valid,
    )


@pii_recognisers.register("driving_licence_uk")
def driving_licence_uk(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="driving_licence_uk", label="DRIVING_LICENCE_UK",
        pattern=re.compile(B + r"(?P<v>[A-Za-z][A-Za-z9]{4} ?\d{6} ?[A-Za-z9]{2}\d[A-Za-z0-9]{2})" + E),
        score=0.85, validator=v.driving_licence_gb,
        cues=("driving licence", "driving license", "licence", "license", "dvla"), cue_boost=0.1,
        adjust=_lower_case_discount(0.15),
    )


@pii_recognisers.register("driving_licence_ni")
def driving_licence_ni(options: dict[str, Any]) -> PatternRecogniser:
    # Northern Ireland licences are eight digits: only a licence cue makes them one.
    return PatternRecogniser(
        name="driving_licence_ni", label="DRIVING_LICENCE_UK",
        pattern=re.compile(r"(?P<v>\d(?<![\d\-/.]\d)\d{7})(?![\d\-/]|\.\d)"),
        score=0.0, cues=("driving licence", "driving license", "licence number", "license number", "dva", "dvla"),
        cue_boost=0.85, window=40,
    )


# Cars are named by their make and model as often as by the word "car" ("silver Fiesta cv16 ofm").
CAR_MAKES = ("ford", "fiesta", "focus", "transit", "vauxhall", "corsa", "astra", "kia", "hyundai", "skoda", "octavia",
             "toyota", "yaris", "nissan", "qashqai", "honda", "mazda", "peugeot", "renault", "clio", "citroen", "fiat",
             "audi", "bmw", "merc", "mercedes", "sprinter", "vw", "volkswagen", "golf", "polo", "volvo", "mini",
             "tesla", "jaguar", "land rover", "range rover", "lexus", "suzuki", "dacia", "seat", "cupra", "motorbike",
             "moped", "scooter", "lorry", "hgv", "taxi", "minicab")
_VEHICLE_CUES = ("car", "vehicle", "reg", "registration", "number plate", "plate", "plates", "van", "motorbike",
                 "motorcycle", "v5c", "mot", "vehicle tax", "drive", "driving", "drove", "parked", "parking", "pcn",
                 "penalty charge", "log book", "logbook", "keeper", "registered keeper", "vrm", "clamped", "sorn",
                 "seized", "insurance", "insured", "uninsured", "untaxed", "taxed", "anpr", "pnc", "cloned", "clone",
                 "towed", *CAR_MAKES)


def _plate_adjust(doc: TextDoc, m: re.Match[str], score: float) -> float:
    """Lower case and a space between the letters and the age ("yk 58 ruo") each need more context."""
    value = m.group("v")
    score = _lower_case_discount(0.25)(doc, m, score)
    if value[2] == " ":
        score -= 0.15
    return score


@pii_recognisers.register("vehicle_reg_uk")
def vehicle_reg_uk(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="vehicle_reg_uk", label="VEHICLE_REG_UK",
        pattern=re.compile(B + r"(?P<v>[A-Za-z]{2} ?\d{2} ?[A-Za-z]{3})" + E),
        score=0.6, validator=v.vehicle_reg_current, cues=_VEHICLE_CUES, cue_boost=0.35, window=60,
        cues_after=_VEHICLE_CUES, adjust=_plate_adjust,
    )


@pii_recognisers.register("vehicle_reg_uk_older")
def vehicle_reg_uk_older(options: dict[str, Any]) -> PatternRecogniser:
    # Prefix (P123 ABC) and suffix (ABC 123D) plates look like many references: need a vehicle cue.
    return PatternRecogniser(
        name="vehicle_reg_uk_older", label="VEHICLE_REG_UK",
        pattern=re.compile(B + r"(?P<v>[A-HJ-NP-Y]\d{1,3} ?[A-HJ-PR-Y]{3}|[A-HJ-PR-Y]{3} ?\d{1,3}[A-HJ-NP-Y])" + E, re.I),
        score=0.05, cues=_VEHICLE_CUES, cue_boost=0.65, window=60, cues_after=_VEHICLE_CUES, adjust=_older_plate_adjust,
    )


def _older_plate_adjust(doc: TextDoc, m: re.Match[str], score: float) -> float:
    """ "D441 off", "V750 and": an everyday word in lower case is not a plate's letters."""
    letters = "".join(c for c in m.group("v") if c.isalpha())
    lower = "".join(c for c in m.group("v")[1:] if c.isalpha())
    if lower.islower() and (gazetteer.is_english_word(lower) or gazetteer.is_english_word(letters.lower())):
        return 0.0
    return score


@pii_recognisers.register("vehicle_reg_ni")
def vehicle_reg_ni(options: dict[str, Any]) -> PatternRecogniser:
    # Northern Ireland plates: three letters, the last two a county code holding I or Z ("ABZ 4471").
    return PatternRecogniser(
        name="vehicle_reg_ni", label="VEHICLE_REG_UK",
        pattern=re.compile(B + r"(?P<v>[A-Z](?:[A-Z][IZ]|[IZ][A-Z]) ?\d{1,4})" + E),
        score=0.05, cues=_VEHICLE_CUES, cue_boost=0.65, window=60, cues_after=_VEHICLE_CUES,
    )


def _postcode_adjust(doc: TextDoc, m: re.Match[str], score: float) -> float:
    value = m.group("v")
    if value[:2].upper() == "BX" or in_letterhead(doc, m.start("v")) or organisation_address(doc, m.start("v")):
        return score - 0.6  # BX codes are never homes; a letterhead's postcode is the sender's
    if re.match(r" [A-Z0-9]{3}\b", doc.text[m.end("v") : m.end("v") + 5]):
        return 0.0  # "W7K 4PR 9XM": a share code, three groups of three
    if firm_footer(doc, m.start("v")):
        return score - 0.6  # "Caledonia Lets Ltd, 90 Pollokshaws Road, Glasgow G41 1PZ": a firm's address
    if _is_mixed_case(value):
        return score - 0.45
    if " " not in value:
        score -= 0.05
    return score


@pii_recognisers.register("postcode")
def postcode(options: dict[str, Any]) -> PatternRecogniser:
    return PatternRecogniser(
        name="postcode", label="POSTCODE",
        pattern=re.compile(B + r"(?P<v>[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}|GIR ?0AA)" + E),
        score=0.9, validator=v.postcode, adjust=_postcode_adjust,
        cues=("postcode", "post code"), cue_boost=0.1,
    )
