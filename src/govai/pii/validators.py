"""Check-digit and issuing-rule validators for UK identifiers.

Each takes the matched text (separators allowed) and returns True when the
value could have been issued. They are pure functions so recognisers, tests and
the benchmark share one definition.
"""

from __future__ import annotations

import datetime as _dt
import re

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def compact(value: str) -> str:
    """Upper case with spaces, hyphens and other separators removed."""
    return _NON_ALNUM.sub("", value).upper()


def nhs_number(value: str) -> bool:
    """NHS mod 11: weights 10..2 on the first nine digits; 11 -> 0, 10 -> invalid."""
    digits = compact(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def utr(value: str) -> bool:
    """UTR: the FIRST digit checks digits 2-10 (weights 6,7,8,9,10,5,4,3,2)."""
    digits = compact(value)
    if digits.endswith("K"):
        digits = digits[:-1]
    if len(digits) == 13 and digits.isdigit():  # 13-digit form: the UTR is the last ten
        digits = digits[3:]
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[1:], (6, 7, 8, 9, 10, 5, 4, 3, 2)))
    return "21987654321"[total % 11] == digits[0]


def vat_gb(value: str) -> bool:
    """GB VAT: weights 8..2 on seven digits plus the last two; divisible by 97, or by 97 after adding 55."""
    digits = compact(value)
    if digits.startswith("GB"):
        digits = digits[2:]
    if len(digits) == 12 and digits.isdigit():  # branch traders: the last three are a branch id
        digits = digits[:9]
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1))) + int(digits[7:])
    return total % 97 == 0 or (total + 55) % 97 == 0


def iban(value: str) -> bool:
    """ISO 7064 mod 97-10 on any IBAN."""
    code = compact(value)
    if len(code) < 15 or not code[:2].isalpha() or not code[2:4].isdigit():
        return False
    rearranged = code[4:] + code[:4]
    try:
        number = int("".join(str(int(ch, 36)) for ch in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def iban_gb(value: str) -> bool:
    code = compact(value)
    return len(code) == 22 and code.startswith("GB") and code[4:8].isalpha() and code[8:].isdigit() and iban(code)


_NINO_BAD_FIRST = set("DFIQUV")
_NINO_BAD_SECOND = set("DFIOQUV")
_NINO_BAD_PAIRS = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino(value: str) -> bool:
    """Two prefix letters (issuing rules), six digits, suffix A-D."""
    code = compact(value)
    if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", code):
        return False
    first, second = code[0], code[1]
    return first not in _NINO_BAD_FIRST and second not in _NINO_BAD_SECOND and code[:2] not in _NINO_BAD_PAIRS


# Every postcode area in use (Royal Mail), plus the non-geographic BF and BX.
POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
    E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS
    LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS
    ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE""".split()
)
_POSTCODE = re.compile(r"([A-Z]{1,2})(\d[A-Z\d]?)(\d)([A-Z]{2})")
_OUTWARD_SHAPES = re.compile(r"[A-Z](?:\d|\d\d|\d[A-Z])|[A-Z]{2}(?:\d|\d\d|\d[A-Z])")


def postcode_shape(value: str) -> bool:
    """BS 7666 letter rules (no area check)."""
    code = compact(value)
    if code == "GIR0AA":
        return True
    m = _POSTCODE.fullmatch(code)
    if not m:
        return False
    area, district, _, unit = m.groups()
    outward = area + district
    if not _OUTWARD_SHAPES.fullmatch(outward):
        return False
    if area[0] in "QVX" or (len(area) == 2 and area[1] in "IJZ"):
        return False
    return not set(unit) & set("CIKMOV")


def postcode(value: str) -> bool:
    """Letter rules and a postcode area that exists."""
    code = compact(value)
    if code == "GIR0AA":
        return True
    m = _POSTCODE.fullmatch(code)
    return bool(m) and postcode_shape(code) and m.group(1) in POSTCODE_AREAS


def driving_licence_gb(value: str) -> bool:
    """DVLA layout: surname (9-padded), decade, month (+50), day, year digit, initials, digit, 2 check chars."""
    code = compact(value)
    m = re.fullmatch(r"([A-Z][A-Z]{0,4}9*)(\d)(\d\d)(\d\d)(\d)([A-Z9]{2})(\d)([A-Z0-9]{2})(\d{2})?", code)
    if not m or len(m.group(1)) != 5:
        return False
    month, day = int(m.group(3)), int(m.group(4))
    if month > 50:
        month -= 50
    initials = m.group(6)
    return 1 <= month <= 12 and 1 <= day <= 31 and initials[0] != "9"


def vehicle_reg_current(value: str) -> bool:
    """Current style AB12 CDE: age identifier 02-26 (March) or 51-76 (September); no I or Q."""
    code = compact(value)
    m = re.fullmatch(r"([A-Z]{2})(\d\d)([A-Z]{3})", code)
    if not m:
        return False
    age = int(m.group(2))
    return (2 <= age <= 26 or 51 <= age <= 76) and not set(m.group(1) + m.group(3)) & {"I", "Q"}


_MRZ_VALUES = {**{str(d): d for d in range(10)}, **{chr(c): c - 55 for c in range(65, 91)}, "<": 0}


def mrz_check_digit(field: str) -> int:
    """ICAO 9303 check digit: weights 7, 3, 1 repeating."""
    return sum(_MRZ_VALUES.get(ch, 0) * (7, 3, 1)[i % 3] for i, ch in enumerate(field.upper())) % 10


def passport_mrz_number(number_field: str, check: str) -> bool:
    """A passport number as written in the machine-readable zone, with its check digit."""
    return check.isdigit() and mrz_check_digit(number_field) == int(check)


def calendar_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def plausible_birth_year(year: int, today: _dt.date | None = None) -> bool:
    today = today or _dt.date.today()
    return 1900 <= year <= today.year


def sort_code(value: str) -> bool:
    """Six digits. Bank-level modulus checks need an account number and Pay.UK's table."""
    code = compact(value)
    return len(code) == 6 and code.isdigit()
