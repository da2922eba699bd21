"""Names of people: capitalised word runs scored on UK name lists, titles, context and a NER model.

Evidence adds up: a known first name followed by a known surname is strong on
its own; an unknown pair needs a title, a label ("Patient:"), a phrase ("my
name is", "Hi"), a sign-off above it, or the NER model's agreement. The model
runs only on those unsettled candidates, which keeps throughput high. Once a
full name is found, later mentions of its parts ("Dear Mr Martin", "Hi Ava")
are names too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from govai.pii import gazetteer
from govai.pii.entities import Entity
from govai.pii.ner import DEFAULT_MODEL, entity_spans
from govai.pii.registry import TextDoc, pii_recognisers

# Word lists in govai/pii/data/ (each file's header says what it holds).
TITLES = gazetteer.word_list("titles")
STOP = gazetteer.word_list("name_stop_words")  # capitalised, but never part of a name
ORG_WORDS = gazetteer.word_list("organisation_words")  # a run ending in one is an organisation
LABEL_WORDS = gazetteer.phrase_list("name_labels")  # "Patient:", "Prepared by:"
STRONG_CUES = gazetteer.phrase_list("name_cues_strong")  # "my name is", "Dear"
WEAK_CUES = gazetteer.phrase_list("name_cues_weak")  # "to", "by"


def _ends_with_any(cues: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(c) for c in cues), key=len, reverse=True))
    return re.compile(r"(?:^|[^a-z0-9])(?:" + alternatives + r")\s*[,:]?\s*$")


STRONG_RE = _ends_with_any(STRONG_CUES)
WEAK_RE = _ends_with_any(WEAK_CUES)
LABEL_RE = re.compile(
    r"(?:^|[^a-z0-9])(?:" + "|".join(sorted((re.escape(w) for w in LABEL_WORDS), key=len, reverse=True))
    + r")(?:\s*\([a-z ]+\))?\s*:\s*$"
)
ORG_LABEL_RE = re.compile(
    r"(?:company|school|organisation|organization|business|trading|employer|bank|council|court|practice|surgery|"
    r"firm|charity|supplier|landlord company|agency|college|nursery|academy|hospital|trust)(?: name)?\s*:\s*$"
)
LABEL_LINE_RE = re.compile(r"^[^:]{0,40}:\s*$")

SIGN_OFF = re.compile(
    r"(?i)^\s*(?:best wishes|best regards|kind regards|warm regards|many thanks|thanks|thank you|regards|cheers|"
    r"yours sincerely|yours faithfully|yours truly|yours|best|all the best|with thanks|love|cofion|diolch|"
    r"take care|sincerely|speak soon|ta)\s*[,.!]?\s*$"
)
POST_ROLE = re.compile(
    r"(?i)^\s*(?:\((?:claimant|defendant|son|daughter|partner|sister|brother|mother|father|applicant|respondent|"
    r"tenant|landlord|wife|husband|child|appellant|witness|carer|guardian|work coach|caseworker|[a-z ]{0,20}"
    r"officer)\)|<[^>@\s]+@|,\s*(?:director|gp|case manager|caseworker|work coach|teacher|manager|officer|"
    r"solicitor|secretary|head ?teacher|senco|dsl|social worker|nurse|consultant|clerk|adviser|advisor)\b)"
)
LOWER_INTRO = re.compile(r"(?<![a-z'])(?:my name is|my name's|name is|i am|i'm|im|this is|it's|its|names)\s+")

_PARTICLES = gazetteer.word_list("name_particles")  # "Hywel ap Rhys", "Ludwig van Beethoven"
_NEXT_WORDS = re.compile(r"(?:[ \t]+[\w'’&\-]+){1,2}")
_MONTH_NAMES = frozenset("may june jun april august".split())
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_OTHER_NER = {"ORG", "GPE", "FAC", "LOC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}


@dataclass
class Token:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return gazetteer.key(self.text)

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper() and not self.text.isupper() or (len(self.text) == 1 and self.text.isupper())

    @property
    def is_upper(self) -> bool:
        return len(self.text) >= 2 and self.text.isupper()


@dataclass
class Candidate:
    tokens: list[Token]
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)
    needs_model: bool = False

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def _strip_possessive(tok: Token) -> Token:
    for suffix in ("'s", "’s", "'S", "’S"):
        if tok.text.endswith(suffix) and len(tok.text) > 3:
            return Token(tok.start, tok.end - 2, tok.text[:-2])
    return tok


def _is_first(t: Token) -> bool:
    return gazetteer.is_first_name(t.text)


def _is_last(t: Token) -> bool:
    return gazetteer.is_surname(t.text)


def _is_stop(t: Token) -> bool:
    return t.key in STOP or t.key in TITLES


def _unknown(t: Token) -> bool:
    return not (_is_stop(t) or _is_first(t) or _is_last(t) or gazetteer.is_town(t.text) or _is_english(t))


def _is_english(t: Token) -> bool:
    return gazetteer.is_english_word(t.text)


class NameRecogniser:
    name = "person"
    labels = ("PERSON",)
    order = 40

    def __init__(self, model: str | None = DEFAULT_MODEL, model_band: tuple[float, float] = (0.2, 0.5)) -> None:
        self.model = model if model and model.lower() != "none" else None
        self.model_band = model_band

    def load(self) -> None:
        if self.model is not None:
            from govai.pii.ner import load_ner

            load_ner(self.model)

    # -- candidate runs -------------------------------------------------------------------------

    def _runs(self, doc: TextDoc, covered: list[tuple[int, int]]) -> list[list[Token]]:
        text = doc.text
        runs: list[list[Token]] = []
        current: list[Token] = []
        for m in _TOKEN.finditer(text):
            tok = Token(m.start(), m.end(), m.group(0))
            shaped = (tok.is_cap or tok.is_upper) and self._name_shaped(tok, text) and not any(
                s <= tok.start < e for s, e in covered
            )
            if not shaped and current and tok.text in _PARTICLES and text[tok.end : tok.end + 1] == " " \
                    and text[tok.end + 1 : tok.end + 2].isupper() and text[current[-1].end : tok.start] == " ":
                current.append(tok)  # "Hywel ap Rhys", "Ludwig van Beethoven": the run goes on
                continue
            if shaped and current:
                gap = text[current[-1].end : tok.start]
                initial = len(current[-1].text) == 1 and gap == ". "  # "Mrs D. Okafor"
                if gap == " " or initial or (gap == ", " and current[-1].is_upper and len(current) == 1 and tok.is_cap):
                    current.append(tok)
                    continue
            if current:
                runs.append(current)
            current = [tok] if shaped else []
        if current:
            runs.append(current)
        return runs

    @staticmethod
    def _name_shaped(tok: Token, text: str) -> bool:
        """Not glued to digits ("QD21"), not a short unknown acronym ("GB", "UC"), not a month in a date."""
        before = text[tok.start - 1] if tok.start else " "
        after = text[tok.end] if tok.end < len(text) else " "
        if before.isdigit() or after.isdigit() or before in "@._/" or after in "@_/":
            return False
        if tok.is_upper and len(tok.text) <= 3 and not (_is_first(tok) or _is_last(tok)):
            return False
        if len(tok.text) <= 5 and any(c.isupper() for c in tok.text[1:]) and not tok.is_upper:
            return False  # "DfE", "HMRCs": acronyms, not names
        if tok.key in _MONTH_NAMES:
            if re.search(r"\d(?:st|nd|rd|th)?\s+$", text[max(0, tok.start - 6) : tok.start]) or re.match(
                r",?\s+\d", text[tok.end : tok.end + 4]
            ):
                return False
        return True

    def _split(self, run: list[Token], doc: TextDoc) -> list[tuple[list[Token], str | None]]:
        """Split a run at stop words; return name-shaped pieces with any title just before them."""
        following = _NEXT_WORDS.match(doc.text, run[-1].end)
        next_words = following.group(0).lower().split() if following else []
        if any(t.key in ORG_WORDS for t in run[1:]) or any(w in ORG_WORDS for w in next_words):
            return []
        pieces: list[tuple[list[Token], str | None]] = []
        title: str | None = None
        piece: list[Token] = []
        for tok in run:
            if tok.key in TITLES or tok.key.rstrip(".") in TITLES:
                if piece:
                    pieces.append((piece, title))
                piece, title = [], tok.key.rstrip(".")
                continue
            if len(tok.text) == 1 and tok.text.isupper() and (piece or title):
                piece.append(tok)  # an initial: "Mr A Hussain", "Mrs D. Okafor"
                continue
            if tok.text in _PARTICLES and piece:
                piece.append(tok)
                continue
            if (_is_stop(tok) or (_is_english(tok) and not title)) and not (_is_first(tok) and piece == [] and title):
                if piece:
                    pieces.append((piece, title))
                piece, title = [], None
                continue
            piece.append(_strip_possessive(tok))
        if piece:
            pieces.append((piece, title))
        return [(p, t) for p, t in pieces if len(p) <= 4]

    # -- scoring ----------------------------------------------------------------------------------

    def _gazetteer_score(self, toks: list[Token], doc: TextDoc) -> tuple[float, str]:
        first, last = toks[0], toks[-1]
        if len(toks) == 1:
            if _is_first(first):
                return 0.35, "first_name"
            if _is_last(first):
                return 0.25, "surname"
            return (0.1, "unknown") if _unknown(first) else (0.0, "not_a_name")
        surname_first = doc.text[first.end : first.end + 2] == ", "
        if surname_first:  # "KOWALSKI, Dafydd"
            if _is_first(last):
                return (0.9 if _is_last(first) else 0.72), "surname_comma_first"
            return 0.2, "surname_comma_unknown"
        if _is_first(first) and _is_last(last):
            return 0.9, "first_and_surname"
        if _is_first(first) and (_unknown(last) or _is_first(last)):
            return 0.62, "first_name"
        if _is_last(first) and _is_last(last):
            return 0.55, "surnames"
        if _unknown(first) and _is_last(last):
            return 0.55, "surname"
        if all(_unknown(t) for t in toks):
            return 0.25, "unknown"
        return 0.3, "mixed"

    def _context(self, cand: Candidate, title: str | None, doc: TextDoc, address_starts: set[int]) -> None:
        text = doc.text
        line_start = doc.line_start(cand.start)
        before = doc.lower[line_start : cand.start]
        if title:
            cand.score += 0.45 if len(cand.tokens) == 1 else 0.3
            cand.evidence.append("title")
            before = before[: before.rfind(title)] if title in before else before
        if ORG_LABEL_RE.search(before):
            cand.score -= 0.5
            cand.evidence.append("organisation_label")
        elif LABEL_RE.search(before) and LABEL_LINE_RE.match(before.lstrip()):
            cand.score += 0.4
            cand.evidence.append("label")
        elif STRONG_RE.search(before):
            cand.score += 0.35
            cand.evidence.append("phrase")
        elif WEAK_RE.search(before):
            cand.score += 0.12
            cand.evidence.append("weak_phrase")
        line_end = doc.line_end(cand.end)
        after = text[cand.end : line_end]
        alone = not before.strip() and not after.strip(" ,.")
        if alone and line_start > 1:
            prev = text[doc.line_start(line_start - 1) : line_start - 1]
            if SIGN_OFF.match(prev):
                cand.score += 0.4
                cand.evidence.append("sign_off")
        if alone and (line_end + 1) in address_starts:
            cand.score += 0.3
            cand.evidence.append("above_address")
        if POST_ROLE.match(after):
            cand.score += 0.25
            cand.evidence.append("role_after")
        if any(gazetteer.is_town(t.text) and not (_is_first(t) or _is_last(t)) for t in cand.tokens):
            cand.score -= 0.3

    # -- main -------------------------------------------------------------------------------------

    def find(self, doc: TextDoc, found: Sequence[Entity]) -> list[Entity]:
        covered = [(e.start, e.end) for e in found if e.label != "PERSON" and e.score >= 0.5]
        covered.extend(doc.extras.get("dates", ()))
        address_starts = {e.start for e in found if e.label == "ADDRESS"}
        upper_lines = _upper_case_lines(doc.text)
        candidates: list[Candidate] = []
        for run in self._runs(doc, covered):
            for toks, title in self._split(run, doc):
                if doc.line_start(toks[0].start) in upper_lines and not title:
                    if not (len(toks) >= 2 and _is_first(toks[0]) and _is_last(toks[-1])):
                        continue
                base, why = self._gazetteer_score(toks, doc)
                if base <= 0:
                    continue
                cand = Candidate(toks, base, [why])
                self._context(cand, title, doc, address_starts)
                candidates.append(cand)
        candidates.extend(self._lower_case_names(doc, covered))
        self._consult_model(doc, candidates)
        accepted = [c for c in candidates if c.score >= 0.5]
        self._later_mentions(doc, candidates, accepted, covered)  # raises scores in place
        return [
            Entity(c.start, c.end, "PERSON", min(c.score, 0.99), self.name, tuple(c.evidence))
            for c in candidates
            if c.score > 0.05
        ]

    def _lower_case_names(self, doc: TextDoc, covered: list[tuple[int, int]]) -> list[Candidate]:
        """Chat style: "my name is zainab osei" (only after a self-introduction, only listed names)."""
        out = []
        for intro in LOWER_INTRO.finditer(doc.lower):
            tokens = [Token(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(doc.text, intro.end(), intro.end() + 60)]
            if not tokens or tokens[0].start != intro.end():
                continue
            tok = tokens[0]
            if not tok.text.islower() or not _is_first(tok) or any(s <= tok.start < e for s, e in covered):
                continue
            toks = [tok]
            for nxt in tokens[1:3]:
                gap = doc.text[toks[-1].end : nxt.start]
                if gap != " " or not nxt.text.islower() or _is_stop(nxt) or not (_is_last(nxt) or _is_first(nxt)):
                    break
                toks.append(nxt)
            score = 0.85 if len(toks) > 1 else 0.6
            out.append(Candidate(toks, score, ["lower_case_intro"]))
        return out

    def _consult_model(self, doc: TextDoc, candidates: list[Candidate]) -> None:
        lo, hi = self.model_band
        unsure = [c for c in candidates if lo <= c.score < hi and (len(c.tokens) > 1 or c.evidence[1:])]
        if not unsure or self.model is None:
            return
        windows = []
        for c in unsure:
            start = max(doc.line_start(c.start), c.start - 120)
            end = min(doc.line_end(c.end), c.end + 120)
            windows.append((start, doc.text[start:end]))
        results = entity_spans([w for _, w in windows], self.model)
        for cand, (offset, _), ents in zip(unsure, windows, results):
            s, e = cand.start - offset, cand.end - offset
            labels = {label for es, ee, label in ents if es < e and s < ee}
            if "PERSON" in labels:
                cand.score += 0.35
                cand.evidence.append("ner")
            elif labels & _OTHER_NER:
                cand.score -= 0.15
                cand.evidence.append("ner_other")

    def _later_mentions(
        self, doc: TextDoc, candidates: list[Candidate], accepted: list[Candidate], covered: list[tuple[int, int]]
    ) -> list[Candidate]:
        """Parts of a found full name, mentioned again on their own ("Hi Ava", "Dear Mr Martin")."""
        known = {t.key for c in accepted if len(c.tokens) > 1 or "title" in c.evidence for t in c.tokens}
        known -= STOP
        if not known:
            return []
        taken = [(c.start, c.end) for c in accepted] + covered
        out = []
        for cand in candidates:
            if cand in accepted or len(cand.tokens) != 1 or cand.tokens[0].key not in known:
                continue
            if any(s < cand.end and cand.start < e for s, e in taken):
                continue
            cand.score = max(cand.score, 0.75)
            cand.evidence.append("mentioned_in_full")
            out.append(cand)
        return out


def _upper_case_lines(text: str) -> set[int]:
    starts = set()
    pos = 0
    for line in text.split("\n"):
        if any(c.isalpha() for c in line) and not any(c.islower() for c in line):
            starts.add(pos)
        pos += len(line) + 1
    return starts


@pii_recognisers.register("person")
def person(options: dict[str, Any]) -> NameRecogniser:
    return NameRecogniser(**options)
