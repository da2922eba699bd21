"""Values typed into a form's boxes, one character per box: "Sort code: 3 0 - 1 5 - 9 9", "Date of birth:
2 1 / 0 7 / 1 9 7 0", "Account number: 0 6 1 8 3 4 5 2", "O7 O9 1952" scanned with letter O for zero.

The label says what the value is; the value is read with its spaces, box rules ("|") and scanning slips
(O for 0, l or I for 1) taken out, and kept only when it then has the shape of that identifier.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from govai.pii import validators as v
from govai.pii.entities import Entity
from govai.pii.registry import TextDoc, pii_recognisers

# A label, then a value of single characters (or pairs) separated by spaces, box rules or separators.
_DIGITS = r"[0-9OoIl](?:[ \t|/\-.]{0,5}[0-9OoIl])+"
_FIELD = re.compile(
    r"(?im)(?:(?P<sort>sort[ \t]*code)|(?P<dob>date[ \t]+of[ \t]+b[i1l]rth(?:[ \t]*\([^)]{0,20}\))?|d\.?o\.?b\.?)|"
    r"(?P<account>account[ \t]+(?:number|no\.?))|(?P<nino>nat[i1l]onal[ \t]+[i1l]nsurance[ \t]+(?:number|no\.?)|"
    r"ni[ \t]+(?:number|no\.?)|nino))[ \t]*[:.]?[ \t]*"
    # the boxes may sit on the next line, after the form's hint ("D D M M Y Y Y Y →")
    r"(?:\n[ \t]*\|?[ \t]*(?=[0-9OoIlA-Za-z][ \t|]))?(?:D[ \t]*D[ \t]*M[ \t]*M[ \t]*Y[ \t]*Y(?:[ \t]*Y[ \t]*Y)?[ \t]*(?:→|->|:|-)?[ \t]*)?"
    r"\|?[ \t]*(?P<value>(?(nino)[A-Za-z](?:[ \t|]*[A-Za-z0-9]){8}|" + _DIGITS + r"))")
# A name typed one letter per box: "Surname: | M|A|C|M|A|H|O|N |", "Surname: A L - H A S H I M I",
# "2  Surname         |T|R|Ư|Ơ|N|G|", "First names   |D|A|V|I|D| |G|A|R|E|T|H|" (a blank box between two names).
_NAME_FIELD = re.compile(
    r"(?im)(?:^|[ \t]{2,}|\|)[ \t]*(?:\d{1,2}\.?[ \t]+)?(?:surname|forenames?|forename\(s\)|first[ \t]+names?|"
    r"first[ \t]+name\(s\)|last[ \t]+name|family[ \t]+name|(?P<whole>full[ \t]+name|applicant['’]?s?[ \t]+name|name))"
    r"(?:[ \t]*:[ \t]*|[ \t]{2,}|[ \t]*(?=\|))\|?[ \t]*"
    r"(?P<value>[^\W\d_](?:[ \t|]{1,3}(?:[-'’][ \t|]{1,3})?[^\W\d_]){2,})(?![^\W\d_])")
_NAME_PART = re.compile(r"(?:(?!\|[ \t]+\||[ \t]{2,})[^\n])+")  # the value up to a blank box
_WHOLE_VALUE = re.compile(r".+")
_SLIPS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def _compact(value: str) -> str:
    return re.sub(r"[\s|/\-.]", "", value)


class BoxedFieldRecogniser:
    name = "boxed_fields"
    labels = ("SORT_CODE", "ACCOUNT_NUMBER", "DATE_OF_BIRTH", "NINO", "PERSON")
    order = 16

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        out = []
        for m in _FIELD.finditer(doc.text):
            value = m.group("value").rstrip()
            singles = sum(len(g) == 1 for g in re.split(r"[ \t|/\-.]+", value))
            if "|" not in value and singles < 3 and not re.search(r"[Oo]\d|\d[Oo]|\d[ \t]+[/\-.][ \t]+\d", value):
                continue  # written as usual ("30-15-99", "08 32 00"): the other recognisers read it
            start = m.start("value")
            kind = next(k for k in ("sort", "dob", "account", "nino") if m.group(k))
            label = self._label(kind, value)
            if label is not None:
                out.append(Entity(start, start + len(value), label, 0.9, self.name, ("boxed_form_field",)))
        for m in _NAME_FIELD.finditer(doc.text):
            # Forenames stay together, as typed ones do ("Seán Patrick"); a whole name splits at its blank box
            # into forenames and surname ("|O|D|U|Y|A| |F|O|L|A|S|A|D|E|").
            for part in (_NAME_PART if m.group("whole") else _WHOLE_VALUE).finditer(m.group("value")):
                name = part.group(0).strip(" \t|")
                if len(re.sub(r"\W", "", name)) >= 2:
                    begin = m.start("value") + part.start() + part.group(0).index(name)
                    out.append(Entity(begin, begin + len(name), "PERSON", 0.9, self.name, ("boxed_name",)))
        return out

    @staticmethod
    def _label(kind: str, value: str) -> str | None:
        if kind == "nino":  # only when boxed ("J T 4 5 …"): "JT 45 67 89 D" is the NINO recogniser's
            boxed = re.match(r"[A-Za-z][ \t|]+[A-Za-z]", value)
            return "NINO" if boxed and v.nino(_compact(value).upper()) else None
        digits = _compact(value).translate(_SLIPS)
        if kind == "sort":
            return "SORT_CODE" if re.fullmatch(r"\d{6}", digits) else None
        if kind == "account":
            return "ACCOUNT_NUMBER" if re.fullmatch(r"\d{8}", digits) else None
        if not re.fullmatch(r"\d{8}", digits):
            return None
        date = v.calendar_date(int(digits[4:]), int(digits[2:4]), int(digits[:2]))
        return "DATE_OF_BIRTH" if date is not None and date <= dt.date.today() else None


@pii_recognisers.register("boxed_fields")
def boxed_fields(options: dict[str, Any]) -> BoxedFieldRecogniser:
    return BoxedFieldRecogniser(**options)
