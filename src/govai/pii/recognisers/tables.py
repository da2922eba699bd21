"""Tables whose header names the column: every value under "Name", "Surname", "DOB" or "Address".

Case systems export people as rows ("UPN | Name | DOB", "Tenancy Ref,Surname,Forename,Property"). A cell
says nothing about itself ("Ahmed, Yusuf", "19/07/2015"), but its column does, so the header decides.
A table is a header line followed by at least one line with the same number of cells, split by
``|``, tabs or commas (quoted CSV fields kept whole).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from typing import Any

from govai.pii import gazetteer
from govai.pii.entities import Entity
from govai.pii.recognisers.dates import find_dates, plausible_birth_year
from govai.pii.registry import TextDoc, pii_recognisers

SCORE = 0.95  # the header settles it: above any one recogniser's reading of a single cell

_PEOPLE = ("pupil student child claimant tenant client patient applicant customer employee member defendant parent "
           "carer resident occupant person staff payee keyworker caseworker worker officer").split()
PERSON_COLUMNS = frozenset([
    "name", "names", "full name", "surname", "surnames", "last name", "family name", "forename", "forenames",
    "first name", "first names", "given name", "given names", "surname first", "surname forename",
    "account name", "account holder", "name on account", "child's name", *_PEOPLE, *(f"{p} name" for p in _PEOPLE),
])
BIRTH_COLUMNS = frozenset(["dob", "d.o.b", "date of birth", "birth date", "born", "birthday", "d o b"])
ADDRESS_COLUMNS = frozenset(["address", "home address", "property", "property address", "addr", "current address",
                             "address line 1", "first line of address"])
# Columns whose values only need the right shape: the header says what they are ("Reg | Sort code | Account").
SHAPED_COLUMNS = {"reg": "VEHICLE_REG_UK", "vrm": "VEHICLE_REG_UK", "vehicle": "VEHICLE_REG_UK", "registration": "VEHICLE_REG_UK",
                  "vehicle reg": "VEHICLE_REG_UK", "number plate": "VEHICLE_REG_UK", "plate": "VEHICLE_REG_UK",
                  "sort code": "SORT_CODE", "sort": "SORT_CODE", "s/c": "SORT_CODE",
                  "account": "ACCOUNT_NUMBER", "account number": "ACCOUNT_NUMBER", "account no": "ACCOUNT_NUMBER",
                  "a/c": "ACCOUNT_NUMBER", "acc no": "ACCOUNT_NUMBER",
                  **{k: "PASSPORT_UK" for k in ("passport", "passport no", "passport no.", "passport number")},
                  **{k: "COMPANY_NUMBER" for k in ("company no", "company no.", "co. no.", "co no", "co. no", "crn",
                                                   "company number", "companies house no", "companies house number")}}
_SHAPES = {"VEHICLE_REG_UK": re.compile(r"[A-Z]{2}\d{2} ?[A-Z]{3}|[A-Z]\d{1,3} ?[A-Z]{3}|[A-Z]{3} ?\d{1,3}[A-Z]|[A-Z]{3} ?\d{1,4}",
                                        re.I),
           "SORT_CODE": re.compile(r"\d{2}([ \-]?)\d{2}\1\d{2}"),
           "ACCOUNT_NUMBER": re.compile(r"\d{4} ?\d{4}|\d{8}"),
           "PASSPORT_UK": re.compile(r"\d{9}"),
           "COMPANY_NUMBER": re.compile(r"\d{8}|(?:SC|NI|OC|SO|NC|R0)\d{6}", re.I)}
_NOT_VALUES = frozenset(["", "-", "–", "n/a", "na", "none", "unknown", "tbc", "nfa", "not known", "?", "same", "ditto"])
_TITLE = re.compile(r"(?i)^(?:mr|mrs|ms|miss|mx|dr|prof)\.?[ \t]+")
_NAME_CELL = re.compile(r"[^\W\d_][\w'’.\- ,]*")
_TRAILING_POSTCODE = re.compile(r"[ \t,]+[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}$", re.I)
_HEADER_CELL = re.compile(r"[^\W\d_][\w'’.()/,\- ]{0,40}|#|№")  # "Surname, Forename" heads one column; "#" a count


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of ``line``, outer spaces (and CSV quotes) left out."""
    out: list[tuple[int, int]] = []
    start, quoted = 0, False
    for i, ch in enumerate(line + sep):
        if ch == '"' and sep == ",":
            quoted = not quoted
        elif ch == sep and not quoted or i == len(line):
            s, e = start, min(i, len(line))
            while s < e and line[s] in ' \t"':
                s += 1
            while e > s and line[e - 1] in ' \t"':
                e -= 1
            out.append((s, e))
            start = i + 1
    if sep == "|" and out and out[0][0] == out[0][1] and line.lstrip().startswith("|"):
        out = out[1:]  # "| a | b |": the pipes at each end open and close the row
    if sep == "|" and out and out[-1][0] == out[-1][1] and line.rstrip().endswith("|"):
        out = out[:-1]
    return out


def _separator(line: str) -> str | None:
    for sep in ("|", "\t", ","):
        if line.count(sep) >= 1 and len(_cells(line, sep)) >= 2:
            return sep
    return None


def _column_kind(header: str) -> str | None:
    key = re.sub(r"[():*,]", "", header).strip().lower()
    key = re.sub(r"\s+", " ", key)
    if key in PERSON_COLUMNS:
        return "PERSON"
    if key in BIRTH_COLUMNS:
        return "DATE_OF_BIRTH"
    words = key.split()
    if any(" ".join(words[-n:]) in BIRTH_COLUMNS for n in (1, 2, 3) if 0 < len(words) - n <= 2):
        return "DATE_OF_BIRTH"  # whose birth: "Visitor DOB", "Child's date of birth"
    if key in ADDRESS_COLUMNS:
        return "ADDRESS"
    if key in SHAPED_COLUMNS:
        return SHAPED_COLUMNS[key]
    if "date" in key.split() or key in ("when", "day", "seen", "visited", "due", "expires", "issued"):
        return "OTHER_DATE"  # "Visit date", "Date seen": the day something happened, not a birth
    return None


def _key_value(lines: list[tuple[int, str]], i: int) -> bool:
    """ "| Surname | Agyeman-Boateng |" then "| First name | Efua |": a form's fields, one per row, not a header."""
    first = _cells(lines[i][1], "|")
    if len(first) != 2 or _column_kind(lines[i][1][slice(*first[1])]) is not None:
        return False
    # a field among the next rows, not only the first: "| Forenames | Jakub |" above "| Previous surname | – |" and
    # "| Date of birth | … |" is one of a form's fields, and its field names are not a column of names
    for _, nxt in lines[i + 1 : i + 5]:
        cells = _cells(nxt, "|")
        if len(cells) != 2:
            return False
        if _column_kind(nxt[slice(*cells[0])]) not in (None, "OTHER_DATE"):
            return True
    return False


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


class TableRecogniser:
    name = "table_columns"
    labels = ("PERSON", "DATE_OF_BIRTH", "ADDRESS", "VEHICLE_REG_UK", "SORT_CODE", "ACCOUNT_NUMBER")
    order = 18  # before dates of birth: a column headed "Visit date" tells them its dates are not births

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        if "|" not in doc.text and "\t" not in doc.text and "," not in doc.text:
            return []
        other_dates: set[int] = doc.extras.setdefault("not_birth_cells", set())
        headers: list[tuple[int, int]] = doc.extras.setdefault("table_headers", [])  # no names in a header row
        today = dt.date.today()
        lines = list(_lines(doc.text))
        out: list[Entity] = []
        i = 0
        while i < len(lines):
            header = self._header(lines[i][1])
            if header is None or _key_value(lines, i):
                i += 1
                continue
            sep, kinds = header
            headers.append((lines[i][0], lines[i][0] + len(lines[i][1])))
            j = i + 1
            if j < len(lines) and re.fullmatch(r"[\s|:\-+=]+", lines[j][1] or "x"):
                j += 1  # "|---|---|" under a Markdown header
            rows = 0
            while j < len(lines):
                offset, line = lines[j]
                cells = _cells(line, sep) if sep in line else []
                if len(cells) != len(kinds):
                    break
                for (s, e), kind in zip(cells, kinds):
                    if kind == "OTHER_DATE":
                        other_dates.add(offset + s)
                        continue
                    entity = self._value(doc.text, offset + s, offset + e, kind, today)
                    if entity is not None:
                        out.append(entity)
                rows += 1
                j += 1
            i = j if rows else i + 1
        out.extend(self._fields(doc, lines, today))
        return out

    def _fields(self, doc: TextDoc, lines: list[tuple[int, str]], today: dt.date) -> list[Entity]:
        """A record written as field|value lines ("applicant_surname|Gallagher", "dob|1958-03-02")."""
        out: list[Entity] = []
        for offset, line in lines:
            sep = "|" if "|" in line else "\t"
            if sep not in line or line.count(sep) != 1 and not line.lstrip().startswith("|"):
                continue
            cells = _cells(line, sep)
            if len(cells) != 2:
                continue  # "field|value" or "| Field | Value |"
            (fs, fe), (vs, ve) = cells
            field = re.sub(r"[_\-]+", " ", line[fs:fe]).strip().lower()
            field = re.sub(r"(?<=[a-z])(\d)$", r" \1", field)  # "address_line1"
            field = re.sub(r"^(?:applicant|claimant|client|tenant|customer|patient|person|pupil)\s+", "", field)
            kind = _column_kind(field) if field else None
            if kind is not None and vs < ve:
                entity = self._value(doc.text, offset + vs, offset + ve, kind, today)
                if entity is not None:
                    out.append(entity)
        return out

    @staticmethod
    def _header(line: str) -> tuple[str, list[str | None]] | None:
        sep = _separator(line)
        if sep is None:
            return None
        cells = [line[s:e] for s, e in _cells(line, sep)]
        if not all(_HEADER_CELL.fullmatch(c) and len(c.split()) <= 4 for c in cells):
            return None
        kinds = [_column_kind(c) for c in cells]
        return (sep, kinds) if any(k is not None for k in kinds) else None

    @staticmethod
    def _value(text: str, start: int, end: int, kind: str | None, today: dt.date) -> Entity | None:
        value = text[start:end]
        if kind is None or kind == "OTHER_DATE" or value.strip().lower() in _NOT_VALUES:
            return None
        if kind == "PERSON":
            title = _TITLE.match(value)
            if title:
                start += title.end()
                value = text[start:end]
            if not _NAME_CELL.fullmatch(value) or len(value.replace(",", " ").split()) > 5:
                return None
            if value.islower() and " " not in value and gazetteer.is_english_word(value):
                return None  # "visitor", "vacant": a word in a name column
        elif kind == "DATE_OF_BIRTH":
            dates = find_dates(value, today)
            if len(dates) != 1 or dates[0] != (0, len(value)):
                return None
            years = [int(y) for y in re.findall(r"\d{4}", value)]
            if years and not plausible_birth_year(years[0], today):
                return None
        elif kind in _SHAPES:
            if not _SHAPES[kind].fullmatch(value):
                return None
        elif not any(c.isalpha() for c in value) or "@" in value:
            return None
        elif kind == "ADDRESS" and (postcode := _TRAILING_POSTCODE.search(value)):
            end = start + postcode.start()  # the postcode is its own span
        return Entity(start, end, kind, SCORE, TableRecogniser.name, ("column_header",))


@pii_recognisers.register("table_columns")
def table_columns(options: dict[str, Any]) -> TableRecogniser:
    return TableRecogniser(**options)
