"""Identifiers read out digit by digit, as call transcripts write them down.

Callers say numbers in groups of words ("oh seven, oh four, three six", "double oh eight two",
"forty, forty-seven, nineteen") or as spaced digits ("1 2 0 5 5 8 4 9 3"), and spell the letters
of a National Insurance number ("J H, four eight, two one, oh seven, C"). Such a run is turned into
its characters and judged by its length, its checksum and the nearest cue, as the written form would
be: ten digits that pass the NHS or UTR check, eleven digits that dial as a UK phone number, six for a
sort code (or a date of birth, "oh three oh eight oh two"), eight for an account, nine for a passport.
A run read back later ("Sorry, one two oh five...?") takes the label of the identifier it repeats.
Written digit groups ("40 47 19") are left to the recognisers of the written forms.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from govai.pii import validators as v
from govai.pii.context import nearest_cue_before
from govai.pii.entities import Entity
from govai.pii.recognisers.account_number import ACCOUNT_CUES
from govai.pii.recognisers.contact import phone_score
from govai.pii.recognisers.dates import BIRTH_CUES, OTHER_DATE_CUES
from govai.pii.recognisers.sort_code import PAIR_GAP, SORT_CODE_CUES
from govai.pii.registry import TextDoc, pii_recognisers

_DIGIT_WORDS = {"zero": "0", "oh": "0", "nought": "0", "niner": "9", "one": "1", "two": "2", "three": "3", "four": "4",
                "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_UNIT = "one|two|three|four|five|six|seven|eight|nine"
# The phonetic alphabet, as call handlers and callers spell plates and postcodes ("Lima Hotel six niner").
PHONETIC = {w: w[0].upper() for w in (
    "alpha alfa bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima mike november oscar papa "
    "quebec romeo sierra tango uniform victor whiskey whisky x-ray xray yankee zulu").split()}
_DIGIT = "zero|oh|nought|niner|" + _UNIT + r"|\d"
# One spoken group: "double oh", "forty-seven", "nineteen", "six", "0161", a letter alone ("J", "x"; never the
# words "a" and "i") or a letter with its spelling word ("R for Romeo").
_TOKEN = (r"(?:(?i:(?:double|triple)[ \t\-]+(?:" + _DIGIT + r")|(?:" + _UNIT + r")[ \t\-]hundred"
          + r"|(?:" + "|".join(_TENS) + r")(?:[ \-](?:" + _UNIT
          + r"))?|" + "|".join(_TEENS) + "|" + _DIGIT.replace(r"|\d", "") + r")(?![\w'’])|\d{1,5}(?![\d\w])"
          + r"|[A-Za-z][ \t]+for[ \t]+[A-Z][a-z]+(?![\w'’])|(?i:" + "|".join(sorted(PHONETIC, key=len, reverse=True))
          + r")(?![\w'’])|[A-Z](?![\w'’])|[b-hj-z](?![\w'’\-]))")
_SEP = r"(?:[ \t]*,[ \t]*|[ \t]+)"
RUN = re.compile(r"(?<![\w'’\-.])" + _TOKEN + r"(?:" + _SEP + _TOKEN + r")+")
_ONE = re.compile(_TOKEN)
_AFTER_SORT_CODE = re.compile(r"[ \t]*,?" + PAIR_GAP + r"$", re.IGNORECASE)

NHS_CUES = ("nhs", "nhs number", "nhs no", "health", "patient", "hospital", "gp", "medical", "red book")
UTR_CUES = ("utr", "unique taxpayer", "taxpayer reference", "tax reference", "self assessment", "hmrc")
PASSPORT_CUES = ("passport", "passport number", "passport no", "travel document")
NINO_CUES = ("national insurance", "ni number", "ni no", "nino", "ni", "n.i.")
POSTCODE_CUES = ("postcode", "post code", "address")
_DIGIT_LABELS = frozenset(["SORT_CODE", "ACCOUNT_NUMBER", "PHONE_UK", "NHS_NUMBER", "UTR", "COMPANY_NUMBER", "PASSPORT_UK"])
VEHICLE_CUES = ("reg", "registration", "number plate", "plate", "vehicle", "car", "van", "vrm", "motorbike")
COMPANY_CUES = ("company number", "company no", "company registration", "registration number", "registered number",
                "companies house", "crn")
_LETTERED_COMPANY = re.compile(r"(?:SC|NI|OC|SO|NC|SL|FC|LP|R0)\d{6}")
# Prefix and suffix plates: "R487 KTN", "ABC 123D".
_OLDER_PLATE = re.compile(r"[A-HJ-NP-Y]\d{1,3}[A-HJ-PR-Y]{3}|[A-HJ-PR-Y]{3}\d{1,3}[A-HJ-NP-Y]")
_WINDOW = 60


def _chars(token: str) -> str:
    t = token.lower()
    if t[0].isdigit():
        return t
    if len(t) == 1:
        return token  # a spelt letter keeps its case
    if " for " in t or "\tfor" in t:
        return token[0]  # "R for Romeo"
    if t in PHONETIC:
        return PHONETIC[t]
    if t.startswith(("double", "triple")):
        times = 2 if t.startswith("double") else 3
        d = re.split(r"[ \t\-]+", t)[-1]  # "double oh", "double-oh"
        return (d if d.isdigit() else _DIGIT_WORDS[d]) * times
    if t.endswith("hundred"):
        return _DIGIT_WORDS[re.split(r"[ \t\-]+", t)[0]] + "00"  # "seven seven hundred", "nine hundred": 7700, 900
    if t in _DIGIT_WORDS:
        return _DIGIT_WORDS[t]
    if t in _TEENS:
        return str(_TEENS[t])
    parts = re.split(r"[ \-]", t)
    value = _TENS[parts[0]] + (int(_DIGIT_WORDS[parts[1]]) if len(parts) > 1 else 0)
    return str(value)


class Run:
    """A run of spoken groups: its span, and its characters with the groups they came from."""

    def __init__(self, m: re.Match[str]) -> None:
        self.tokens = [(t.start() + m.start(), t.end() + m.start(), t.group(0)) for t in _ONE.finditer(m.group(0))]
        self.start, self.end = m.span()
        self.chars = "".join(_chars(t) for _, _, t in self.tokens)

    @property
    def spoken(self) -> bool:
        """Said in words, or written as spaced single digits: not a written digit group."""
        words = any(not t[0].isdigit() and len(t) > 1 for _, _, t in self.tokens)
        singles = sum(len(t) == 1 and t.isdigit() for _, _, t in self.tokens)
        return words or singles >= 5

    def digits_only(self) -> tuple[int, int, str]:
        """The span and digits without spelt letters at either end."""
        tokens = self.tokens
        while tokens and tokens[0][2].isalpha() and len(tokens[0][2]) == 1:
            tokens = tokens[1:]
        while tokens and tokens[-1][2].isalpha() and len(tokens[-1][2]) == 1:
            tokens = tokens[:-1]
        if not tokens:
            return self.start, self.start, ""
        return tokens[0][0], tokens[-1][1], "".join(_chars(t) for _, _, t in tokens)


def _cue_score(doc: TextDoc, start: int, cues: tuple[str, ...]) -> float:
    """0.9 for a cue on this line or in the question just above, fading with distance; 0 without one."""
    cue = nearest_cue_before(doc, start, cues, _WINDOW)
    if cue is None:
        return 0.0
    return 0.95 - 0.3 * min(cue.distance, _WINDOW) / _WINDOW


def _birth_date(doc: TextDoc, start: int, digits: str) -> dt.date | None:
    """Six digits read as day, month, year ("oh three oh eight oh two") after a birth cue."""
    today = dt.date.today()
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    year += 1900 if year > today.year % 100 else 2000
    date = v.calendar_date(year, month, day) if 1 <= month <= 12 else None
    if date is None or date > today:
        return None
    birth = nearest_cue_before(doc, start, BIRTH_CUES, _WINDOW)
    other = nearest_cue_before(doc, start, OTHER_DATE_CUES, _WINDOW)
    return date if birth is not None and (other is None or other.distance > birth.distance) else None


class SpokenNumberRecogniser:
    name = "spoken_numbers"
    labels = ("NINO", "NHS_NUMBER", "UTR", "PHONE_UK", "SORT_CODE", "ACCOUNT_NUMBER", "PASSPORT_UK",
              "DATE_OF_BIRTH", "VAT_GB", "DRIVING_LICENCE_UK", "POSTCODE", "VEHICLE_REG_UK", "COMPANY_NUMBER")
    order = 15  # after the written identifiers, so a read-back can repeat one of them

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        runs = [Run(m) for m in RUN.finditer(doc.text)]
        runs = [r for r in runs if r.spoken or v.nino(r.chars.upper())]  # "S P 61 04 77 B": spaced letters
        if not runs:
            return []
        # What was already given, by its characters: a read-back repeats it.
        given = {re.sub(r"[^0-9A-Za-z]", "", doc.text[e.start : e.end]).upper(): e.label
                 for e in found if e.score >= 0.5}
        out: list[Entity] = []
        previous: tuple[Run, Entity] | None = None
        for run in runs:
            entity = self._classify(doc, run, given)
            if entity is None and previous is not None:
                entity = self._account_after_sort_code(doc, run, *previous)
            if entity is not None:
                out.append(entity)
                given.setdefault(run.chars.upper() if entity.label == "NINO" else run.digits_only()[2], entity.label)
                previous = (run, entity)
        out.extend(self._written_back(doc, out, found))
        return out

    def _written_back(self, doc: TextDoc, spoken: list[Entity], found: Sequence[Entity]) -> list[Entity]:
        """The same number written down by whoever took it ("Two oh, four five, seven seven." /
        "Adviser: 20-45-77."): it takes the label of what was said."""
        out: list[Entity] = []
        taken = [(e.start, e.end) for e in found if e.score >= 0.5] + [(e.start, e.end) for e in spoken]
        for entity in spoken:
            if entity.label not in _DIGIT_LABELS:
                continue
            digits = re.sub(r"\D", "", "".join(_chars(t) for t in _ONE.findall(doc.text[entity.start : entity.end])))
            if len(digits) < 6:
                continue
            written = re.compile(r"(?<![\d\w])" + r"[ \-]?".join(digits) + r"(?![\d\w])")
            for m in written.finditer(doc.text, entity.end):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    out.append(Entity(m.start(), m.end(), entity.label, 0.85, self.name, ("written_back",)))
                    taken.append(m.span())
        return out

    def _classify(self, doc: TextDoc, run: Run, given: dict[str, str]) -> Entity | None:
        chars = run.chars.upper()
        if v.nino(chars):
            return Entity(run.start, run.end, "NINO", 0.9, self.name, ("spoken", "validated"))
        lettered = self._lettered(doc, run)
        if lettered is not None:
            return lettered
        start, end, digits = run.digits_only()
        if len(digits) < 6 or not digits.isdigit():
            return None  # letters inside the run ("six N four"): not a number said aloud
        if digits in given:
            return Entity(start, end, given[digits], 0.85, self.name, ("spoken", "read_back"))
        candidates: list[tuple[float, str]] = []
        if len(digits) == 10:
            if v.nhs_number(digits):
                candidates.append((_cue_score(doc, start, NHS_CUES), "NHS_NUMBER"))
            if v.utr(digits):
                candidates.append((_cue_score(doc, start, UTR_CUES), "UTR"))
            elif _cue_score(doc, start, ("utr", "unique taxpayer reference")) >= 0.75:
                candidates.append((0.7, "UTR"))  # called a UTR: a taxpayer's number even with a wrong check digit
        if len(digits) in (10, 11) and digits.startswith("0"):
            candidates.append((phone_score(digits), "PHONE_UK"))
        if len(digits) == 6:
            candidates.append((_cue_score(doc, start, SORT_CODE_CUES), "SORT_CODE"))
            birth = _birth_date(doc, start, digits)
            if birth is not None:
                doc.extras.setdefault("birth_dates", set()).add(birth)  # a later "third of August..." repeats it
                candidates.append((0.9, "DATE_OF_BIRTH"))
        if len(digits) == 8:
            candidates.append((_cue_score(doc, start, ACCOUNT_CUES), "ACCOUNT_NUMBER"))
            candidates.append((_cue_score(doc, start, COMPANY_CUES), "COMPANY_NUMBER"))
        if len(digits) == 9:
            candidates.append((_cue_score(doc, start, PASSPORT_CUES), "PASSPORT_UK"))
        score, label = max(candidates, default=(0.0, ""))
        if score < 0.5:
            return None
        return Entity(start, end, label, score, self.name, ("spoken",))

    def _lettered(self, doc: TextDoc, run: Run) -> Entity | None:
        """Identifiers with letters in them, spelt out: a number plate ("B D one nine, X R F"), a postcode
        ("L S seventeen, eight D W"), a driving licence, a VAT number ("G B, nine three nine, ..."). The run
        may have caught a word or two before it ("an old one, R four eight seven, K T N")."""
        for skip in range(min(3, len(run.tokens) - 1)):
            tokens = run.tokens[skip:]
            chars = "".join(_chars(t) for _, _, t in tokens).upper()
            letters = sum(c.isalpha() for c in chars)
            if not letters or letters == len(chars):
                continue
            start, end = tokens[0][0], run.end
            if v.vat_gb(chars) and chars.startswith("GB"):
                return Entity(start, end, "VAT_GB", 0.9, self.name, ("spoken", "validated"))
            if v.iban_gb(chars):
                return Entity(start, end, "IBAN_GB", 0.9, self.name, ("spoken", "validated"))
            if _LETTERED_COMPANY.fullmatch(chars) and _cue_score(doc, start, COMPANY_CUES) >= 0.5:
                return Entity(start, end, "COMPANY_NUMBER", 0.85, self.name, ("spoken",))
            if len(chars) == 16 and v.driving_licence_gb(chars):
                return Entity(start, end, "DRIVING_LICENCE_UK", 0.9, self.name, ("spoken", "validated"))
            if v.postcode(chars) and _cue_score(doc, start, POSTCODE_CUES) >= 0.5:
                return Entity(start, end, "POSTCODE", 0.85, self.name, ("spoken",))
            plate = v.vehicle_reg_current(chars) or _OLDER_PLATE.fullmatch(chars) is not None
            if plate and _cue_score(doc, start, VEHICLE_CUES) >= 0.5:
                return Entity(start, end, "VEHICLE_REG_UK", 0.85, self.name, ("spoken",))
        return None

    def _account_after_sort_code(self, doc: TextDoc, run: Run, prev_run: Run, prev: Entity) -> Entity | None:
        """Eight digits said just after a sort code ("..., and five three oh nine ...") are its account."""
        start, end, digits = run.digits_only()
        if prev.label != "SORT_CODE" or len(digits) != 8 or not digits.isdigit() or not _AFTER_SORT_CODE.match(doc.text, prev_run.end, start):
            return None
        return Entity(start, end, "ACCOUNT_NUMBER", 0.85, self.name, ("spoken", "after_sort_code"))


@pii_recognisers.register("spoken_numbers")
def spoken_numbers(options: dict[str, Any]) -> SpokenNumberRecogniser:
    return SpokenNumberRecogniser()
