"""Rebuild the public-source word lists in ``govai/pii/data/`` (a maintainer's tool, never run at run time).

    pip download --no-deps -d /tmp/src faker==40.63.0 names==0.3.0   # then unpack both
    apt-get download wbritish-small && dpkg-deb -x wbritish-small_*.deb /tmp/src/scowl
    pip download --no-deps -d /tmp/src gender-guesser==0.4.0                # then unpack it
    python -m govai.pii.build_lists --faker /tmp/src/faker --names /tmp/src/names-0.3.0 \
        --scowl /tmp/src/scowl/usr/share/dict/british-english-small \
        --nam-dict /tmp/src/gender_guesser/data/nam_dict.txt

Writes ``first_names_public.txt``, ``surnames_public.txt``, ``common_words.txt`` and
``first_names_nam_dict.txt``; DATA_CARD.md
says where each comes from and under which licence. Non-Latin scripts are transliterated
(Cyrillic, Greek) or left out (Arabic, Persian, Indic scripts, Chinese characters: the romanised
lists stand in for them).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Faker person providers whose names are written in Latin script (or have romanised lists),
# chosen for the communities that live in the UK.
LATIN_LOCALES = (
    "en_GB en_IE ga_IE en_US en_IN en_PK en_NG yo_NG ig_NG ha_NG tw_GH en_KE sw zu_ZA "
    "pl_PL ro_RO lt_LT lv_LV cs_CZ sk_SK hu_HU hr_HR sl_SI et_EE tr_TR pt_PT pt_BR es_ES it_IT fr_FR de_DE "
    "vi_VN zh_CN zh_TW"
).split()
TRANSLITERATED_LOCALES = ("uk_UA", "ru_RU", "bg_BG", "el_GR")
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_unisex",
               "first_romanized_names", "first_romanized_names_male", "first_romanized_names_female")
LAST_ATTRS = ("last_names", "last_names_male", "last_names_female", "last_romanized_names")
CENSUS_SURNAMES = 20_000  # the most frequent US Census 1990 surnames (about 85 % of people)

_CYRILLIC = dict(zip(
    "абвгґдеєжзиіїйклмнопрстуфхцчшщъьюяыэё",
    "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch a  iu ia y e e".split(" "),
))
_CYRILLIC_BG = {**_CYRILLIC, "г": "g", "и": "i", "й": "y", "х": "h", "щ": "sht", "ъ": "a", "ю": "yu", "я": "ya"}
_CYRILLIC_RU = {**_CYRILLIC, "г": "g", "и": "i", "й": "y", "х": "kh", "ю": "yu", "я": "ya", "е": "e"}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_GREEK_PAIRS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "μπ": "b", "ντ": "d", "γκ": "g", "γγ": "ng"}


def _strip_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def transliterate(word: str, locale: str) -> str:
    lower = word.lower()
    if locale == "el_GR":
        lower = _strip_accents(lower)
        for pair, latin in _GREEK_PAIRS.items():
            lower = lower.replace(pair, latin)
        return "".join(_GREEK.get(c, c) for c in lower)
    table = {"bg_BG": _CYRILLIC_BG, "ru_RU": _CYRILLIC_RU}.get(locale, _CYRILLIC)
    return "".join(table.get(c, c) for c in lower)


_LATIN_WORD = re.compile(r"^[a-zà-ɏḀ-ỿ'’\-]+$")


def _words(value: str) -> list[str]:
    """Single words of a name entry, lower case, Latin letters only ("Mary-Jane" stays whole)."""
    out = []
    for part in value.replace(".", " ").split():
        part = part.strip("'’-").lower()
        if len(part) >= 2 and _LATIN_WORD.match(part):
            out.append(part)
    return out


def faker_names(faker_root: Path) -> tuple[set[str], set[str]]:
    sys.path.insert(0, str(faker_root))
    first: set[str] = set()
    last: set[str] = set()
    for locale in (*LATIN_LOCALES, *TRANSLITERATED_LOCALES):
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attrs, bucket in ((FIRST_ATTRS, first), (LAST_ATTRS, last)):
            for attr in attrs:
                values = getattr(provider, attr, None) or ()
                for value in values:
                    text = transliterate(value, locale) if locale in TRANSLITERATED_LOCALES else value
                    bucket.update(_words(text))
    return first, last


def census_names(names_root: Path) -> tuple[set[str], set[str]]:
    folder = names_root / "names"
    first = {line.split()[0].lower() for f in ("dist.male.first", "dist.female.first")
             for line in (folder / f).read_text().splitlines() if line.strip()}
    rows = [line.split()[0].lower() for line in (folder / "dist.all.last").read_text().splitlines() if line.strip()]
    return first, set(rows[:CENSUS_SURNAMES])


def common_words(scowl: Path) -> set[str]:
    """Lower-case entries of SCOWL's small British list: everyday words (proper nouns are capitalised there)."""
    return {w for w in scowl.read_text(encoding="latin-1").split() if w.isalpha() and w.islower() and len(w) > 1}


def nam_dict_names(path: Path) -> set[str]:
    """First names of Jörg Michael's nam_dict.txt (about 48,000 names from 54 countries, GFDL 1.2), as
    shipped in the gender-guesser package: the name fills columns 4-29; "+" joins the parts of a
    compound name ("Hee+Seon"); lines starting "=" pair a short form with a long one and add nothing new."""
    names: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "=")) or len(line) < 30:
            continue
        names.update(_words(line[3:29].replace("+", " ")))
    return names


def _write(name: str, header: str, words: set[str]) -> None:
    lines = [f"# {line}" for line in header.strip().splitlines()]
    (DATA / f"{name}.txt").write_text("\n".join([*lines, *sorted(words)]) + "\n", encoding="utf-8")
    print(f"{name}.txt: {len(words)} entries")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faker", type=Path, required=True, help="unpacked faker wheel (the folder holding faker/)")
    parser.add_argument("--names", type=Path, required=True, help="unpacked names sdist (names-0.3.0/)")
    parser.add_argument("--scowl", type=Path, required=True, help="british-english-small from wbritish-small")
    parser.add_argument("--nam-dict", type=Path, required=True,
                        help="gender_guesser/data/nam_dict.txt from the gender-guesser 0.4.0 wheel")
    args = parser.parse_args(argv)
    f_first, f_last = faker_names(args.faker)
    c_first, c_last = census_names(args.names)
    _write("first_names_public", """
First names from public lists (see DATA_CARD.md): Faker's person providers (MIT) for the locales
in govai/pii/build_lists.py, Cyrillic and Greek transliterated; US Census 1990 first names
(public domain, via the MIT-licensed `names` package). Lower case, one per line. Generated:
python -m govai.pii.build_lists (do not edit by hand; add names to first_names.txt instead).
""", f_first | c_first)
    _write("surnames_public", f"""
Surnames from public lists (see DATA_CARD.md): Faker's person providers (MIT) for the locales in
govai/pii/build_lists.py, Cyrillic and Greek transliterated; the {CENSUS_SURNAMES:,} most frequent
US Census 1990 surnames (public domain, via the MIT-licensed `names` package). Lower case, one per
line. Generated: python -m govai.pii.build_lists (add names to surnames.txt instead).
""", f_last | c_last)
    _write("common_words", """
Everyday English words: the lower-case entries of SCOWL's british-english-small list (Debian
package wbritish-small; Copyright 2000-2011 Kevin Atkinson and others, permissive licence quoted
in DATA_CARD.md). A name that is also one of these ("Will", "Grace", "Rose") needs more evidence.
Generated: python -m govai.pii.build_lists.
""", common_words(args.scowl))
    _write("first_names_nam_dict", """
First names from nam_dict.txt (Copyright (c) 2007-2008 Jörg Michael; GNU Free Documentation
License 1.2), as shipped in the gender-guesser 0.4.0 package: about 48,000 first names from 54
countries, among them many the Faker lists lack (Welsh, South Asian, Arabic, Somali, Polish
diminutives). This derived list is distributed under the same licence. Lower case, one per line.
Generated: python -m govai.pii.build_lists.
""", nam_dict_names(args.nam_dict))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
