"""The fast rules layer: multilingual trigger patterns that combine concepts.

A rule fires when every one of its patterns matches within ``window`` characters
of each other (so "ignore" + "previous" + "instructions" must be close), unless
its ``unless`` pattern matches (a reporting question, a film, a video game).
Rules are registered by name in ``prompt_rules`` / ``document_rules`` so a
service profile can switch individual rules off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from govai.guards import lexicon as lx
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


prompt_rules: Registry[Rule] = Registry("prompt guard rule")
document_rules: Registry[Rule] = Registry("document guard rule")


def _add(registry: Registry[Rule], rule: Rule) -> None:
    registry.add(rule.name, rule)


HARMLESS_CONTEXT = lx.NOT_HARM_CONTEXT
# Between a violent verb and its target only small words may stand: "kill a person",
# "shoot at people" — but not "execute a will after someone dies".
_GAP = (
    r"\s+(?:(?:a|an|the|some|at|on|off|up|down|out|in|into|to|of|all|every|this|that|these|those|dead|innocent|"
    r"random|other|more|many|most|lots|loads|bunch|whole|entire|another|as|\S+'s)\s+){0,3}(?:[a-z]+\s+)?"
)
_TARGET_INSIDE = (
    r"\b(?:take (?:\S+ ){0,3}hostage|make (?:someone|somebody|people|him|her|them|\S+'s \S+|my \S+) "
    r"(?:disappear|explode|suffer|bleed|overdose)|make (?:someone's|somebody's|their|his|her|\S+'s) \S+ (?:explode|"
    r"crash|catch fire)|(?:spike|poison) (?:someone's|somebody's|his|her|their|\S+'s) (?:drink|food|tea|coffee)|"
    r"(?:people|someone|somebody|a person|persons|victims|humans|kids|children|women|men|girls|boys) to (?:kill|shoot|"
    r"stab|hurt|attack|rob|murder|beat up|poison|kidnap|torture|assault|harm|rape|abuse|groom)|push(?:ing)? (?:\S+ ){1,3}"
    r"off (?:a|the) (?:cliff|bridge|roof|balcony|building|platform|train|stairs|ledge)|(?:terminat\w*|end|ending|take|"
    r"taking) (?:someone's|somebody's|his|her|their|(?:my |his |her |their |the )?\S+'s|a person's) (?:own )?life)\b"
)
WEAPON_LEGAL = (
    r"\b(?:licen[cs]es?|certificates?|permits?|amnesty|surrender|hand (?:in|over)|legally|is it (?:legal|illegal)|"
    r"the law|penalt(?:y|ies)|sentence|report|reporting|safely dispose|classed|class [abc]|possession)\b"
)

for rule in [
    # instruction override and role-play
    Rule("override", "override", 0.95, [lx.IGNORE_VERB, lx.PRIOR_QUALIFIER, lx.INSTRUCTION_NOUN], window=90, lead=0),
    Rule("override-phrase", "override", 0.9, [lx.OVERRIDE_PHRASES]),
    Rule("persona-no-limits", "persona", 0.95, [lx.NO_LIMITS, lx.PERSONA_MARKER], window=600, same_sentence=False),
    Rule("no-limits", "persona", 0.45, [lx.NO_LIMITS]),
    Rule("jailbreak-format", "jailbreak", 0.55, [lx.JAILBREAK_FORMAT]),
    Rule("encoded-instruction", "override", 0.85, [lx.ENCODED_INSTRUCTION]),
    # system prompt and secrets
    Rule("reveal-system-prompt", "sysprompt", 0.9, [lx.SECRET_THING, lx.REVEAL_VERB], window=120),
    Rule("system-prompt-phrase", "sysprompt", 0.9, [lx.SYSPROMPT_PHRASES]),
    # harm
    Rule("violence", "harm", 0.9, [lx.HARM_VERB + _GAP + lx.HUMAN_TARGET, lx.HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule("injury", "harm", 0.9, [lx.BODY_HARM, lx.HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule("target-in-phrase", "harm", 0.9, [_TARGET_INSIDE, lx.HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule("severe-act", "harm", 0.9, [lx.SEVERE_ACT, lx.HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule("attack-place", "harm", 0.9, [lx.ATTACK_PLACE_VERB + _GAP + lx.PLACE_TARGET, lx.HOWTO], window=160,
         unless=HARMLESS_CONTEXT),
    Rule("property-damage", "harm", 0.8, [lx.PROPERTY_DAMAGE, lx.HOWTO], window=160,
         unless=HARMLESS_CONTEXT + "|" + lx.REPORTING),
    Rule("disable-security", "harm", 0.8, [lx.DISABLE_SECURITY, lx.HOWTO], window=160, unless=HARMLESS_CONTEXT),
    Rule(
        "weapons-drugs", "harm", 0.85, [lx.WEAPON_OR_DRUG, lx.MAKE_OR_GET, lx.HOWTO], window=100,
        unless=HARMLESS_CONTEXT + "|" + WEAPON_LEGAL,
    ),
    Rule("cyber", "harm", 0.85, [lx.CYBER], unless=lx.REPORTING),
    Rule(
        "theft", "harm", 0.8, [lx.THEFT, lx.THEFT_OBJECT, lx.HOWTO], window=100,
        unless=HARMLESS_CONTEXT + "|" + lx.THEFT_IDIOM + "|" + lx.REPORTING,
    ),
    Rule("hate", "hate", 0.85, [lx.PROTECTED_GROUP, lx.DISCRIMINATE], window=100, unless=lx.ABSURD),
    Rule("extremism", "hate", 0.85, [lx.EXTREMISM]),
    Rule("disinformation", "harm", 0.8, [lx.DISINFORMATION]),
    Rule("self-harm", "self_harm", 0.9, [lx.SELF_HARM]),
    Rule("weapons-drugs-multilingual", "harm", 0.85, [lx.MULTI_WEAPON, lx.MULTI_MAKE_GET, lx.MULTI_HOWTO], window=80,
         unless=lx.MULTI_REPORT),
    Rule("violence-multilingual", "harm", 0.85, [lx.MULTI_KILL, lx.MULTI_HOWTO], window=80, unless=lx.MULTI_REPORT),
    # fraud and other people's data
    Rule("fraud", "fraud", 0.85, [lx.FRAUD], unless=lx.REPORTING),
    Rule("personal-data", "pii_request", 0.85, [lx.PRIVATE_ATTRIBUTE, lx.THIRD_PARTY, lx.LOOKUP], window=120,
         unless=lx.ON_BEHALF + "|" + lx.REPORTING, same_sentence=False),
    Rule("personal-data-phrase", "pii_request", 0.8, [lx.PRIVATE_PHRASES]),
    Rule("bulk-personal-data", "pii_request", 0.85, [lx.BULK_PEOPLE]),
]:
    _add(prompt_rules, rule)


# Indirect injection: text in a retrieved passage that speaks to the model.
AI_ADDRESSEE = (
    r"\b(?:ai|a\.i\.|assistant|chat ?bot|language model|llm|gpt|chatgpt|claude|gemini|copilot|bard|model|bot|agent)s?\b"
)
OUTPUT_OBJECT = (
    r"\byour (?:reply|replies|response|responses|answer|answers|output|summary|code|solution|implementation|algorithm|"
    r"elucidation|explanation|essay|script|program|programme|generated text|completion|final answer|rewrite)\b"
)
INSTRUCTION_START = (
    # a sentence start; or a capitalised word straight after a lower-case one (an instruction
    # glued onto a line that had no full stop)
    r"(?:^|[.!?:\n]\s*|\*\s+|(?-i:(?<=[a-z)\]] )(?=[A-Z])))(?:please\s+|kindly\s+|also,?\s+|now,?\s+|then,?\s+)?"
    r"(?:rearrange|twist|add|include|insert|integrate|incorporate|"
    r"append|prepend|mention|suggest|tease|promote|recommend|provide|write|use|convert|replace|substitute|"
    r"translate|rearrange|remove|group|reverse|encode|answer|respond|reply|start|begin|end|make sure|ensure|"
    r"don't forget|do not forget|keep in mind|remember|leverage|utili[sz]e|merge|meld|blend|enlist|adopt|absorb|"
    r"introduce|consider|enhance|augment|modify|enrich|let|embed|explain|describe|tell|list|summari[sz]e|draft|"
    r"develop|compose|create|generate|produce|give|offer|express|emphasi[sz]e|highlight|stress|hint|urge|"
    r"encourage|direct|redirect|link|share|spell|scramble|capitali[sz]e|format|output|print|return|"
    r"sign off|close|conclude|append|attach|rewrite|rephrase|alter|change|swap|shuffle|anagram|misspell|"
    r"only|always|never|do not|don't|must)\b"
)
CODE_FENCE_PAYLOAD = (
    r"```[\s\S]{0,40}?(?:import |from \w+ import|os\.|subprocess|socket|requests\.|urllib|paramiko|psutil|ftplib|"
    r"shutil|pickle|exec\(|eval\(|rm -rf|curl |wget |powershell|chmod|base64|keyboard|pynput|ctypes|win32|"
    r"<script|document\.cookie|fetch\(|XMLHttpRequest)"
)
FOLLOWING_CODE = (
    r"\b(?:the )?(?:following|below|subsequent|attached|provided|this) (?:code|python|script|snippet|block|excerpt|"
    r"fragment|command)s?(?: (?:code|block|snippet|excerpt|section|fragment))?\b(?! of (?:practice|conduct))"
)
CHAT_TOKENS = (
    r"(?:<\|im_start\|>|<\|im_end\|>|<\|system\|>|<\|user\|>|<\|assistant\|>|\[/?INST\]|<</?SYS>>|<\|endoftext\|>|"
    r"^\s*(?:system|assistant|human|user)\s*:|###\s*(?:system|instruction|response)\s*:)"
)
HIDDEN_MARKUP = (
    r"<!--[\s\S]{0,400}?(?:ignore|instruction|assistant|\bai\b|model|prompt|respond|reply|answer)[\s\S]{0,400}?-->|"
    r"display\s*:\s*none|font-size\s*:\s*0|visibility\s*:\s*hidden|color\s*:\s*(?:white|#fff(?:fff)?)\b"
)

for rule in [
    Rule("override", "injection", 0.95, [lx.IGNORE_VERB, lx.PRIOR_QUALIFIER, lx.INSTRUCTION_NOUN], window=90,
         lead=0),
    Rule("override-phrase", "injection", 0.9, [lx.OVERRIDE_PHRASES]),
    Rule("persona", "injection", 0.9, [lx.NO_LIMITS, lx.PERSONA_MARKER], window=300, same_sentence=False),
    Rule("reveal-system-prompt", "injection", 0.9, [lx.SECRET_THING, lx.REVEAL_VERB], window=120),
    Rule(
        "addresses-the-model", "injection", 0.9,
        [r"\b(?:note|message|instructions?|attention|reminder|notice|memo|directive)s? (?:to|for) (?:the |any |all )?"
         + AI_ADDRESSEE + r"|\bif you are an? (?:\w+ )?" + AI_ADDRESSEE + r"|\bas an? (?:\w+ )?" + AI_ADDRESSEE
         + r"(?:,| you)|\b(?:dear|hey|hello|attention) " + AI_ADDRESSEE
         + r"|\b" + AI_ADDRESSEE + r"s? (?:reading|processing|summari[sz]ing|answering|parsing|reviewing) (?:this|these)\b"],
    ),
    Rule("output-directed", "injection", 0.85, [OUTPUT_OBJECT, INSTRUCTION_START], window=160, lead=1),
    Rule("code-payload", "injection", 0.95, [CODE_FENCE_PAYLOAD]),
    Rule("following-code", "injection", 0.8, [FOLLOWING_CODE, r"\byour (?:code|solution|response|reply|answer|"
         r"implementation|algorithm|elucidation|approach|logic|framework|architecture|program|script)\b"], window=160),
    Rule("chat-template", "injection", 0.9, [CHAT_TOKENS]),
    Rule("hidden-markup", "injection", 0.8, [HIDDEN_MARKUP]),
    Rule("encoded-instruction", "injection", 0.85, [lx.ENCODED_INSTRUCTION]),
]:
    _add(document_rules, rule)


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
