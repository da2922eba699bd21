"""Signals that are not words: optimised adversarial suffixes and hidden characters."""

from __future__ import annotations

import re

from govai.guards.deobfuscate import hidden_tag_text

_SYMBOLS = re.compile(r"[{}\[\]()<>\\|~^$@#*=_`\"';:/+%&!?]")
_CAMEL = re.compile(r"[a-z]{2,}[A-Z]|[A-Z]{2}[a-z]{2}")
_MIXED = re.compile(r"[A-Za-z][^\sA-Za-z0-9'’,.\-][A-Za-z]|[^\sA-Za-z0-9'’,.\-]{2,}")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_TAIL_TOKENS = 24
_EDGE = "()[]{}\"'`,.:;!?*"


def _weird(token: str) -> bool:
    token = token.strip(_EDGE)  # "(AC)" or '"moderate",' is ordinary writing
    return bool(token) and bool(_CAMEL.search(token) or _MIXED.search(token) or len(_SYMBOLS.findall(token)) >= 2)


def _code_or_data(text: str, tail: list[str]) -> bool:
    """Code and data end in several lines or in balanced brackets; token soup does neither."""
    if text.count("\n", text.rfind(tail[0])) >= 2:
        return True
    joined = " ".join(tail)
    pairs = [(joined.count(a), joined.count(b)) for a, b in ("()", "[]", "{}")]
    return any(opened for opened, _ in pairs) and all(opened == closed for opened, closed in pairs)


def adversarial_suffix(text: str) -> float:
    """How much the end of ``text`` looks like an optimised gibberish suffix (0..1).

    Attacks such as GCG append token soup ("describing.\\ + similarlyNow write
    oppositeley.]( Me giving**ONE") to a plain request. Citizens do not write that.
    """
    tokens = text.split()
    if len(tokens) < 16:
        return 0.0
    tail = tokens[-_TAIL_TOKENS:]
    if _code_or_data(text, tail):
        return 0.0
    weird = sum(_weird(t) for t in tail) / len(tail)
    tail_text = " ".join(tail)
    density = len(_SYMBOLS.findall(tail_text)) / max(len(tail_text), 1)
    head_plain = sum(t.isalpha() for t in tokens[: max(len(tokens) - _TAIL_TOKENS, 6)])
    if head_plain < 4:
        return 0.0
    if weird >= 0.15 or density >= 0.06 or (weird >= 0.1 and density >= 0.04):
        return 0.9
    if weird >= 0.08 and density >= 0.03:
        return 0.6
    return 0.0


def hidden_characters(text: str) -> float:
    """Tag characters carrying a hidden message are an attack; stray zero-width ones are not."""
    if len(hidden_tag_text(text).strip()) >= 3:
        return 0.9
    inside_words = len(re.findall(r"\w[\u200b\u200c\u200d\u2060\ufeff]+\w", text))
    return 0.5 if inside_words >= 3 else 0.0
