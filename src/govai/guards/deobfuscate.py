"""Undo the tricks attackers use to slip text past a filter.

``variants(text)`` returns the text as a reader would see it plus every hidden or
encoded reading we can recover (tag characters, homoglyphs, spaced-out letters,
leetspeak, base64, hex, URL and HTML escapes, ROT13 and other Caesar shifts,
reversed text). Every variant is checked by the guard layers and the worst
verdict wins, so an attack gains nothing by being encoded.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import re
import string
import unicodedata
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from govai.text import normalise as text_normalise

MAX_VARIANTS = 8
_MIN_DECODED_LETTERS = 6

# Hidden ASCII smuggled as Unicode tag characters (U+E0020..U+E007E).

_SPACED_RUN = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ \t._\-*|/+~]{1,3}){3,}[^\W\d_](?![^\W\d_])")
_SLUG = re.compile(r"[a-z]{3,}[-_/][a-z]{3,}")
_BASE64_CANDIDATE = re.compile(r"[A-Za-z0-9+/_=-]{16,}")
_BASE64_RUN = re.compile(r"(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|[A-Za-z0-9_-]{24,}")
_HEX_RUN = re.compile(r"(?:(?:0x|\\x)?[0-9a-fA-F]{2}[\s,:]?){8,}")
_BINARY_RUN = re.compile(r"(?:[01]{8}\s?){4,}")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_HTML_ENTITY = re.compile(r"&#x?[0-9A-Fa-f]+;|&[a-z]+;")
_UNICODE_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}")
_LEET_WORD = re.compile(r"(?<![\w%@$])(?=[\w@$]*[A-Za-z])(?=[\w@$]*[0-9@$])[\w@$]{3,20}(?![\w%@$])")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "9": "g"})

# The commonest short English words: a reading that contains many of them is
# plausible English, which is how we spot a ROT13 or reversed message.
_COMMON = frozenset(
    "the a an and or to of in on for is are be you your me my i it this that with all "
    "now tell how what do not no any from as at by can will must ignore instructions "
    "previous rules system prompt say write give show".split()
)
_WORD = re.compile(r"[a-z]+")
_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"\d")
_LEET_HINT = re.compile(r"[A-Za-z][013457@$]|[013457@$][A-Za-z]")
_SPACED_TOKEN = re.compile(r"^(?:\w[._\-*|/+~]){3,}\w$")


def _maybe_spaced(text: str) -> bool:
    """Cheap test before the spaced-letters regex: four one-letter tokens in a row, or 'i.g.n.o.r.e'."""
    run = 0
    for token in text.split():
        if len(token) == 1:
            run += 1
            if run >= 4:
                return True
        else:
            run = 0
            if len(token) >= 7 and _SPACED_TOKEN.match(token):
                return True
    return False


# The same mapping as govai.text.normalise (NFKC, hidden characters dropped, look-alike
# letters folded) applied with str.translate: the guard needs no offsets and must stay
# within a few milliseconds on long inputs.
_DROP_HIDDEN: dict[int, None] = {cp: None for cp in text_normalise._INVISIBLE}
_DROP_HIDDEN.update({cp: None for cp in range(0xE0000, 0xE0080)})
_DROP_HIDDEN.update({cp: None for cp in range(0xFE00, 0xFE10)})
_SURROGATE = re.compile("[\ud800-\udfff]")


def _char_class(codepoints: set[int]) -> str:
    """A regex character class of ranges (a long list of single characters is scanned linearly)."""
    ranges: list[list[int]] = []
    for cp in sorted(codepoints):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]"


_HIDDEN_CHARS = re.compile(_char_class(set(_DROP_HIDDEN)))
_LOOKALIKES = re.compile("[" + "".join(chr(cp) for cp in text_normalise._HOMOGLYPHS) + "]")


def fast_normalise(text: str, *, fold_homoglyphs: bool = True) -> str:
    if text.isascii():
        return text
    text = _SURROGATE.sub("\ufffd", text)
    if _HIDDEN_CHARS.search(text):
        text = _HIDDEN_CHARS.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    if fold_homoglyphs and _LOOKALIKES.search(text):
        text = text.translate(text_normalise._HOMOGLYPHS)
    return text


@dataclass(frozen=True)
class Variant:
    """One reading of the input: ``how`` names the transformation that produced it."""

    how: str
    text: str


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _collapse_within_lines(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


_TAG_CHARS = re.compile("[\U000E0020-\U000E007E]+")


def hidden_tag_text(text: str) -> str:
    """The ASCII message hidden in Unicode tag characters, if any."""
    if text.isascii():
        return ""
    return "".join(chr(ord(c) - 0xE0000) for run in _TAG_CHARS.findall(text) for c in run)


def _english_score(text: str) -> float:
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    return sum(w in _COMMON for w in words) / len(words)


def _printable_text(raw: bytes) -> str | None:
    """Decoded bytes if they read as text (mostly letters and spaces), else None."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(c.isalpha() for c in decoded)
    printable = sum(c.isprintable() or c in "\n\t" for c in decoded)
    if letters < _MIN_DECODED_LETTERS or printable < 0.95 * len(decoded) or letters < 0.5 * len(decoded):
        return None
    return decoded


def _decode_base64(text: str) -> list[str]:
    out = []
    for m in _BASE64_CANDIDATE.finditer(text):
        chunk = m.group(0).rstrip("=")
        if _SLUG.search(chunk):
            continue  # a URL path or file name, not an encoding
        if not _BASE64_RUN.fullmatch(chunk + "=" * (-len(chunk) % 4)) and not _BASE64_RUN.fullmatch(chunk):
            continue
        if chunk.isalpha() and (chunk.islower() or chunk.isupper()):
            continue  # a long plain word, not an encoding
        padded = chunk + "=" * (-len(chunk) % 4)
        for decoder in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                decoded = _printable_text(decoder(padded))
            except (binascii.Error, ValueError):
                continue
            if decoded:
                out.append(decoded)
                break
    return out


def _decode_hex(text: str) -> list[str]:
    out = []
    for m in _HEX_RUN.finditer(text):
        digits = re.sub(r"0x|\\x|[\s,:]", "", m.group(0))
        if len(digits) % 2:
            digits = digits[:-1]
        try:
            decoded = _printable_text(bytes.fromhex(digits))
        except ValueError:
            continue
        if decoded:
            out.append(decoded)
    return out


def _decode_binary(text: str) -> list[str]:
    out = []
    for m in _BINARY_RUN.finditer(text):
        bits = re.sub(r"\s", "", m.group(0))
        raw = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits) - 7, 8))
        decoded = _printable_text(raw)
        if decoded:
            out.append(decoded)
    return out


def _join_spaced_letters(text: str) -> str:
    """'i g n o r e  a l l' -> 'ignore all' (runs of single letters become words)."""

    def join(m: re.Match[str]) -> str:
        # A double gap between letters marks a word boundary in spaced-out text;
        # without one, split the letters back into words with a small vocabulary.
        parts = re.split(r"\s{2,}| / | \| ", m.group(0))
        words = ["".join(ch for ch in part if ch.isalpha()) for part in parts]
        if len(words) == 1:
            return word_break(words[0])
        return " ".join(words)

    return _SPACED_RUN.sub(join, text)


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Words from the guard's own training data plus the commonest English words."""
    words = set(_COMMON)
    data = resources.files("govai.guards") / "data"
    for f in data.iterdir():
        if f.name.endswith(".yaml"):
            words.update(w for w in re.findall(r"[a-z]+", f.read_text(encoding="utf-8").lower()) if len(w) > 1)
    words.update({"a", "i"})
    return frozenset(words)


def word_break(letters: str, max_word: int = 20) -> str:
    """'ignoreallpreviousinstructions' -> 'ignore all previous instructions' (fewest words wins)."""
    lower = letters.lower()
    if len(lower) > 400:
        return letters
    vocab = _vocabulary()
    best: list[tuple[int, int] | None] = [(0, 0)] + [None] * len(lower)  # (word count, start of last word)
    for end in range(1, len(lower) + 1):
        for start in range(max(0, end - max_word), end):
            prev = best[start]
            if prev is not None and lower[start:end] in vocab:
                if best[end] is None or prev[0] + 1 < best[end][0]:  # type: ignore[index]
                    best[end] = (prev[0] + 1, start)
    if best[-1] is None:
        return letters
    words, end = [], len(lower)
    while end > 0:
        _, start = best[end]  # type: ignore[misc]
        words.append(letters[start:end])
        end = start
    return " ".join(reversed(words))


def _caesar(text: str, shift: int) -> str:
    lower = string.ascii_lowercase
    upper = string.ascii_uppercase
    table = str.maketrans(
        lower + upper, lower[shift:] + lower[:shift] + upper[shift:] + upper[:shift]
    )
    return text.translate(table)


def _best_shift(text: str) -> tuple[int, float]:
    """The Caesar shift (1..25) under which the text reads most like English."""
    best = (0, 0.0)
    for shift in range(1, 26):
        score = _english_score(_caesar(text, shift))
        if score > best[1]:
            best = (shift, score)
    return best


def variants(text: str, *, keep_lines: bool = False) -> list[Variant]:
    """Every reading of ``text`` worth checking; the first is the plain reading.

    ``keep_lines`` keeps the line structure of the plain reading (for passages).
    """
    cleaned = fast_normalise(text, fold_homoglyphs=False)
    plain = _collapse_within_lines(cleaned) if keep_lines else _collapse(cleaned)
    found: list[Variant] = [Variant("plain", plain)]
    seen = {plain}

    def add(how: str, candidate: str) -> None:
        candidate = text_normalise.repair_surrogates(candidate)  # "\\ud83d" decoded on its own is no text at all
        candidate = _collapse_within_lines(candidate) if keep_lines else _collapse(candidate)
        if candidate and candidate not in seen and len(found) < MAX_VARIANTS:
            seen.add(candidate)
            found.append(Variant(how, candidate))

    tagged = hidden_tag_text(text)
    if tagged.strip():
        add("tag-characters", tagged)
    if not plain.isascii():
        add("homoglyphs", fast_normalise(plain))
    if _maybe_spaced(cleaned) and _SPACED_RUN.search(cleaned):
        add("spaced-letters", _join_spaced_letters(cleaned))
    if not keep_lines and _LEET_HINT.search(plain) and _LEET_WORD.search(plain):  # passages: P60, SA100 are not leet
        add("leetspeak", _LEET_WORD.sub(lambda m: m.group(0).lower().translate(_LEET), plain))
    for decoded in _decode_base64(plain):
        add("base64", decoded)
    if len(_DIGIT.findall(plain, 0, 4000)) >= 8:  # hex and binary payloads are mostly digits
        for decoded in _decode_hex(plain):
            add("hex", decoded)
        for decoded in _decode_binary(plain):
            add("binary", decoded)
    if len(_PERCENT.findall(plain)) >= 3:
        add("url-encoding", urllib.parse.unquote(plain))
    if _HTML_ENTITY.search(plain) or _UNICODE_ESCAPE.search(plain):
        add("escapes", _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(0)[2:], 16)), html.unescape(plain)))
    _add_ciphers(plain, add)
    return found


def _add_ciphers(plain: str, add: Callable[[str, str], None]) -> None:
    """ROT13/Caesar and reversed text, tried only when the plain text does not read as English."""
    lowered = plain.lower()
    if "rot13" in lowered or "rot-13" in lowered:  # said outright: decode whatever the text looks like
        add("rot13", codecs.decode(plain, "rot13"))
    sample = plain[:600]  # a cipher is judged on its opening: cheap on long inputs
    letters = len(_ASCII_LETTERS.findall(sample))
    if letters < 12 or letters < 0.5 * len(sample):
        return
    base = _english_score(sample)
    if base >= 0.1:  # ordinary prose: ciphers and reversed text have almost no common words
        return
    shift, score = _best_shift(sample)
    if score >= 0.25 and score > base + 0.15:
        add("rot13" if shift == 13 else f"caesar-{shift}", _caesar(plain, shift))
    reversed_text = plain[::-1]
    if _english_score(reversed_text[:600]) >= 0.25:
        add("reversed", reversed_text)
