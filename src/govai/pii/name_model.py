"""A learned second opinion on name candidates.

The names recogniser finds candidates by rules (word lists, titles, cues) and
scores them by hand-set weights; it also proposes wide candidates no rule
settles: capitals that may be someone's initials ("KM", "RH drafting") and
handles in a chat or forum ("<sue.c>", "u/GeordieTaxGuy"). This model reads
each candidate's rule score, its evidence and the words around it, and gives the
probability that it names a person. It is a logistic regression trained on the
hand-written evaluation sets (``python -m govai.pii.train_name_model``, grouped
by set so each set's figures come from a model that never saw it) and shipped as
a table of weights: scoring a candidate is a sum over a few dozen features.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Protocol

from govai.pii import gazetteer

# Candidates the rules score this high are kept as they are: out of fold, the model never overturned one.
RULES_SETTLE = 0.9

_TITLE_BEFORE = re.compile(r"(?:^|[^\w])(?:mr|mrs|ms|miss|mx|dr|prof|rev|cllr|sir|dame|pc|ds|dc|di|sgt|cst|insp|"
                           r"nurse|sister|fr|father)\.?[ \t]+$", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’\-]*)[ \t]*[,:]?[ \t]*$")
_WORD_AFTER = re.compile(r"^[ \t]*[,:]?[ \t]*([^\W\d_][\w'’\-]*)")
_CAPS = re.compile(r"^[A-Z][A-Z.'’]*$")
# Verbs and phrases that follow someone who acts in minutes and notes ("RA to organise", "RH drafting").
_ACTS_AFTER = re.compile(
    r"^(?:['’]s)?[ \t]+(?:to[ \t]+[a-z]+|[a-z]+ed|[a-z]+ing|will|would|said|says|asked|agreed|noted|reported|"
    r"has|had|is|was|and[ \t]+[A-Z])\b")
_FIELD_LABEL_BEFORE = re.compile(r"[A-Za-z][\w /()]{0,30}:[ \t]*$")
_SPEAKER_AFTER = re.compile(r"^[ \t]*(?:\([^)\n]{0,30}\))?[ \t]*:")
_CAPS_LIST_BEFORE = re.compile(r"\b[A-Z]{2,3}\)?[ \t]*[,/&;][ \t]*(?:[a-z]+\.?[ \t]+)?\(?$")
_CAPS_LIST_AFTER = re.compile(r"^\)?[ \t]*[,/&;][ \t]*(?:[a-z]+\.?[ \t]+)?[A-Za-z ]{0,12}\(?[A-Z]{2,3}\b")
_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ]")  # Latin capitals: enough to tell a text typed in lower case
HANDLE_SHAPE = re.compile(r"[._]|\d|[a-z][A-Z]")  # "chloe.mcgrath02", "LeanneGrahamB16": shaped like a handle
_HANDLE_PREFIX = re.compile(r"(?:u/|@|<|↳[ \t]*@?|posted by[ \t]+|by[ \t]+)$", re.IGNORECASE)


def _shape(value: str) -> str:
    if _CAPS.match(value.replace(" ", "")) and len(value.replace(".", "").replace(" ", "")) <= 4:
        return "initials"
    if HANDLE_SHAPE.search(value) and " " not in value:
        return "handle"
    if value.isupper():
        return "upper"
    if value.islower():
        return "lower"
    return "title"


class Scored(Protocol):
    start: int
    end: int
    score: float
    evidence: Iterable[str]


def text_context(text: str, candidates: Iterable[Scored]) -> tuple[Counter[str], frozenset[str]]:
    """What ``features`` reads of the whole text: each candidate value's mentions, and the evidence of the names
    the rules accepted. The recogniser and the trainer both build it here, so they cannot drift apart."""
    candidates = list(candidates)
    counts = Counter(text[c.start : c.end] for c in candidates)
    return counts, frozenset(why for c in candidates if c.score >= 0.5 for why in c.evidence)


def features(text: str, start: int, end: int, score: float, evidence: Iterable[str],
             counts: Mapping[str, int], text_evidence: frozenset[str] = frozenset()) -> dict[str, float]:
    """The candidate ``text[start:end]``'s features. ``counts`` holds each candidate value's mentions in the
    text, ``text_evidence`` the evidence of the names the rules accepted in it."""
    value = text[start:end]
    words = value.split()
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - 40) : start]
    after = text[end : min(line_end, end + 40)]
    shape = _shape(value)
    keys = [gazetteer.key(w) for w in words]
    f: dict[str, float] = {"bias": 1.0, f"shape={shape}": 1.0, "rule_score": min(score, 0.99)}
    for band in (0.3, 0.5, 0.7, 0.9):
        if score >= band:
            f[f"score>={band}"] = 1.0
    for why in set(evidence):
        f[f"ev={why}"] = 1.0
        if len(words) >= 2:
            f[f"ev={why}+words"] = 1.0  # the same evidence for a full name weighs differently
    f[f"tokens={min(len(words), 3)}"] = 1.0
    if keys and gazetteer.is_first_name(keys[0]):
        f["first_listed"] = 1.0
    if keys and gazetteer.is_surname(keys[-1]):
        f["last_listed"] = 1.0
    if shape != "initials" and any(gazetteer.is_english_word(k) for k in keys):
        f["english_word"] = 1.0
    for why in ("initials", "speaker", "handle", "lower_case_text"):
        if why in text_evidence:
            f[f"text_has={why}"] = 1.0
    if any(gazetteer.is_town(w) for w in words):
        f["town"] = 1.0
    if shape == "handle":
        _handle(f, value)
    if counts.get(value, 0) >= 2:
        f["repeated"] = 1.0
    _context(f, before, after, text)
    return f


_HANDLE_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# Read again with a run of capitals as a word of its own ("DWPgovuk": dwp, govuk; "HMRCcustomers": hmrc, customers).
_HANDLE_PART_ACRONYM = re.compile(r"[A-Z]{2,}(?=[a-z]{3,})|[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_ORGANISATION_WORDS = gazetteer.word_list("organisation_words") | {"uk", "advice", "info", "team", "official", "help",
                                                                    "news", "gov", "hq", "support", "service",
                                                                    "railway", "rail", "trains", "buses",
                                                                    "travel", "cncl", "govuk", "mail",
                                                                    "customers", "westcoast", "coast", "cc", "mbc"}


def handle_parts(value: str) -> list[str]:
    """The words of a handle, lower case: "LeanneGrahamB16" -> leanne, graham, b."""
    return [p.lower() for p in _HANDLE_PART.findall(value)]


def organisation_handle(value: str) -> bool:
    """ "advicenow_uk", "LpoolCouncil": a handle holding an organisation's words."""
    acronym_first = [p.lower() for p in _HANDLE_PART_ACRONYM.findall(value)]
    return any(p in _ORGANISATION_WORDS for p in [*handle_parts(value), *acronym_first])


def _handle(f: dict[str, float], value: str) -> None:
    """ "chloe.mcgrath02" opens with a first name; "advicenow_uk" holds an organisation's words."""
    parts = handle_parts(value)
    if parts and len(parts[0]) >= 3 and gazetteer.is_first_name(parts[0]):
        f["handle_first_name"] = 1.0
    if organisation_handle(value):
        f["handle_organisation_word"] = 1.0


def _context(f: dict[str, float], before: str, after: str, text: str) -> None:
    if not before.strip():
        f["line_start"] = 1.0
    if not after.strip(" \t.,;!"):
        f["line_end"] = 1.0
    if not after.strip() and not before.strip():
        f["alone_on_line"] = 1.0
    if _TITLE_BEFORE.search(before):
        f["title_before"] = 1.0
    if _FIELD_LABEL_BEFORE.search(before):
        f["label_before"] = 1.0
    if _SPEAKER_AFTER.match(after):
        f["speaker"] = 1.0
    if _ACTS_AFTER.match(after):
        f["acts_after"] = 1.0
    if _HANDLE_PREFIX.search(before):
        f["handle_prefix"] = 1.0
    stripped_before = before.rstrip(" \t")
    stripped_after = after.lstrip(" \t")
    for mark in "(,&/–-.":
        if stripped_before.endswith(mark):
            f[f"before={mark}"] = 1.0
        if stripped_after.startswith(mark):
            f[f"after={mark}"] = 1.0
    if stripped_after.startswith(("'s", "’s")):
        f["possessive"] = 1.0
    wb = _WORD_BEFORE.search(before)
    if wb:
        f["word_before=" + ("cap" if wb.group(1)[0].isupper() else "lower")] = 1.0
    wa = _WORD_AFTER.match(after)
    if wa:
        f["word_after=" + ("cap" if wa.group(1)[0].isupper() else "lower")] = 1.0
    if stripped_before.endswith(".") and f.get("line_end"):
        f["signs_off_note"] = 1.0  # "… Next visit 26/02. KM"
    if _CAPS_LIST_BEFORE.search(before) or _CAPS_LIST_AFTER.match(after):
        f["among_capitals"] = 1.0  # "JW, sec. MC", "IDVA (CT), CSC (MJ)"
    if _in_lower_case(text):
        f["text_in_lower_case"] = 1.0


@lru_cache(maxsize=4)
def _in_lower_case(text: str) -> bool:
    """Almost no capitals anywhere (read once per text: every candidate of a text asks)."""
    return len(_CAPITAL.findall(text)) < 0.01 * max(len(text), 1)


@dataclass(frozen=True)
class NameModel:
    weights: Mapping[str, float]
    threshold: float = 0.5
    # Evidence the training rows held; a candidate with evidence outside it keeps its rule score (the model
    # has no weight for what it never saw, so it would judge such a candidate by its shape alone).
    known_evidence: frozenset[str] | None = None

    def knows(self, evidence: Iterable[str]) -> bool:
        return self.known_evidence is None or all(why in self.known_evidence for why in evidence)

    def probability(self, feats: Mapping[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * value for name, value in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def score(self, feats: Mapping[str, float]) -> float:
        """The probability, moved so that the shipped threshold lands on the detector's 0.5, and kept under
        what the rules score a settled candidate: a second opinion accepts a name, it does not outrank a
        table's column or another recogniser's sure span."""
        p = self.probability(feats)
        t = self.threshold
        return 0.5 * p / t if p < t else 0.5 + (RULES_SETTLE - 0.01 - 0.5) * (p - t) / (1 - t)


@lru_cache(maxsize=1)
def shipped() -> NameModel:
    data = json.loads(resources.files("govai.pii").joinpath("data/name_model.json").read_text(encoding="utf-8"))
    return NameModel(data["weights"], float(data.get("threshold", 0.5)), frozenset(data["known_evidence"]))
