"""Dates of birth: any common UK date format, labelled only when a birth cue is the nearest cue.

Letter dates, deadlines and hearing dates are not personal data on their own,
so a date with no birth cue (or with a nearer "deadline", "issued", ...) is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from govai.pii import gazetteer
from govai.pii.context import Cue, cue_pattern, nearest_cue_before, proximity_boost, reply_to, speaker_label_end
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
# Months as people born abroad write them on forms and in emails: Polish (the genitive of "3 lipca 2017" and
# the nominative), Romanian, Portuguese, Spanish, Lithuanian (genitive) and Italian, with and without accents.
# Only full month names that are not English words, and only inside a whole date.
_FOREIGN_MONTHS = {
    1: "stycznia styczeń styczen ianuarie janeiro enero sausio gennaio",
    2: "lutego luty februarie fevereiro febrero vasario febbraio",
    3: "marca marzec martie março marzo kovo",
    4: "kwietnia kwiecień kwiecien aprilie abril balandžio balandzio aprile",
    5: "maja maj mai maio mayo gegužės geguzes maggio",
    6: "czerwca czerwiec iunie junho junio birželio birzelio giugno",
    7: "lipca lipiec iulie julho julio liepos luglio",
    8: "sierpnia sierpień sierpien agosto rugpjūčio rugpjucio",
    9: "września wrzesnia wrzesień wrzesien septembrie setembro septiembre rugsėjo rugsejo settembre",
    10: "października pazdziernika październik pazdziernik octombrie outubro octubre spalio ottobre",
    11: "listopada listopad noiembrie novembro noviembre lapkričio lapkricio",
    12: "grudnia grudzień grudzien decembrie dezembro diciembre gruodžio gruodzio dicembre",
}
for _month, _names in _FOREIGN_MONTHS.items():
    for _name in _names.split():
        MONTHS.setdefault(_name, _month)
_ORD = r"(?:st|nd|rd|th)?"

# Spoken and written-out dates: "third of march eighty-two", "twelfth of the twelfth, two thousand and three",
# "March the second, sixty-one", "5th of October 88".
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30,
}
for _tens, _value in (("twenty", 20), ("thirty", 30)):
    for _unit, _n in zip(("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
                         range(1, 10)):
        if _value + _n <= 31:
            _ORDINALS[f"{_tens}-{_unit}"] = _ORDINALS[f"{_tens} {_unit}"] = _value + _n
_NUMBERS = {w: i + 1 for i, w in enumerate(_UNITS)} | {w: i + 10 for i, w in enumerate(_TEENS)} | _TENS
for _tens, _value in _TENS.items():
    for _i, _unit in enumerate(_UNITS):
        _NUMBERS[f"{_tens}-{_unit}"] = _NUMBERS[f"{_tens} {_unit}"] = _value + _i + 1


def _alternatives(words: Iterable[str]) -> str:
    """One regular expression for many words, as a letter tree: a long flat alternation is tried word by
    word at every position, which made the date patterns slow. A space in a word also matches a hyphen."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [(r"[ \-]" if ch == " " else re.escape(ch)) + emit(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: longer words first (greedy), then this one
            return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(tree)


_MON = "(?P<mon>" + _alternatives(MONTHS) + r")\.?"
_ORD_WORD = _alternatives(_ORDINALS)
_NUMBER_WORD = _alternatives(_NUMBERS)
# A year said alone is "eighty-two", never "one" or "twelve" ("the first of May, one of them").
_TWO_DIGIT_WORD = _alternatives(w for w, n in _NUMBERS.items() if n >= 20)
_DAY = r"(?P<d>\d{1,2}" + _ORD + r"|" + _ORD_WORD + r")"
_MONTH_SPOKEN = r"(?:" + _MON + r"|the[ \t]+(?P<mord>" + _ORD_WORD + r"|\d{1,2}(?:st|nd|rd|th)))"  # "3rd of the 9th"
_YEAR_SPOKEN = (r"(?P<y>(?:19|20)\d{2}|['’]\d{2}|\d{2}(?![\d/])|(?:nineteen|twenty)[ \-](?:" + _NUMBER_WORD + r"|hundred)|"
                r"two thousand(?:[ \t]+and)?(?:[ \t]+(?:" + _NUMBER_WORD + r"))?|" + _TWO_DIGIT_WORD + r"|"
                r"oh[ \t\-]?(?:" + "|".join(_UNITS) + r"))")  # "oh two", "oh-six": 2002, 2006
SPOKEN_PATTERNS = [
    re.compile(r"(?<![\w])" + _DAY + r"(?:[ \t]+of)?[ \t]+" + _MONTH_SPOKEN + r",?[ \t]+(?:in[ \t]+)?" + _YEAR_SPOKEN
               + r"(?![\w\-])", re.I),
    # "Seventeen May, nineteen eighty-eight": the day said as a plain number, the year in words
    re.compile(r"(?<![\w\-])(?P<d>" + _alternatives(w for w, n in _NUMBERS.items() if n <= 31) + r")[ \t]+(?:of[ \t]+)?" + _MON
               + r",?[ \t]+(?P<y>(?:nineteen|twenty)[ \-](?:" + _NUMBER_WORD + r")|two thousand(?:[ \t]+and)?(?:[ \t]+(?:"
               + _NUMBER_WORD + r"))?)(?![\w\-])", re.I),
    re.compile(r"(?<![\w])" + _MON + r"[ \t]+(?:the[ \t]+)?(?P<d>\d{1,2}" + _ORD + r"|" + _ORD_WORD + r"),?[ \t]+"
               + _YEAR_SPOKEN + r"(?![\w\-])", re.I),
    # The year first, then the day: "nineteen forty-two, the fifth of May"
    re.compile(r"(?<![\w\-])(?P<y>(?:nineteen|twenty)[ \-](?:" + _NUMBER_WORD + r")|two thousand(?:[ \t]+and)?"
               r"(?:[ \t]+(?:" + _NUMBER_WORD + r"))?),[ \t]+(?:the[ \t]+)?" + _DAY + r"(?:[ \t]+of)?[ \t]+"
               + _MON.removesuffix(r"\.?") + r"(?![\w\-])", re.I),
    # "Ten of May, ninety-three": a plain number for the day, "of", then a two-word year
    re.compile(r"(?<![\w\-])(?P<d>" + _alternatives(w for w, n in _NUMBERS.items() if n <= 31) + r")[ \t]+of[ \t]+"
               + _MON + r",?[ \t]+(?P<y>" + _TWO_DIGIT_WORD + r")(?![\w\-])", re.I),
    # The same without commas, the year a tens word: "twelve nine sixty-eight" (a reply to "date of birth?")
    re.compile(r"(?<![\w\-])(?P<d>" + _ORD_WORD + "|" + _alternatives(w for w, n in _NUMBERS.items() if n <= 31)
               + r")[ \t]+(?P<mnum>" + _alternatives(w for w, n in _NUMBERS.items() if n <= 12) + r")[ \t]+(?P<y>"
               + _TWO_DIGIT_WORD + r")(?![\w\-])", re.IGNORECASE),
    # Day, month and year said as plain numbers: "nine, eleven, eighty-four" (commas keep counts out).
    re.compile(r"(?<![\w\-])(?P<d>" + _ORD_WORD + "|" + _NUMBER_WORD + r")[ \t]*,[ \t]*(?P<mnum>"
               + _alternatives(w for w, n in _NUMBERS.items() if n <= 12) + r")[ \t]*,[ \t]*" + _YEAR_SPOKEN
               + r"(?![\w\-])", re.IGNORECASE),
]

# A pattern that opens with a lookbehind is tried at every position of the text; one that opens with a digit lets
# the regular expression engine skip to the digits, so the lookbehind is put after the first digit it guards.
DATE_PATTERNS = [
    re.compile(r"(?P<d>\d(?<![\d/.\-]\d)\d?)(?P<s>[/.\-])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4}|['’]?\d{2})(?![\d/\-]|\.\d)"),
    re.compile(r"(?P<y>(?:19|20)(?<![\d/.\-]..)\d{2})(?P<s>[/.\-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d/\-]|\.\d)"),
    re.compile(r"(?P<d>\d(?<![\w]\d)\d?)" + _ORD + r"(?:\s+of)?\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d{2})(?!\d)", re.I),
    re.compile(r"(?<![\w])" + _MON + r"\s+(?P<d>\d{1,2})" + _ORD + r",?\s+(?P<y>(?:19|20)\d{2})(?!\d)", re.I),
    re.compile(r"(?<![\w])" + _MON + r",?\s+(?P<y>(?:19|20)\d{2}|['’]\d{2})(?![\d'’])", re.I),  # "March '79"
    # "09 09 1975": spaces only with a four-digit year, so sort codes and phone numbers stay out
    re.compile(r"(?P<d>\d(?<![\d\-/.]\d)\d?) (?P<m>\d{1,2}) (?P<y>(?:19|20)\d{2})(?![\d\-/]|\.\d| \d)"),
    # "31 10 93": three pairs alone, as said in reply to "date of birth?" (a birth cue is still needed)
    re.compile(r"(?P<d>\d(?<!\d \d)(?<![\d\-/.]\d)\d) (?P<m>\d{2}) (?P<y>\d{2})(?![\d\-/]|\.\d| \d)"),
    # "27 / 05 / 1948", "30 | 06 | 1985": separators spaced out (a form's boxes), with a four-digit year
    re.compile(r"(?P<d>\d(?<![\d/.\-]\d)\d?)[ \t]+(?P<s>[/.\-|])[ \t]+(?P<m>\d{1,2})[ \t]+(?P=s)[ \t]+(?P<y>(?:19|20)\d{2})(?!\d)"),
    # "28-Feb-1997", "28/Feb/97": a month's name between numbers
    re.compile(r"(?P<d>\d(?<![\w]\d)\d?)(?P<s>[\-/ ])" + _MON + r"(?P=s)(?P<y>(?:19|20)\d{2}|\d{2})(?![\d\w])", re.I),
    # "1983, 6th of September": the year first
    re.compile(r"(?P<y>(?:19|20)(?<![\w]..)\d{2}),?[ \t]+(?:the[ \t]+)?(?P<d>\d{1,2}" + _ORD + r"|" + _ORD_WORD
               + r")(?:[ \t]+of)?[ \t]+" + _MON + r"(?![\w\-])", re.I),
    *SPOKEN_PATTERNS,
]

BIRTH_CUES = ("date of birth", "dob", "d.o.b", "d.o.b.", "born", "birth date", "birthdate", "birthday",
              "date geni", "dyddiad geni", "ganwyd", "b.", "d o b", "birth", "born on")
# Cues for other kinds of date: when one of these is nearer, the date is not a birth date.
OTHER_DATE_CUES = ("date of death", "died", "issued", "issue date", "expiry", "expires", "valid until",
                   "moved", "deadline", "due", "hearing", "dated", "date:", "until", "since",
                   "before", "after", "between", "started", "start date", "leaving", "left", "received", "sent", "paid", "reported",
                   "appointed", "filed", "incorporated", "arrived", "closed", "opened", "signed", "tenancy",
                   "date of change", "effective", "effective date", "employment start")


# "12/03/1985 (DOB)", "12/03/1985 - date of birth"
_BIRTH_AFTER = re.compile(r"\s*[(\[\-–,]\s*(dob|d\.o\.b\.?|date of birth|born|birth date)\b")


def _word_key(text: str) -> str:
    """A number said in words as the tables spell it: "Twenty one" -> "twenty-one"."""
    return re.sub(r"[ \t\-]+", "-", text.lower())


_DIGITS = re.compile(r"\d+")
_WORD_GAPS = re.compile(r"[ \t\-]+")
_OH_GLUED = re.compile(r"^oh(?=[a-z])")  # an "oh" run into the word after it


def _day(text: str) -> int:
    digits = _DIGITS.match(text)
    if digits:
        return int(digits.group(0))
    word = _word_key(text)
    return _ORDINALS.get(word) or _NUMBERS[word]


def _year(text: str, today: dt.date) -> int | None:
    """1985, '85, 85, "nineteen eighty-five", "eighty-five", "two thousand and three", "twenty twelve"."""
    t = _WORD_GAPS.sub(" ", text.lower().lstrip("'’")).strip()
    t = _OH_GLUED.sub("oh ", t)
    if t.isdigit():
        year = int(t)
    elif t.startswith("oh ") and t[3:] in _UNITS:
        year = _UNITS.index(t[3:]) + 1
    elif t.startswith("two thousand"):
        rest = t.removeprefix("two thousand").removeprefix(" and").strip()
        year = 2000 + (_NUMBERS.get(rest.replace(" ", "-"), 0) if rest else 0)
    elif t.startswith(("nineteen ", "twenty ")) and t.split(" ", 1)[1] != "":
        century, rest = t.split(" ", 1)
        if rest == "hundred":
            return 1900 if century == "nineteen" else 2000
        year = (1900 if century == "nineteen" else 2000) + _NUMBERS.get(rest.replace(" ", "-"), -100)
    else:
        year = _NUMBERS.get(t.replace(" ", "-"), -1)
    if year < 0:
        return None
    if year < 100:
        year += 1900 if year > today.year % 100 else 2000
    return year


_BORN_DAY = re.compile(
    r"(?i)\b(?:born|birthday)(?:[ \t]+(?:is|was|on|falls on))?(?:[ \t]*[-–,:][ \t]*|[ \t]+)(?:on[ \t]+)?(?:the[ \t]+)?"
    r"(?P<date>(?:\d{1,2}(?:st|nd|rd|th)?|" + _ORD_WORD + r")(?:[ \t]+of)?[ \t]+" + _MON.replace("(?P<mon>", "(?:") + r")"
    r"(?![ \t,]*(?:\d|nineteen|twenty|two thousand|'\d))")
# A year said in words: "nineteen forty-six", "ninety-three", "oh two", "two thousand".
_SPOKEN_YEAR = re.compile(r"(?:\b(?:nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ \t\-][a-z]+)?|"
                          r"\bthousand(?:[ \t]+and)?(?:[ \t]+[a-z]+)?|\boh[ \t\-]?[a-z]+)$|"
                          r"^(?:nineteen|twenty)[ \t\-][a-z]")
# Other days of a life said in words: "we got married on the fifth of May nineteen ninety", "came over in …".
_LIFE_EVENT_BEFORE = re.compile(r"\b(?:married|wedding|died|passed|funeral|came|arrived|moved|started|left|since|"
                                r"anniversary|divorced|separated)\b[^.?!\n]*$")
_BIRTH_QUESTION = re.compile(r"\b(?:dates? of birth|d\.?o\.?b|birthdays?|born|how old)\b")
# "son (2008-02-11), daughter (2012-07-30)": a family member, then a date in brackets.
_KIN_THEN_PAREN = re.compile(r"\b(?:son|daughter|child|baby|boy|girl|mother|mum|father|dad|brother|sister|partner|"
                             r"wife|husband|grandson|granddaughter|grandmother|grandfather|nan|gran|stepson|stepdaughter)"
                             r"[ \t]*\([ \t]*$")
_NAME_THEN_PAREN = re.compile(r"[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+){0,3}[ \t]*\([ \t]*(?:dob:?[ \t]*|b\.?[ \t]*)?$")


def parse_date(m: re.Match[str], today: dt.date) -> dt.date | None:
    groups = m.groupdict()
    if groups.get("mon"):
        month = MONTHS[groups["mon"].lower()]
    elif groups.get("mord"):
        month = _day(groups["mord"])
    elif groups.get("mnum"):
        month = _NUMBERS[_word_key(groups["mnum"])]
    else:
        month = int(groups["m"])
    day = _day(groups["d"]) if groups.get("d") else 1
    year = _year(groups["y"], today)
    return calendar_date(year, month, day) if year is not None and 1 <= month <= 12 else None


def find_dates(text: str, today: dt.date) -> list[tuple[int, int]]:
    """Spans of every parseable date, longest first where they overlap."""
    found = [m.span() for pattern in DATE_PATTERNS for m in pattern.finditer(text) if parse_date(m, today) is not None]
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda se: (se[0] - se[1], se[0])):  # longest first
        if not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
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
        # Birth dates already given (here, or read out digit by digit): a later mention of the same day
        # is the same birth date read back or restated ("12/3/91. Twelfth of March, ninety-one").
        birth_dates: set[dt.date] = doc.extras.setdefault("birth_dates", set())
        listed = _listed_with_names(doc, spans) - doc.extras.get("not_birth_cells", set())
        out = []
        previous_end = 0
        for start, end in spans:
            if _time_stamp(doc, start, end):
                continue
            date = _parse_span(doc.text, start, end, today)
            entity = self._score(doc, start, end, date, previous_end, today)
            previous_end = end
            if entity is None and date in birth_dates:
                entity = Entity(start, end, "DATE_OF_BIRTH", 0.8, self.name, ("same_as_birth_date",))
            elif entity is None and date is not None and date <= today and self._births_asked(doc, start, end):
                entity = Entity(start, end, "DATE_OF_BIRTH", 0.8, self.name, ("reply_to_birth_question",))
            elif entity is None and date is not None and (today - date).days > 180 and _KIN_THEN_PAREN.search(
                    doc.lower, max(0, start - 24), start) and re.match(r"[ \t]*\)", doc.text[end : end + 3]):
                entity = Entity(start, end, "DATE_OF_BIRTH", 0.75, self.name, ("family_member_then_date",))
            elif entity is None and start in listed and date is not None and (today - date).days > 365:
                entity = Entity(start, end, "DATE_OF_BIRTH", 0.7, self.name, ("list_of_people",))
            elif entity is None and date is not None and (today - date).days > 12 * 365 and \
                    _SPOKEN_YEAR.search(doc.lower[start:end]) and \
                    nearest_cue_before(doc, start, OTHER_DATE_CUES, 60) is None and \
                    not _LIFE_EVENT_BEFORE.search(doc.lower, max(0, start - 60), start):
                # "Is it the second of June nineteen forty-six?": a whole date said in words, years ago, is
                # someone's birthday read out far more often than any other date
                entity = Entity(start, end, "DATE_OF_BIRTH", 0.7, self.name, ("spoken_full_date",))
            if entity is not None:
                birth_dates.add(date)
                out.append(entity)
        out.extend(self._days_of_birth(doc, spans))
        return out

    def _days_of_birth(self, doc: TextDoc, spans: list[tuple[int, int]]) -> list[Entity]:
        """A birthday without its year: "he was born 28 September", "your birthday - the 8th of June"."""
        out = []
        for m in _BORN_DAY.finditer(doc.text):
            start, end = m.span("date")
            if not any(s < end and start < e for s, e in spans):
                out.append(Entity(start, end, "DATE_OF_BIRTH", 0.8, self.name, ("born_on_day",)))
        return out

    @staticmethod
    def _births_asked(doc: TextDoc, start: int, end: int) -> bool:
        """A reply, on one line, to "And the children's dates of birth?": every date in it is a birth date
        ("My son 5 June 2015, my daughter 11 November 2018")."""
        line_start = doc.line_start(start)
        question = reply_to(doc, speaker_label_end(doc, line_start) or line_start)
        if question is None or not _BIRTH_QUESTION.search(question):
            return False
        reply = doc.lower[doc.line_start(start) : start]
        return not cue_pattern(OTHER_DATE_CUES).search(reply[-40:])

    def _score(self, doc: TextDoc, start: int, end: int, date: dt.date | None, previous_end: int,
               today: dt.date) -> Entity | None:
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
            if after is not None:
                birth = Cue(after.group(1), 0)
            elif _NAME_THEN_PAREN.search(doc.text, max(0, start - 60), start) and \
                    re.match(r"\s*\)", doc.text[end : end + 3]) and (today - date).days > 180:
                # "Kerry-Ann Walsh (21/11/1995)": a date in brackets after a name is a birth date
                return Entity(start, end, "DATE_OF_BIRTH", 0.75, self.name, ("name_then_date",))
            else:
                return None
        return Entity(start, end, "DATE_OF_BIRTH", 0.5 + proximity_boost(birth, 0.48, self.window),
                      self.name, (f"context:{birth.word}",))


# A date with a clock time after it that ends its line or field stamps a post or a message
# ("BoneyM4ver1ck · Sun 14-Apr-24 21:12:08"); "born 4 January 2024 at 03:12" is no stamp.
_CLOCK_AFTER = re.compile(r"[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[ap]m)?[ \t]*(?:$|[\]|·,]|[ \t][-–—][ \t])",
                          re.MULTILINE | re.IGNORECASE)


def _time_stamp(doc: TextDoc, start: int, end: int) -> bool:
    return _CLOCK_AFTER.match(doc.text, end) is not None and "born" not in doc.lower[doc.line_start(start) : start]


def _parse_span(text: str, start: int, end: int, today: dt.date) -> dt.date | None:
    for pattern in DATE_PATTERNS:
        m = pattern.fullmatch(text, start, end)
        if m:
            return parse_date(m, today)
    return None


# A list line that gives a person and a date: "09:15 McLAUGHLIN, Siobhan – 08/09/1971", "- Ana Pop, 01/06/1999",
# or a court list's columns, two spaces apart ("1. OKONJO, Chukwuemeka  12/06/1995  Flat 7, ...").
_LIST_NAME_BEFORE = re.compile(
    r"[ \t]*(?:\d{1,2}[:.]\d{2}[ \t]+|[-•*·–][ \t]*|\d{1,3}[.)][ \t]*|\d{1,3}[ \t]+)?[A-Z][\w'’\-]+,?(?:[ \t]+[A-Z][\w'’\-]+){0,3}"
    r"(?:[ \t]*(?:[–—\-,:|]|\(d?o?b?:?)|[ \t]{2,}|\t)[ \t]*")
_LIST_DATE_AFTER = re.compile(r"[ \t]*(?:\)[ \t]*)?(?:$|[–—\-,;|(])|[ \t]{2,}|\t", re.MULTILINE)


def _listed_with_names(doc: TextDoc, spans: list[tuple[int, int]]) -> set[int]:
    """Starts of dates that follow a name on their line, when at least two lines of the text are laid out so:
    a list of people with one date each gives their dates of birth."""
    starts = {start for start, end in spans
              if _LIST_NAME_BEFORE.fullmatch(doc.text, doc.line_start(start), start)
              and _LIST_DATE_AFTER.match(doc.text, end)}
    return starts if len(starts) >= 2 else set()


@pii_recognisers.register("date_of_birth")
def date_of_birth(options: dict[str, Any]) -> DateOfBirthRecogniser:
    return DateOfBirthRecogniser(**options)


_GAP_AFTER_NAME = re.compile(r"[ \t]*(?:,|\(|[–—\-|])?[ \t]*")
_END_AFTER_DATE = re.compile(r"[ \t]*(?:[).,;|]|[ \t][-–—][ \t]|$)", re.MULTILINE)


class DateAfterNameRecogniser:
    """A past date written straight after a person's name is their birth date ("Father is Harold Goldberg,
    15/08/1933.", "Patrik 12.9.2015, Kristína 27.4.2013"). It runs after the name recogniser, and leaves
    recent dates alone: "Signed R. McGinley 7/11/24" dates the signature."""

    name = "date_after_name"
    labels = ("DATE_OF_BIRTH",)
    order = 45
    min_years = 3

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        people = {e.end: e for e in found if e.label == "PERSON" and e.score >= 0.5}
        if not people:
            return []
        births = {(e.start, e.end) for e in found if e.label == "DATE_OF_BIRTH" and e.score >= 0.5}
        today = dt.date.today()
        out = []
        for start, end in doc.extras.get("dates", ()):
            if (start, end) in births or not _END_AFTER_DATE.match(doc.text, end):
                continue
            date = _parse_span(doc.text, start, end, today)
            recent = date is None or (today - date).days < 365 * 10
            if recent and re.match(r",[ \t]+[a-z]", doc.text[end : end + 4]):
                continue  # "..., 3 May 2019, about the fence": the sentence goes on; a date of the story
            name_end = self._name_before(doc, start, people)
            if name_end is None:
                continue
            if date is None or (today - date).days < 365 * self.min_years or not plausible_birth_year(date.year, today):
                continue
            out.append(Entity(start, end, "DATE_OF_BIRTH", 0.7, self.name, ("after_name",)))
        return out

    @staticmethod
    def _name_before(doc: TextDoc, start: int, people: dict[int, Entity]) -> int | None:
        for end in people:
            if end <= start and start - end <= 4 and _GAP_AFTER_NAME.fullmatch(doc.text, end, start):
                before = doc.lower[max(doc.line_start(end), people[end].start - 12) : people[end].start]
                if re.search(r"\b(?:signed|dated|by|from|to|cc|per|with|met|meeting|saw|seen|visited|spoke to|"
                             r"called|rang|emailed|wrote to)[ \t:]*$", before):
                    return None  # a signature, a sender or a meeting, then the day it happened
                return end
        return None


_NAME_BEFORE = re.compile(r"(?:^|[,;:]|\band\b)[ \t]*(?P<n>[A-Za-z][A-Za-z'’\-]+(?:[ \t]+[A-Za-z][A-Za-z'’\-]+){0,2})"
                          r"[ \t]*[\-–:(]?[ \t]*$")


class NameBeforeBirthDateRecogniser:
    """Asked for "names and dates of birth", people list them: "ayaan 04/09/2014, liban 22/01/2017". In such a
    reply the words just before each birth date are a name, in whatever case they are typed."""

    name = "name_before_birth_date"
    labels = ("PERSON",)
    order = 46

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        births = [e for e in found if e.label == "DATE_OF_BIRTH" and e.score >= 0.5]
        people = [(e.start, e.end) for e in found if e.label == "PERSON" and e.score >= 0.5]
        out: list[Entity] = []
        for birth in births:
            line_start = doc.line_start(birth.start)
            head = speaker_label_end(doc, line_start) or line_start
            question = reply_to(doc, head)
            if question is None or "name" not in question:
                continue
            m = _NAME_BEFORE.search(doc.text[head : birth.start])
            if m is None:
                continue
            start, end = head + m.start("n"), head + m.end("n")
            words = m.group("n").split()
            if any(s < end and start < e for s, e in people) or not all(self._name_like(w) for w in words):
                continue
            out.append(Entity(start, end, "PERSON", 0.75, self.name, ("name_before_birth_date",)))
        return out

    @staticmethod
    def _name_like(word: str) -> bool:
        if gazetteer.key(word) in gazetteer.word_list("name_stop_words"):
            return False
        return gazetteer.is_first_name(word) or not gazetteer.is_english_word(word)  # not "born 3/4/2015"


@pii_recognisers.register("name_before_birth_date")
def name_before_birth_date(options: dict[str, Any]) -> NameBeforeBirthDateRecogniser:
    return NameBeforeBirthDateRecogniser()


@pii_recognisers.register("date_after_name")
def date_after_name(options: dict[str, Any]) -> DateAfterNameRecogniser:
    return DateAfterNameRecogniser(**options)
