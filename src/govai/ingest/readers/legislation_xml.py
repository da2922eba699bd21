"""legislation.gov.uk XML (CLML, as served at ``/ukpga/2024/16/data.xml``): one
Document per section or schedule paragraph, cited by its canonical URL, plus the
introductory text (long title and date of enactment)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govai.errors import IngestError
from govai.ingest.document import Document, Section
from govai.ingest.readers.base import FileReader
from govai.ingest.readers.cleaning import squash
from govai.ingest.sources import source_readers

CLML = "http://www.legislation.gov.uk/namespaces/legislation"
UKM = "http://www.legislation.gov.uk/namespaces/metadata"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
SITE = "https://www.legislation.gov.uk"

# Editorial apparatus and references to it: not the text of the law.
_SKIP = {"CommentaryRef", "FootnoteRef", "Commentaries", "Footnotes", "MarginNotes", "MarginNoteRef", "Citations"}
_GROUPS = {"Part", "Chapter", "Pblock", "PsubBlock"}
_CONTAINERS = {"Primary", "Secondary", "Body", "Schedules", "ScheduleBody", "Appendix"}
# Trailing URI segments that name a version or extent rather than the provision.
_VERSION = re.compile(
    r"^(enacted|made|created|adopted|prospective|\d{4}-\d{2}-\d{2}|england|wales|scotland|northern-ireland|"
    r"england\+wales|great-britain|united-kingdom|data\.xml|contents)$"
)


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(el: Any) -> str:
    tag = el.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c) == name and _ns(c) == CLML]


def _inline(el: Any) -> str:
    """Text of an element and its inline children, leaving out editorial references."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and _local(child) not in _SKIP:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def canonical_url(uri: str) -> str:
    """``http://www.legislation.gov.uk/id/ukpga/2024/16/section/1/enacted`` ->
    ``https://www.legislation.gov.uk/ukpga/2024/16/section/1``."""
    path = urlsplit(uri).path if "://" in uri else uri
    segments = [s for s in path.split("/") if s]
    if segments and segments[0] == "id":
        segments = segments[1:]
    while segments and _VERSION.match(segments[-1]):
        segments.pop()
    return SITE + "/" + "/".join(segments)


def _provision_url(el: Any, act_url: str) -> str | None:
    uri = el.get("IdURI") or el.get("DocumentURI")
    if uri:
        return canonical_url(uri)
    if el.get("id"):  # "section-3A" -> section/3A; "schedule-2-paragraph-6" -> schedule/2/paragraph/6
        return f"{act_url}/{el.get('id').replace('-', '/')}"
    return None


def _label(url: str, act_url: str) -> str:
    """'section 1', 'schedule 2, paragraph 6', 'schedule, paragraph 3'."""
    segments = url.removeprefix(act_url).strip("/").split("/")
    words: list[str] = []
    for segment in segments:
        if words and re.fullmatch(r"\d+[A-Za-z]*|[ivxlc]+", segment) and not words[-1][-1].isdigit():
            words[-1] = f"{words[-1]} {segment}"
        else:
            words.append(segment)
    return ", ".join(words)


def render_provision(el: Any) -> str:
    """Provision text, one line per paragraph, numbers as '(1) (a) ...'."""
    lines: list[str] = []
    labels: list[str] = []

    def visit(node: Any, top: bool) -> None:
        for child in node:
            name, ns = _local(child), _ns(child)
            if not name or name in _SKIP or ns in (UKM, DC):
                continue
            if ns == XHTML and name == "table":
                lines.extend(_table_rows(child))
            elif name == "Pnumber":
                if not top:
                    number = squash(_inline(child))
                    before, after = child.get("PuncBefore"), child.get("PuncAfter")
                    if number:
                        labels.append(f"{before}{number}{after}" if before or after else f"({number})")
            elif name in {"Text", "Title", "Subtitle"}:
                text = squash(_inline(child))
                if text:
                    lines.append(" ".join([*labels, text]))
                    labels.clear()
            elif name == "ListItem":
                labels.append(child.get("NumberOverride") or "-")
                visit(child, False)
            else:
                visit(child, False)

    visit(el, True)
    return "\n".join(lines)


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.iter(f"{{{XHTML}}}tr"):
        cells = [squash(_inline(c)) for c in row if _local(c) in {"td", "th"}]
        if any(cells):
            rows.append(" | ".join(c for c in cells if c))
    return rows


def _number_and_title(el: Any) -> tuple[str, str]:
    number = next((squash(_inline(c)) for c in _children(el, "Number")), "")
    title_parent = next(iter(_children(el, "TitleBlock")), el)
    title = next((squash(_inline(c)) for c in _children(title_parent, "Title")), "")
    if number.isupper():  # "SCHEDULE 1" -> "Schedule 1"
        number = number.capitalize()
    return number, title


def _group_heading(el: Any) -> str | None:
    """'Part 1: Title', 'Schedule 2: Title', or just the cross-heading's title."""
    number, title = _number_and_title(el)
    if number and title:
        return f"{number}: {title}"
    return number or title or None


def _own_provisions(el: Any) -> list[Any]:
    """P1 elements under ``el`` that are provisions of this Act: not inside another
    P1 and not text quoted into another Act by an amendment."""
    found: list[Any] = []

    def visit(node: Any) -> None:
        for child in node:
            name = _local(child)
            if name == "P1" and _ns(child) == CLML:
                found.append(child)
            elif name not in {"BlockAmendment", "Commentaries", "Footnotes"} and name:
                visit(child)

    visit(el)
    return found


class _Act:
    def __init__(self, root: Any, origin: str, fallback_name: str) -> None:
        self.root = root
        self.origin = origin
        meta_title = root.find(f"{{{UKM}}}Metadata/{{{DC}}}title")
        prelims_title = root.find(f".//{{{CLML}}}PrimaryPrelims/{{{CLML}}}Title")
        if prelims_title is None:
            prelims_title = root.find(f".//{{{CLML}}}SecondaryPrelims/{{{CLML}}}Title")
        names = [squash(_inline(e)) for e in (meta_title, prelims_title) if e is not None]
        self.name = next((n for n in names if n), fallback_name)
        base = root.get("IdURI") or root.get("DocumentURI")
        if not base:
            identifier = root.find(f"{{{UKM}}}Metadata/{{{DC}}}identifier")
            base = identifier.text if identifier is not None and identifier.text else ""
        self.url = canonical_url(base) if base else ""
        self.extent = root.get("RestrictExtent")

    def document(self, url: str, title: str, headings: list[str], text: str, extra: dict[str, Any]) -> Document:
        metadata = {"act": self.name, **({"extent": self.extent} if self.extent else {}), **extra}
        return Document(
            source_id=url,
            title=title,
            url=url,
            kind="legislation",
            origin=self.origin,
            sections=[Section(headings=headings, anchor=None, text=text)],
            metadata=metadata,
        )

    def introduction(self) -> Document | None:
        prelims = self.root.find(f".//{{{CLML}}}PrimaryPrelims")
        if prelims is None or not self.url:
            return None
        parts = [squash(_inline(e)) for name in ("LongTitle", "DateOfEnactment") for e in _children(prelims, name)]
        text = "\n".join(p for p in parts if p)
        if not text:
            return None
        return self.document(f"{self.url}/introduction", f"{self.name}: introductory text", [], text, {})

    def provisions(self, el: Any, trail: list[str]) -> Iterator[Document]:
        for child in el:
            name = _local(child)
            if _ns(child) != CLML:
                continue
            if name in _CONTAINERS:
                yield from self.provisions(child, trail)
            elif name in _GROUPS:
                heading = _group_heading(child)
                yield from self.provisions(child, [*trail, heading] if heading else trail)
            elif name == "Schedule":
                yield from self.schedule(child, trail)
            elif name == "P1group":
                heading = next((squash(_inline(t)) for t in _children(child, "Title")), "") or None
                for p1 in _own_provisions(child):
                    yield from self.provision(p1, trail, heading, child)
            elif name == "P1":
                yield from self.provision(child, trail, None, None)

    def schedule(self, el: Any, trail: list[str]) -> Iterator[Document]:
        heading = _group_heading(el)
        inner = [*trail, heading] if heading else trail
        if _own_provisions(el):
            yield from self.provisions(el, inner)
            return
        url = _provision_url(el, self.url)
        text = render_provision(next(iter(_children(el, "ScheduleBody")), el))
        if url and text:  # a schedule made only of a table or list
            title = _number_and_title(el)[1]
            label = f"{self.name}, {_label(url, self.url)}" + (f": {title}" if title else "")
            yield self.document(url, label, inner, text, {})

    def provision(self, p1: Any, trail: list[str], heading: str | None, group: Any) -> Iterator[Document]:
        url = _provision_url(p1, self.url)
        if url is None and group is not None:
            url = _provision_url(group, self.url)
        text = render_provision(p1)
        if not url or not text:
            return
        label = _label(url, self.url)
        title = f"{self.name}, {label}" + (f": {heading}" if heading else "")
        headings = [*trail, heading] if heading else list(trail)
        number = next((squash(_inline(n)) for n in _children(p1, "Pnumber")), "")
        yield self.document(url, title, headings, text, {"number": number} if number else {})


def _parse_xml(data: bytes, label: str) -> Any:
    from lxml import etree

    # No DTDs, entities or network: an XML file must not reach outside itself.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"{label}: not well-formed XML ({exc}); download the file again") from None


class LegislationXmlReader(FileReader):
    name = "legislation-xml"
    kind = "legislation"
    suffixes = frozenset({".xml"})
    priority = 55

    def matches(self, path: Path) -> bool:
        if not super().matches(path):
            return False
        try:
            with path.open("rb") as f:
                return CLML.encode() in f.read(8192)
        except OSError:
            return True  # let read() report why the file cannot be opened

    def read(self, path: Path) -> Iterator[Document]:
        label = str(path)
        data = self._load(path, label)
        if not data.strip():
            raise IngestError(f"{label}: the file is empty; download it again")
        root = _parse_xml(data, label)
        if _local(root) != "Legislation" or _ns(root) != CLML:
            raise IngestError(f"{label}: not legislation.gov.uk XML (root is <{_local(root)}>, not <Legislation>)")
        act = _Act(root, str(path.resolve()), path.stem.replace("-", " ").title())
        if not act.url:
            raise IngestError(f"{label}: the XML names no legislation URI (IdURI or dc:identifier)")
        intro = act.introduction()
        docs = ([intro] if intro else []) + list(act.provisions(root, []))
        if len(docs) <= (1 if intro else 0):
            raise IngestError(f"{label}: no sections found in this legislation XML")
        yield from docs


source_readers.add(LegislationXmlReader.name, LegislationXmlReader())
