"""What every rule family is built on: ``Rule`` and its ``Hit``, the exact prefix gate that
keeps a large lexicon cheap, the ``prompt_rules`` / ``document_rules`` registries,
``run_rules`` and ``combine``.

A rule fires when every one of its patterns matches within ``window`` characters
of each other (so "ignore" + "previous" + "instructions" must be close), unless
its ``unless`` pattern matches (a reporting question, a film, a video game).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from govai.registry import Registry

_MAX_MATCHES = 12  # per pattern: enough to find a close combination, bounded cost
_PREFIX_LEN = 4


@dataclass(frozen=True)
class Hit:
    """One rule that fired: what it means and how sure we are."""

    rule: str
    category: str
    score: float
    evidence: str  # the shortest span covering the matched parts, for the audit trail


# --- prefix gate -----------------------------------------------------------
# Python's regex engine tries every alternative at every position, so a big
# lexicon costs ~0.1 ms per scan. Each pattern's possible literal prefixes are
# read off its parse tree; one scan of the text for all prefixes then tells us
# which patterns *could* match, and only those run. The gate is exact: it never
# skips a pattern that would have matched.


def _literal_prefixes(items: list, i: int, prefix: str, out: set[str]) -> None:  # type: ignore[type-arg]
    if len(prefix) >= _PREFIX_LEN or i == len(items):
        out.add(prefix[:_PREFIX_LEN])
        return
    op, av = items[i]
    if op is _c.LITERAL:
        _literal_prefixes(items, i + 1, prefix + chr(av).lower(), out)
    elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        _literal_prefixes(items, i + 1, prefix, out)
    elif op is _c.IN:
        chars = [chr(v) for o, v in av if o is _c.LITERAL]
        if len(chars) != len(av) or len(chars) > 8:
            out.add(prefix)
            return
        for ch in {c.lower() for c in chars}:
            _literal_prefixes(items, i + 1, prefix + ch, out)
    elif op is _c.BRANCH:
        for branch in av[1]:
            _literal_prefixes(list(branch) + items[i + 1 :], 0, prefix, out)
    elif op is _c.SUBPATTERN:
        _literal_prefixes(list(av[3]) + items[i + 1 :], 0, prefix, out)
    elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        if low == 0:
            _literal_prefixes(items, i + 1, prefix, out)
        _literal_prefixes(list(sub), 0, prefix, out)  # one repetition, then stop: still a true prefix
    else:  # \w, ., [^...]: no literal to anchor on
        out.add(prefix)


def prefixes_of(pattern: str) -> frozenset[str] | None:
    """Literal prefixes every match of ``pattern`` starts with, or None if too short to gate on."""
    out: set[str] = set()
    _literal_prefixes(list(_parser.parse(pattern, re.IGNORECASE)), 0, "", out)
    if any(len(p) < 2 and not (p and ord(p[0]) > 0x2E7F) for p in out):
        return None
    return frozenset(out)


class PatternIndex:
    """Compiled patterns plus the prefix gate over all of them."""

    def __init__(self) -> None:
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._gates: dict[str, frozenset[str] | None] = {}
        self._prefixes: frozenset[str] | None = None

    def add(self, pattern: str) -> None:
        if pattern not in self._compiled:
            self._compiled[pattern] = re.compile(pattern, re.IGNORECASE)
            self._gates[pattern] = prefixes_of(pattern)
            self._prefixes = None

    def compiled(self, pattern: str) -> re.Pattern[str]:
        return self._compiled[pattern]

    def scan(self, text: str) -> dict[str, list[int]] | None:
        """Where each gate prefix occurs in ``text`` (None when lower-casing changes offsets).

        Prefixes are only looked for where a word, a symbol or a non-Latin character
        starts: every Latin-script lexicon entry begins at a word boundary.
        """
        lower = text.lower()
        if len(lower) != len(text):
            return None
        if self._prefixes is None:
            self._prefixes = frozenset().union(*(g for g in self._gates.values() if g))
        prefixes = self._prefixes
        found: dict[str, list[int]] = {}
        for m in _CANDIDATE_START.finditer(lower):
            pos = m.start()
            for size in (1, 2, 3, 4):
                piece = lower[pos : pos + size]
                if piece in prefixes:
                    found.setdefault(piece, []).append(pos)
        return found

    def finditer(self, pattern: str, text: str, found: dict[str, list[int]] | None) -> Iterator[re.Match[str]]:
        """Matches of ``pattern``, trying only the positions where one of its prefixes occurs."""
        compiled = self._compiled[pattern]
        gate = self._gates[pattern]
        if found is None or gate is None:
            yield from compiled.finditer(text)
            return
        present = gate.intersection(found)
        if not present:
            return
        starts = sorted({pos for prefix in present for pos in found[prefix]})
        end = -1
        for pos in starts:
            if pos < end:
                continue  # inside the previous match, as finditer would skip it
            m = compiled.match(text, pos)
            if m:
                end = m.end()
                yield m


def _skip_separators(text: str, start: int, end: int) -> int:
    """Past the punctuation and line breaks a sentence-start pattern matched before the sentence."""
    while start < end and text[start] in " \t\n.!?:*":
        start += 1
    return start


_SENTENCE_BREAK = re.compile(r"[.!?。！？](?=\s)|\n")
_CANDIDATE_START = re.compile(r"(?<![a-z0-9])\S")
_index = PatternIndex()


@dataclass
class Rule:
    name: str
    category: str
    score: float
    patterns: list[str]
    window: int | None = None
    unless: str | None = None
    lead: int | None = None  # index of the pattern whose match must come first ("ignore" before "rules")
    same_sentence: bool = True  # the parts must not straddle a sentence break

    def __post_init__(self) -> None:
        for p in self.patterns + ([self.unless] if self.unless else []):
            _index.add(p)

    def match(self, text: str, found: dict[str, list[int]] | None = None) -> Hit | None:
        """The hit if this rule fires on ``text``; ``found`` is the prefix scan of ``text``."""
        spans: list[list[tuple[int, int]]] = []
        for pattern in self.patterns:
            spans.append([m.span() for _, m in zip(range(_MAX_MATCHES), _index.finditer(pattern, text, found))])
            if not spans[-1]:
                return None
        best = self._closest(spans, text)
        if best is None:
            return None
        if self.unless and _index.compiled(self.unless).search(text):
            return None
        start, end = best
        return Hit(self.name, self.category, self.score, text[start:end][:160])

    def _closest(self, spans: list[list[tuple[int, int]]], text: str) -> tuple[int, int] | None:
        if len(spans) == 1:
            return spans[0][0]
        best: tuple[int, int] | None = None
        for combo in product(*spans):
            start = min(s for s, _ in combo)
            end = max(e for _, e in combo)
            if self.window is not None and end - start > self.window:
                continue
            if self.lead is not None and combo[self.lead][0] != start:
                continue
            if self.same_sentence and _SENTENCE_BREAK.search(text, _skip_separators(text, start, end), end - 1):
                continue
            if best is None or end - start < best[1] - best[0]:
                best = (start, end)
        return best


# Filled, in a fixed order, by the package (``govai.guards.rules``) from the family modules.
prompt_rules: Registry[Rule] = Registry("prompt guard rule")
document_rules: Registry[Rule] = Registry("document guard rule")


def run_rules(text: str, registry: Registry[Rule], disabled: frozenset[str] = frozenset()) -> list[Hit]:
    """Every rule in ``registry`` (bar the disabled ones) that fires on ``text``."""
    found = _index.scan(text)
    hits = []
    for name, rule in registry.items():
        if name in disabled:
            continue
        hit = rule.match(text, found)
        if hit:
            hits.append(hit)
    return hits


def combine(hits: list[Hit]) -> float:
    """Noisy-or over categories (the strongest hit per category counts once)."""
    best: dict[str, float] = {}
    for hit in hits:
        best[hit.category] = max(best.get(hit.category, 0.0), hit.score)
    miss = 1.0
    for score in best.values():
        miss *= 1.0 - score
    return min(1.0 - miss, 0.99)


def alt(*parts: str) -> str:
    """Join alternatives into one non-capturing group."""
    return "(?:" + "|".join(parts) + ")"

