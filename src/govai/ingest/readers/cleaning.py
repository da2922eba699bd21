"""Text hygiene shared by the file readers: hidden characters removed, layout
tidied, and bytes decoded with the encoding problems reported rather than fatal."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from govai.errors import IngestError

# Control characters (but tab and newline), invisible format characters (soft
# hyphen, zero-width, bidi overrides, BOM, Unicode tag characters: a way to hide
# instructions in a page), lone surrogates and private-use characters.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff\U000e0000-\U000e007f]"
)
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")


def clean_text(text: str) -> str:
    """Normalise newlines, drop hidden characters, compose to NFC. Layout (newlines,
    blank lines) is kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")  # form feed: page break
    text = _HIDDEN.sub("", text)
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """One line: whitespace runs become one space."""
    return re.sub(r"\s+", " ", clean_text(text)).strip()


def tidy_block(text: str) -> str:
    """Trim each line, collapse inner spaces, keep at most one blank line in a row."""
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in clean_text(text).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@dataclass
class Decoded:
    text: str
    warnings: list[str] = field(default_factory=list)


_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.05


def decode_text(data: bytes, name: str) -> Decoded:
    """Bytes of a text file to str. UTF-8 (with or without BOM) and UTF-16 with a BOM
    decode exactly; text that is mostly ASCII with a few Windows-1252 bytes (a £
    saved by Word) decodes as Windows-1252; anything else decodes as UTF-8 with
    replacement characters, and the loss is reported."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", errors="replace"))
    if looks_binary(data):
        raise IngestError(f"{name}: looks like a binary file, not text; check the file type or re-export it")
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    high = [b for b in data if b >= 0x80]
    if len(high) <= len(data) * 0.1 and not _CP1252_UNDEFINED.intersection(high):
        return Decoded(data.decode("cp1252"), [f"{name}: not UTF-8; read as Windows-1252"])
    text = data.decode("utf-8", errors="replace")
    lost = text.count("\ufffd")
    return Decoded(text, [f"{name}: not valid UTF-8; {lost} undecodable byte sequence(s) replaced with �"])

