"""Unicode normalisation that remembers where every character came from.

Steps detect things in normalised text, but spans must point into what the
user typed, so each output character keeps the index of its source character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Invisible characters used to hide or split words: zero-width, bidi controls, BOM.
_INVISIBLE = {
    0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E,
    0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
    0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF,
}

# Look-alike letters from other scripts folded to their Latin twin.
_HOMOGLYPHS = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
    "ɡ": "g", "ո": "n", "ս": "u", "ԛ": "q", "ԝ": "w",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})


def _is_hidden(cp: int) -> bool:
    return cp in _INVISIBLE or 0xE0000 <= cp <= 0xE007F or 0xFE00 <= cp <= 0xFE0F


@dataclass(frozen=True)
class Normalised:
    text: str
    offsets: list[int]  # offsets[i] = index in the original of text[i]; one extra entry = len(original)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of normalised text back to the original text."""
        if start >= end:
            o = self.offsets[min(start, len(self.offsets) - 1)]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


def normalise(text: str, *, fold_homoglyphs: bool = True) -> Normalised:
    """NFKC, hidden characters removed, look-alikes folded, offsets kept.

    Broken surrogates (from bad decoding) become U+FFFD rather than raising.
    """
    if text.isascii():  # nothing to fold or hide: identity map (the common case, kept fast)
        return Normalised(text, list(range(len(text) + 1)))
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _NON_ASCII.finditer(text):  # copy ASCII runs whole; only other characters need work
        i = m.start()
        if i > pos:
            out.append(text[pos:i])
            offsets.extend(range(pos, i))
        pos = i + 1
        ch = text[i]
        cp = ord(ch)
        if 0xD800 <= cp <= 0xDFFF:
            ch = "\ufffd"
        elif _is_hidden(cp):
            continue
        norm = unicodedata.normalize("NFKC", ch)
        if fold_homoglyphs:
            norm = norm.translate(_HOMOGLYPHS)
        out.append(norm)
        offsets.extend([i] * len(norm))
    if pos < len(text):
        out.append(text[pos:])
        offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    return Normalised("".join(out), offsets)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def repair_surrogates(text: str) -> str:
    """Join surrogate halves that pair up (decoded "\\ud83d\\ude00") into the character they
    encode; a lone half becomes U+FFFD. No consumer of text (UTF-8, PostgreSQL, a model) takes
    a lone surrogate."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
