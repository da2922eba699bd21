"""Output checks: every sentence supported by its cited source; no personal data,
political persuasion, illegal advice or forbidden terms.

The support check is deterministic: a sentence is supported when the content
words and every number in it appear in the passage it cites (extractive answers
copy sentences, so they pass; an invented figure or claim does not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from govai.domain import Citation, Source
from govai.text.sentences import split_sentences
from govai.text.stopwords import CLAIM_WORDS, STOPWORDS, unapostrophe

# Citation markers a composer may put in an answer: [1], [^1], [link_1], [source: /path], (source: /path).
_MARKER = re.compile(
    r"\[\^?(\d+)\]|\[link[_ ]?(\d+)\]|[\[(]sources?:\s*([^\])]+)[\])]|\[(/[^\]\s]+|https?://[^\]\s]+)\]",
    re.I,
)
_WORD = re.compile(r"[a-z0-9£%]+(?:[.,'’][a-z0-9]+)*", re.I)
_NUMBER = re.compile(r"£?\d[\d,]*(?:\.\d+)?%?")

# Telling people how to vote or which party is right: never in a public service's voice.
_POLITICAL = re.compile(
    r"\b(?:(?:you|everyone|people|voters) should (?:vote|support|back|elect|choose)|vote for (?:the )?(?:labour|"
    r"conservatives?|tor(?:y|ies)|lib ?dems?|liberal democrats|reform|greens?|snp|plaid)|"
    r"(?:labour|the conservatives|the tories|lib ?dems|reform(?: uk)?|the greens|the snp|plaid cymru) (?:is|are) "
    r"(?:the )?(?:best|better|right|wrong|worst|corrupt|incompetent|dangerous)|(?:best|worst) (?:political )?party)\b",
    re.I,
)
# Advice on breaking the law, as opposed to guidance about what the law says.
_ILLEGAL = re.compile(
    r"\b(?:(?:you can|you could|you should|try to|it's easy to|the trick is to|one way is to|simply|just)\s+"
    r"(?:avoid declaring|hide|conceal|fake|forge|lie about|not tell|not declare|under-?report|pretend|exaggerate|"
    r"claim for both|use someone else's)|without (?:being caught|getting caught|anyone (?:knowing|noticing)|"
    r"(?:hmrc|dwp|the council|the police|them|they) (?:knowing|finding out|noticing))|"
    r"to avoid (?:detection|being caught|getting caught)|(?:they|hmrc|dwp|the council) (?:rarely|never|won't) check)\b",
    re.I,
)
# High-precision personal data patterns: a backstop for what the PII step restores or a model invents.
_PERSONAL = {
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"),
    "ni_number": re.compile(r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I),
    "phone": re.compile(r"(?<![\d£])(?:\+44\s?7\d{3}|07\d{3})\s?\d{3}\s?\d{3}\b"),
    "card": re.compile(r"\b(?:\d[ -]?){13,19}\b"),
}


CHECKS = ("support", "personal_data", "political", "illegal_advice", "forbidden_terms")


@dataclass
class CheckResult:
    name: str
    passed: bool
    reason: str = ""
    detail: dict = field(default_factory=dict)


@dataclass
class OutputReport:
    checks: list[CheckResult]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]


def content_words(text: str) -> list[str]:
    return [w for w in (m.group(0).lower().strip(".,'’") for m in _WORD.finditer(text)) if w and not _ignored(w)]


def _ignored(word: str) -> bool:
    """Function words do not make a claim, unless they change it ("before", "until", "must")."""
    plain = unapostrophe(word)
    return plain in STOPWORDS and plain not in CLAIM_WORDS


def _resolve(marker: re.Match[str], sources: list[Source], citations: list[Citation]) -> list[str]:
    number = marker.group(1) or marker.group(2)
    if number:
        n = int(number) - 1
        pool = [c.source_id for c in citations] or [s.source_id for s in sources]
        return [pool[n]] if 0 <= n < len(pool) else []
    ref = (marker.group(3) or marker.group(4) or "").strip()
    return [s.source_id for s in sources if ref in (s.source_id, s.doc_id, s.url) or s.source_id.startswith(ref)]


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def support_score(sentence: str, evidence: str) -> tuple[float, list[str]]:
    """Share of the sentence's content words found in ``evidence``, and any numbers missing from it."""
    words = content_words(_MARKER.sub(" ", sentence))
    evidence_words = set(content_words(evidence))
    if not words:
        return 1.0, []
    found = sum(w in evidence_words for w in words) / len(words)
    squash = re.sub(r"[\s,]", "", evidence)
    missing = [n for n in _NUMBER.findall(_MARKER.sub(" ", sentence)) if re.sub(r"[\s,]", "", n).lstrip("£") not in squash]
    return found, missing


def check_support(
    answer: str, sources: list[Source], citations: list[Citation], min_support: float = 0.75,
    allowed: Iterable[str] = (),
) -> CheckResult:
    allowed_patterns = [re.compile(p, re.I) for p in allowed]
    cited_ids = {c.source_id for c in citations}
    unsupported = []
    for sentence in split_sentences(answer):
        bare = _MARKER.sub("", sentence).strip()
        if not content_words(bare) or any(p.search(bare) for p in allowed_patterns):
            continue
        ids = [sid for m in _MARKER.finditer(sentence) for sid in _resolve(m, sources, citations)]
        pool = [s for s in sources if s.source_id in (ids or cited_ids)] or ([] if ids else sources)
        evidence = "\n".join(f"{s.title}\n{' '.join(s.headings)}\n{s.text}" for s in pool)
        score, missing = support_score(sentence, evidence)
        if score < min_support or missing:
            unsupported.append({"sentence": bare[:200], "support": round(score, 2), "missing_numbers": missing,
                                "cited": ids})
    if unsupported:
        return CheckResult("support", False, f"{len(unsupported)} sentence(s) not supported by the cited source",
                           {"unsupported": unsupported})
    return CheckResult("support", True)


def _personal_values(answer: str) -> list[tuple[str, str]]:
    """(label, value) pairs of personal data in ``answer``, from GovAI's PII detector."""
    try:
        from govai.pii.detector import detect
    except ImportError:  # the PII package is optional for this check: fall back to the backstop patterns
        return _backstop_values(answer)
    return [(e.label, answer[e.start : e.end]) for e in detect(answer) if e.score >= 0.5]


def _backstop_values(answer: str) -> list[tuple[str, str]]:
    found = []
    for kind, pattern in _PERSONAL.items():
        for m in pattern.finditer(answer):
            digits = re.sub(r"\D", "", m.group(0))
            if kind == "card" and not (13 <= len(digits) <= 19 and _luhn(digits)):
                continue
            found.append((kind, m.group(0)))
    return found


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def check_personal_data(answer: str, allowed_text: str) -> CheckResult:
    """Personal data in the answer that neither the user gave nor the guidance contains.
    Compared on letters and digits only: a quoted contact block joins the guidance's
    lines with "; ", and that must not make the guidance's own address look new."""
    squashed_allowed = _letters_and_digits(allowed_text)
    leaked = sorted({label for label, value in _personal_values(_MARKER.sub(" ", answer))
                     if _letters_and_digits(value) not in squashed_allowed})
    if leaked:
        return CheckResult("personal_data", False, "answer contains personal data: " + ", ".join(leaked),
                           {"labels": leaked})
    return CheckResult("personal_data", True)


def check_pattern(name: str, pattern: re.Pattern[str], answer: str, what: str) -> CheckResult:
    m = pattern.search(answer)
    if m:
        return CheckResult(name, False, f"answer contains {what}", {"evidence": m.group(0)[:120]})
    return CheckResult(name, True)


def check_forbidden(answer: str, terms: Iterable[str]) -> CheckResult:
    hits = [t for t in terms if t and re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", answer, re.I)]
    if hits:
        return CheckResult("forbidden_terms", False, "answer uses a forbidden term", {"terms": hits})
    return CheckResult("forbidden_terms", True)


def check_answer(
    answer: str,
    sources: list[Source],
    citations: list[Citation],
    question: str = "",
    *,
    min_support: float = 0.75,
    forbidden_terms: Iterable[str] = (),
    allowed_unsupported: Iterable[str] = (),
    checks: Iterable[str] = CHECKS,
) -> OutputReport:
    """Run the deterministic output checks named in ``checks``."""
    wanted = set(checks)
    results = []
    if "support" in wanted:
        results.append(check_support(answer, sources, citations, min_support, allowed_unsupported))
    if "personal_data" in wanted:
        results.append(check_personal_data(answer, question + "\n" + "\n".join(s.text for s in sources)))
    if "political" in wanted:
        results.append(check_pattern("political", _POLITICAL, answer, "political persuasion"))
    if "illegal_advice" in wanted:
        results.append(check_pattern("illegal_advice", _ILLEGAL, answer, "advice on breaking the law"))
    if "forbidden_terms" in wanted:
        results.append(check_forbidden(answer, forbidden_terms))
    return OutputReport(results)
