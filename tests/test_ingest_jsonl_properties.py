"""Property tests for the GOV.UK JSON Lines reader: any mix of good and bad lines, with any
Unicode (lone surrogates written as JSON escapes, NULs, invalid UTF-8 bytes included),
never crashes the reader and keeps every good line, in order."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import govai.ingest.readers  # noqa: F401  (registers the readers)
from govai.ingest.chunking import chunk_document
from govai.ingest.document import Document, Skipped
from govai.ingest.readers.govuk import GovukReader
from govai.jsonl import BadLine, JsonLine, iter_jsonl

# Any code point, lone surrogates included (hypothesis leaves those out unless asked).
ANY_CHAR = st.one_of(st.characters(), st.characters(categories=["Cs"]))
ANY_TEXT = st.text(alphabet=ANY_CHAR, max_size=40)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
BOM = "\ufeff".encode()
WHOLE_REASON = re.compile(
    r"\d+: (not valid JSON \(.+ at column \d+\); each line must be one JSON object"
    r"|not a GOV\.UK content item \(no base_path/title\)"
    r"|title must be non-empty text, not (a number|a list|blank))",
    re.DOTALL,
)


def stored_form(text: str) -> str:
    """What the reader makes of a string: lone surrogates become U+FFFD, NULs go."""
    return LONE_SURROGATE.sub("\ufffd", text).replace("\x00", "")


@st.composite
def good_lines(draw: st.DrawFn) -> tuple[str, bytes]:
    """A GOV.UK content item as one JSON line, and the source id it must produce."""
    base_path = "/" + draw(ANY_TEXT)
    item = {"base_path": base_path, "title": draw(ANY_TEXT.filter(lambda t: t.strip()))}
    if draw(st.booleans()):
        item["body_markdown"] = draw(ANY_TEXT)
    if draw(st.booleans()):
        item["description"] = draw(ANY_TEXT)
    if draw(st.booleans()):
        item["details"] = {"body": f"<p>{draw(ANY_TEXT)}</p>"}
    # Escaped (\ud83d, \u0000) or raw UTF-8, where raw is possible (a lone surrogate cannot be).
    has_surrogate = bool(LONE_SURROGATE.search(json.dumps(item, ensure_ascii=False)))
    raw = json.dumps(item, ensure_ascii=draw(st.booleans()) or has_surrogate)
    return stored_form(base_path), raw.encode("utf-8")


def _could_be_an_item(raw: bytes) -> bool:
    """Junk that happens to be a JSON object with a base_path is not junk."""
    try:
        value = json.loads(raw.decode("utf-8", errors="replace"))
    except (json.JSONDecodeError, RecursionError):
        return False
    return isinstance(value, dict) and "base_path" in value


@st.composite
def bad_lines(draw: st.DrawFn) -> bytes:
    """A line that is not a usable item: junk text (even invalid UTF-8), JSON that is not an
    item, or a good item cut short."""
    kind = draw(st.sampled_from(["junk", "json", "cut", "wrong-type"]))
    if kind == "junk":
        raw = draw(ANY_TEXT.filter(lambda t: "\n" not in t)).encode("utf-8", errors="surrogatepass")
        assume(not _could_be_an_item(raw) and not raw.startswith(BOM))  # a BOM is dropped from line 1
    elif kind == "json":
        scalars = st.none() | st.booleans() | st.integers() | ANY_TEXT
        value = draw(st.recursive(
            scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
            max_leaves=8,
        ))
        raw = json.dumps(value).encode("utf-8")
        assume(not _could_be_an_item(raw))
    elif kind == "cut":
        whole = draw(good_lines())[1]
        raw = whole[: draw(st.integers(min_value=1, max_value=len(whole) - 1))]
    else:
        title = draw(st.integers() | st.lists(st.integers(), max_size=2))
        raw = json.dumps({"base_path": "/x", "title": title}).encode()
    assume(raw.decode("utf-8", errors="replace").strip())  # not a blank line
    return raw


LINES = st.lists(st.one_of(good_lines(), bad_lines()), max_size=12)


def write(lines: list[tuple[str, bytes] | bytes], folder: Path) -> Path:
    path = folder / "pages.jsonl"
    path.write_bytes(b"\n".join(line[1] if isinstance(line, tuple) else line for line in lines) + b"\n")
    return path


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, blank_every=st.integers(min_value=0, max_value=3))
def test_every_good_line_is_kept_and_every_bad_one_reported(lines, blank_every: int) -> None:
    if blank_every:  # blank lines anywhere are ignored and do not shift line numbers
        lines = [line for i, item in enumerate(lines) for line in ([item, b"  "] if i % blank_every == 0 else [item])]
    with tempfile.TemporaryDirectory() as folder:
        path = write(lines, Path(folder))
        read = list(GovukReader().read(path))
    docs = [d for d in read if isinstance(d, Document)]
    skipped = [s for s in read if isinstance(s, Skipped)]
    assert [d.source_id for d in docs] == [line[0] for line in lines if isinstance(line, tuple)]
    bad_numbers = [n for n, line in enumerate(lines, 1) if isinstance(line, bytes) and line.strip()]
    assert [int(s.reason.removeprefix(f"{path}:").split(":", 1)[0]) for s in skipped] == bad_numbers
    for reason in (s.reason for s in skipped):  # each reason whole, not cut off
        assert WHOLE_REASON.fullmatch(reason.removeprefix(f"{path}:")), reason
    for doc in docs:  # storable: encodes as UTF-8, no NUL, and it chunks and hashes
        assert "\x00" not in json.dumps(doc.model_dump(), ensure_ascii=False).encode("utf-8").decode()
        assert doc.content_hash
        assert all(c.content_hash(doc.title) for c in chunk_document(doc))


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_lone_surrogate_escapes_become_replacement_characters(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.jsonl"
        path.write_text(json.dumps({"text": text}) + "\n", encoding="ascii")  # escapes every non-ASCII character
        (line,) = list(iter_jsonl(path))
    assert isinstance(line, JsonLine) and not isinstance(line, BadLine)
    assert line.value == {"text": LONE_SURROGATE.sub("\ufffd", text)}
    assert bool(line.warnings) == bool(LONE_SURROGATE.search(text))
