"""Dates of birth: any common UK date format, labelled only when a birth cue is the nearest cue.

Letter dates, deadlines and hearing dates are not personal data on their own,
so a date with no birth cue (or with a nearer "deadline", "issued", ...) is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from govai.pii.context import Cue, nearest_cue_before, proximity_boost
from govai.pii.entities import Entity
from govai.pii.registry import TextDoc, pii_recognisers
from govai.pii.validators import calendar_date, plausible_birth_year

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # Welsh
    "ionawr": 1, "chwefror": 2, "mawrth": 3, "ebrill": 4, "mai": 5, "mehefin": 6, "gorffennaf": 7,
    "awst": 8, "medi": 9, "hydref": 10, "tachwedd": 11, "rhagfyr": 12,
}
_MON = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"

DATE_PATTERNS = [
    re.compile(r"(?<![\d/.\-])(?P<d>\d{1,2})(?P<s>[/.\-])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})(?![\d/\-]|\.\d)"),
    re.compile(r"(?<![\d/.\-])(?P<y>(?:19|20)\d{2})(?P<s>[/.\-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d/\-]|\.\d)"),
    re.compile(r"(?<![\w])(?P<d>\d{1,2})" + _ORD + r"(?:\s+of)?\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d{2})(?!\d)", re.I),
    re.compile(r"(?<![\w])" + _MON + r"\s+(?P<d>\d{1,2})" + _ORD + r",?\s+(?P<y>(?:19|20)\d{2})(?!\d)", re.I),
    re.compile(r"(?<![\w])" + _MON + r",?\s+(?P<y>(?:19|20)\d{2})(?!\d)", re.I),
]

BIRTH_CUES = ("date of birth", "dob", "d.o.b", "d.o.b.", "born", "birth date", "birthdate", "birthday",
              "date geni", "dyddiad geni", "ganwyd", "b.", "d o b", "birth", "born on")
# Cues for other kinds of date: when one of these is nearer, the date is not a birth date.
OTHER_DATE_CUES = ("date of death", "died", "deceased", "issued", "issue date", "expiry", "expires", "valid until",
                   "moved", "deadline", "due", "hearing", "dated", "date:", "until", "since",
                   "before", "after", "between", "started", "start date", "leaving", "left", "received", "sent", "paid", "reported",
                   "appointed", "filed", "incorporated", "arrived", "closed", "opened", "signed", "tenancy")


# "12/03/1985 (DOB)", "12/03/1985 - date of birth"
_BIRTH_AFTER = re.compile(r"\s*[(\[\-–,]\s*(dob|d\.o\.b\.?|date of birth|born|birth date)\b")


def parse_date(m: re.Match[str], today: dt.date) -> dt.date | None:
    groups = m.groupdict()
    month = MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
    day = int(groups["d"]) if groups.get("d") else 1
    year = int(groups["y"])
    if year < 100:
        year += 1900 if year > today.year % 100 else 2000
    return calendar_date(year, month, day)


def find_dates(text: str, today: dt.date) -> list[tuple[int, int]]:
    """Spans of every parseable date, longest first where they overlap."""
    spans: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if parse_date(m, today) is None:
                continue
            if any(s < m.end() and m.start() < e for s, e in spans):
                continue
            spans.append(m.span())
    return sorted(spans)


class DateOfBirthRecogniser:
    name = "date_of_birth"
    labels = ("DATE_OF_BIRTH",)
    order = 20

    def __init__(self, window: int = 40) -> None:
        self.window = window

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        today = dt.date.today()
        spans = find_dates(doc.text, today)
        doc.extras["dates"] = spans
        out = []
        previous_end = 0
        for start, end in spans:
            entity = self._score(doc, start, end, previous_end, today)
            previous_end = end
            if entity is not None:
                out.append(entity)
        return out

    def _score(self, doc: TextDoc, start: int, end: int, previous_end: int, today: dt.date) -> Entity | None:
        for pattern in DATE_PATTERNS:
            m = pattern.fullmatch(doc.text, start, end)
            if m:
                break
        date = parse_date(m, today) if m else None
        if date is None or date > today or not plausible_birth_year(date.year, today):
            return None
        birth = nearest_cue_before(doc, start, BIRTH_CUES, self.window)
        if birth is not None and start - birth.distance <= previous_end:
            birth = None  # another date sits between the cue and this one
        if birth is not None:
            other = nearest_cue_before(doc, start, OTHER_DATE_CUES, self.window)
            if other is not None and other.distance < birth.distance:
                birth = None
        if birth is None:
            after = _BIRTH_AFTER.match(doc.lower, end)
            if after is None:
                return None
            birth = Cue(after.group(1), 0)
        return Entity(start, end, "DATE_OF_BIRTH", 0.5 + proximity_boost(birth, 0.48, self.window),
                      self.name, (f"context:{birth.word}",))


@pii_recognisers.register("date_of_birth")
def date_of_birth(options: dict[str, Any]) -> DateOfBirthRecogniser:
    return DateOfBirthRecogniser(**options)
