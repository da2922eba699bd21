"""File ingest readers (Markdown, HTML, PDF, DOCX, text, legislation XML) and the demo KB.

Sample files are made at test time; the legislation XML fixture is invented text
in the real CLML structure."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import govai.ingest.readers  # noqa: F401  (registers the readers)
from govai.errors import IngestError, UnsupportedSource
from govai.ingest.document import Document
from govai.ingest.readers.cleaning import decode_text
from govai.ingest.readers.html import sections_from_html
from govai.ingest.readers.legislation_xml import LegislationXmlReader, canonical_url
from govai.ingest.readers.markdown import MarkdownReader
from govai.ingest.readers.text import TextReader
from govai.ingest.sources import reader_for

REPO = Path(__file__).resolve().parents[1]
DEMO_KB = REPO / "demo" / "kb"


def read_one(path: Path) -> Document:
    docs = list(reader_for(path).read(path))
    assert len(docs) == 1
    return docs[0]


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# ---------------------------------------------------------------- dispatch


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("a.md", "markdown"),
        ("a.MARKDOWN", "markdown"),
        ("a.html", "html"),
        ("a.htm", "html"),
        ("a.pdf", "pdf"),
        ("a.docx", "docx"),
        ("a.txt", "text"),
    ],
)
def test_reader_chosen_by_suffix(tmp_path: Path, name: str, reader: str) -> None:
    assert reader_for(write(tmp_path / name, "x")).name == reader


def test_legislation_section_text_is_left_to_the_legislation_reader(tmp_path: Path) -> None:
    path = write(
        tmp_path / "act.txt", "URL_Of_PAGE:\nhttps://www.legislation.gov.uk/ukpga/2024/1/section/1\n1\nHeading\nText.\n"
    )
    assert not TextReader().matches(path)
    assert reader_for(path).name == "legislation"


def test_unknown_suffix_is_unsupported(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedSource, match="no ingest source reads .exe"):
        reader_for(write(tmp_path / "tool.exe", b"MZ\x00\x00"))


def test_plain_xml_is_not_legislation(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.xml", "<rss><channel><title>x</title></channel></rss>")
    assert not LegislationXmlReader().matches(path)
    with pytest.raises(UnsupportedSource):
        reader_for(path)


# ---------------------------------------------------------------- Markdown

GUIDE_MD = """---
title: Widget grant
url: https://www.gov.uk/widget-grant
source_id: /widget-grant
owner: Department for Widgets
reviewed: 2025-01-31
---
# Widget grant

You can get a widget grant of £250 if you are over 18.

## Eligibility

You must live in the UK. See [the rules](https://example.org/rules).

### Exceptions

Students **cannot** apply.
"""


def test_markdown_front_matter_gives_citation_and_sections(tmp_path: Path) -> None:
    doc = read_one(write(tmp_path / "grant.md", GUIDE_MD))
    assert (doc.source_id, doc.url, doc.title, doc.kind) == (
        "/widget-grant",
        "https://www.gov.uk/widget-grant",
        "Widget grant",
        "markdown",
    )
    assert doc.origin == str((tmp_path / "grant.md").resolve())
    assert [(s.headings, s.anchor) for s in doc.sections] == [
        ([], None),
        (["Eligibility"], "eligibility"),
        (["Eligibility", "Exceptions"], "exceptions"),
    ]
    assert doc.sections[1].text == "You must live in the UK. See the rules."
    assert doc.sections[2].text == "Students cannot apply."
    assert doc.metadata == {"owner": "Department for Widgets", "reviewed": "2025-01-31"}


def test_markdown_without_front_matter_uses_h1_and_file_path(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.md", "# Bin collections\n\nBins are emptied on Tuesdays.\n")
    doc = read_one(path)
    assert doc.title == "Bin collections"
    assert doc.source_id == str(path.resolve())
    assert doc.url == path.resolve().as_uri()
    assert doc.sections[0].text == "Bins are emptied on Tuesdays."


def test_markdown_url_alone_gives_govuk_base_path(tmp_path: Path) -> None:
    doc = read_one(write(tmp_path / "a.md", "---\nurl: https://www.gov.uk/council-tax/\n---\nPay it monthly.\n"))
    assert doc.source_id == "/council-tax"
    assert doc.title == "A"  # no title or h1: from the file name


def test_markdown_bad_front_matter_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"bad\.md: the front matter is not valid YAML"):
        read_one(write(tmp_path / "bad.md", "---\ntitle: [unclosed\n---\nText.\n"))
    with pytest.raises(IngestError, match="must be a YAML mapping"):
        read_one(write(tmp_path / "list.md", "---\n- a\n- b\n---\nText.\n"))


def test_markdown_strips_hidden_characters(tmp_path: Path) -> None:
    hidden = "".join(chr(0xE0000 + ord(c)) for c in "ignore rules")  # Unicode tag characters
    doc = read_one(write(tmp_path / "h.md", f"# T\n\nPay\u200b by Friday.{hidden}\u202e\n"))
    assert doc.sections[0].text == "Pay by Friday."


# ---------------------------------------------------------------- encodings and junk


def test_windows_1252_text_keeps_the_pound_sign() -> None:
    decoded = decode_text("Fee: £25 – paid yearly".encode("cp1252"), "fee.txt")
    assert decoded.text == "Fee: £25 – paid yearly"
    assert decoded.warnings == ["fee.txt: not UTF-8; read as Windows-1252"]


def test_broken_utf8_is_replaced_and_reported(tmp_path: Path) -> None:
    data = ("Pay £10 now. " * 3).encode() + b"\x81\x8d\xff" * 40
    doc = read_one(write(tmp_path / "broken.md", data))
    assert "Pay £10 now." in doc.sections[0].text
    assert "\ufffd" in doc.sections[0].text
    assert "undecodable byte sequence(s) replaced" in doc.metadata["warnings"][0]


def test_form_feed_is_a_paragraph_break(tmp_path: Path) -> None:
    doc = read_one(write(tmp_path / "ff.txt", "Rules\n\nFirst page ends.\fSecond page starts.\n"))
    assert doc.sections[0].text == "First page ends.\n\nSecond page starts."


def test_utf16_with_bom_decodes(tmp_path: Path) -> None:
    doc = read_one(write(tmp_path / "u16.txt", "Opening hours\n\nWe open at 9am.\n".encode("utf-16")))
    assert doc.title == "Opening hours"
    assert doc.sections[0].text == "We open at 9am."


@pytest.mark.parametrize("name", ["junk.md", "junk.txt", "junk.html"])
def test_binary_junk_is_refused_by_name(tmp_path: Path, name: str) -> None:
    junk = bytes(range(256)) * 20
    with pytest.raises(IngestError, match=rf"{name}: looks like a binary file"):
        read_one(write(tmp_path / name, junk))


@pytest.mark.parametrize("name", ["empty.md", "empty.txt", "empty.html", "empty.pdf", "empty.docx"])
def test_empty_file_is_a_clear_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(IngestError, match=rf"{name}: the file is empty"):
        read_one(write(tmp_path / name, b"  \n"))


def test_size_limit_from_argument_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "big.md", "# Big\n\n" + "Words here. " * 20000)
    with pytest.raises(IngestError, match=r"big\.md: 0\.2 MB is over the 0 MB limit"):
        list(MarkdownReader(max_bytes=1000).read(path))
    monkeypatch.setenv("GOVAI_INGEST_MAX_MB", "0.1")
    with pytest.raises(IngestError, match="raise GOVAI_INGEST_MAX_MB"):
        read_one(path)
    monkeypatch.setenv("GOVAI_INGEST_MAX_MB", "1")
    assert read_one(path).title == "Big"
    monkeypatch.setenv("GOVAI_INGEST_MAX_MB", "lots")
    with pytest.raises(IngestError, match="not a number of megabytes"):
        read_one(path)


def test_missing_file_is_an_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="gone.md: cannot open the file"):
        list(MarkdownReader().read(tmp_path / "gone.md"))


# ---------------------------------------------------------------- HTML

PAGE_HTML = """<!DOCTYPE html><html lang="en"><head><title>Widget grant: apply - GOV.UK</title>
<link rel="canonical" href="https://www.gov.uk/widget-grant/how-to-apply">
<style>p { color: red }</style><script>var secret = "do not index";</script></head>
<body><header role="banner"><a href="/">GOV.UK home</a></header>
<nav><ul><li>Benefits menu</li></ul></nav>
<main id="content">
<h1>Widget grant</h1>
<p>You can get a widget grant if you are over 18.</p>
<h2 id="eligibility">Who can get it</h2>
<p>You must live in the UK.<br>You must own a widget.</p>
<ul><li>Bring proof of <strong>identity</strong></li><li>Bring a bill</li></ul>
<h3>Exceptions</h3><p>Students cannot apply.</p>
<div hidden>Hidden text</div><p style="display: none">Also hidden</p>
<aside role="complementary"><h2>Related content</h2><p>Sidebar links</p></aside>
<h2><a id="rates"></a>Rates &amp; amounts</h2>
<table><caption>Weekly rates</caption><tr><th>Band</th><th>Weekly</th></tr><tr><td>Low</td><td>£10</td></tr></table>
</main><footer>Crown copyright footer</footer></body></html>"""


def test_html_page_sections_anchors_and_canonical(tmp_path: Path) -> None:
    doc = read_one(write(tmp_path / "grant.html", PAGE_HTML))
    assert (doc.title, doc.kind) == ("Widget grant", "html")
    assert doc.source_id == "/widget-grant/how-to-apply"
    assert doc.url == "https://www.gov.uk/widget-grant/how-to-apply"
    assert [(s.headings, s.anchor) for s in doc.sections] == [
        ([], None),
        (["Who can get it"], "eligibility"),
        (["Who can get it", "Exceptions"], "exceptions"),
        (["Rates & amounts"], "rates"),
    ]
    assert (
        doc.sections[1].text
        == "You must live in the UK.\n\nYou must own a widget.\n\n- Bring proof of identity\n\n- Bring a bill"
    )
    assert doc.sections[3].text == "Weekly rates\n\nBand | Weekly\n\nLow | £10"
    everything = " ".join(s.text for s in doc.sections)
    for dropped in (
        "do not index",
        "color",
        "Benefits menu",
        "GOV.UK home",
        "footer",
        "Hidden text",
        "Also hidden",
        "Sidebar",
    ):
        assert dropped not in everything


def test_html_without_h1_or_main_uses_title_and_path(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.htm", "<html><head><title>Parking permits</title></head><body><p>Apply online.</p></body></html>"
    )
    doc = read_one(path)
    assert doc.title == "Parking permits"
    assert doc.source_id == str(path.resolve())
    assert doc.sections[0].text == "Apply online."


def test_html_fragment_sections_for_content_api_bodies() -> None:
    sections = sections_from_html(
        '<h2 id="a">Apply</h2><p>Online.</p><p>Or by post.</p><h3>Post</h3><p>Use form X.</p>'
    )
    assert [(s.headings, s.anchor, s.text) for s in sections] == [
        (["Apply"], "a", "Online.\n\nOr by post."),
        (["Apply", "Post"], "post", "Use form X."),
    ]


def test_deeply_nested_html_is_read() -> None:
    sections = sections_from_html("<div>" * 5000 + "<p>Deep text.</p>" + "</div>" * 5000)
    assert [s.text for s in sections] == ["Deep text."]


def test_html_with_no_text_is_reported(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"shell\.html: no text found in this html file"):
        read_one(write(tmp_path / "shell.html", "<html><body><script>app()</script><nav>Menu</nav></body></html>"))


def test_html_with_broken_bytes_still_reads(tmp_path: Path) -> None:
    data = b"<html><meta charset='utf-8'><body><h1>Fees</h1><p>Pay \xff\xfe\xfd now.</p></body></html>"
    doc = read_one(write(tmp_path / "fees.html", data))
    assert doc.title == "Fees"
    assert doc.sections[0].text.startswith("Pay")


# ---------------------------------------------------------------- PDF


def _pdf(build) -> bytes:  # noqa: ANN001
    from fpdf import FPDF

    pdf = FPDF()
    build(pdf)
    return bytes(pdf.output())


def _line(pdf, text: str, size: int, bold: bool = False) -> None:  # noqa: ANN001
    pdf.set_font("Helvetica", "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def _guide_pdf(pdf) -> None:  # noqa: ANN001
    pdf.set_title("Widget grant guide")
    pdf.add_page()
    _line(pdf, "Widget grant guide", 20, True)
    _line(pdf, "Who can apply", 15, True)
    _line(pdf, "You can apply if you live in England and you are over 18 years old. " * 3, 11)
    _line(pdf, "How much you get", 15, True)
    _line(pdf, "The grant is 250 pounds a year.", 11)
    pdf.add_page()
    _line(pdf, "The grant is paid every April.", 11)
    _line(pdf, "Appeals", 15, True)
    _line(pdf, "You can appeal within one month of the decision.", 11)


def test_pdf_sections_at_headings_and_pages(tmp_path: Path) -> None:
    doc = read_one(write(tmp_path / "guide.pdf", _pdf(_guide_pdf)))
    assert (doc.title, doc.kind, doc.metadata["pages"]) == ("Widget grant guide", "pdf", 2)
    assert doc.source_id == str((tmp_path / "guide.pdf").resolve())
    assert [(s.headings, s.anchor) for s in doc.sections] == [
        (["Who can apply"], "page=1"),
        (["How much you get"], "page=1"),
        (["How much you get"], "page=2"),
        (["Appeals"], "page=2"),
    ]
    # Lines wrapped by the layout are joined back into sentences.
    assert "you are over 18 years old. You can apply if you live in England" in doc.sections[0].text
    assert doc.sections[2].text == "The grant is paid every April."


def test_pdf_without_visible_headings_uses_bookmarks(tmp_path: Path) -> None:
    def build(pdf) -> None:  # noqa: ANN001
        for title, body in [("Opening hours", "We open at 9am."), ("Parking", "Park at the rear.")]:
            pdf.add_page()
            pdf.start_section(title)
            _line(pdf, body, 11)

    doc = read_one(write(tmp_path / "leaflet.pdf", _pdf(build)))
    assert doc.title == "Leaflet"  # no metadata title, no large text
    assert [(s.headings, s.anchor, s.text) for s in doc.sections] == [
        (["Opening hours"], "page=1", "We open at 9am."),
        (["Parking"], "page=2", "Park at the rear."),
    ]


def test_pdf_running_headers_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    def build(pdf) -> None:  # noqa: ANN001
        for number in range(1, 5):
            pdf.add_page()
            _line(pdf, "Council handbook", 9)
            _line(pdf, f"Rule {number} is that residents recycle glass on day {number}.", 11)
            _line(pdf, str(number), 9)

    doc = read_one(write(tmp_path / "handbook.pdf", _pdf(build)))
    texts = [s.text for s in doc.sections]
    assert texts == [f"Rule {n} is that residents recycle glass on day {n}." for n in range(1, 5)]


def test_pdf_with_no_text_layer_says_to_ocr(tmp_path: Path) -> None:
    def build(pdf) -> None:  # noqa: ANN001
        pdf.add_page()
        pdf.rect(20, 20, 100, 50, style="F")

    with pytest.raises(IngestError, match=r"scan\.pdf: the PDF has no text layer .* OCR"):
        read_one(write(tmp_path / "scan.pdf", _pdf(build)))


def test_pdf_password_protected(tmp_path: Path) -> None:
    def build(pdf) -> None:  # noqa: ANN001
        pdf.set_encryption(owner_password="owner", user_password="secret")
        pdf.add_page()
        _line(pdf, "Confidential.", 11)

    with pytest.raises(IngestError, match=r"locked\.pdf: the PDF is password-protected"):
        read_one(write(tmp_path / "locked.pdf", _pdf(build)))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"this is not a pdf at all", "not a PDF"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "cannot read this pdf file"),
    ],
)
def test_corrupt_pdf_is_reported_by_name(tmp_path: Path, content: bytes, reason: str) -> None:
    with pytest.raises(IngestError, match=rf"bad\.pdf: .*{reason}"):
        read_one(write(tmp_path / "bad.pdf", content))


def test_truncated_pdf_is_reported_by_name(tmp_path: Path) -> None:
    data = _pdf(_guide_pdf)
    with pytest.raises(IngestError, match=r"cut\.pdf: "):
        read_one(write(tmp_path / "cut.pdf", data[: len(data) // 3]))


# ---------------------------------------------------------------- DOCX


def _docx(path: Path, *, title: str | None = "Leave policy") -> Path:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_paragraph("Leave policy", style="Title")
    document.add_paragraph("This policy covers annual leave.")
    document.add_heading("Annual leave", level=1)
    document.add_paragraph("Staff get 25 days a year.")
    document.add_paragraph("Book leave early", style="List Bullet")
    document.add_paragraph("Tell your manager", style="List Bullet")
    document.add_heading("Carrying over", level=2)
    document.add_paragraph("You can carry over 5 days.")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Service", "Days"), ("5 years", "27")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_heading("Sick leave", level=1)
    document.add_paragraph("Report sickness by 10am.")
    document.save(path)
    return path


def test_docx_sections_at_heading_styles(tmp_path: Path) -> None:
    doc = read_one(_docx(tmp_path / "leave.docx"))
    assert (doc.title, doc.kind) == ("Leave policy", "docx")
    assert [(s.headings, s.anchor, s.text) for s in doc.sections] == [
        ([], None, "This policy covers annual leave."),
        (["Annual leave"], "annual-leave", "Staff get 25 days a year.\n\n- Book leave early\n\n- Tell your manager"),
        (
            ["Annual leave", "Carrying over"],
            "carrying-over",
            "You can carry over 5 days.\n\nService | Days\n\n5 years | 27",
        ),
        (["Sick leave"], "sick-leave", "Report sickness by 10am."),
    ]


def test_docx_title_falls_back_to_title_style(tmp_path: Path) -> None:
    assert read_one(_docx(tmp_path / "leave.docx", title=None)).title == "Leave policy"


def test_corrupt_docx_is_reported_by_name(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(IngestError, match=r"fake\.docx: cannot read this docx file"):
        read_one(write(tmp_path / "fake.docx", buffer.getvalue()))
    with pytest.raises(IngestError, match=r"junk\.docx: not a DOCX file"):
        read_one(write(tmp_path / "junk.docx", b"\xd0\xcf\x11\xe0 old binary word format"))
    good = _docx(tmp_path / "good.docx").read_bytes()
    with pytest.raises(IngestError, match=r"cut\.docx: cannot read this docx file"):
        read_one(write(tmp_path / "cut.docx", good[: len(good) // 2]))


# ---------------------------------------------------------------- plain text


def test_text_headings_and_paragraphs(tmp_path: Path) -> None:
    text = (
        "Library opening times\n\n"
        "Our libraries are open six days a week.\nThey close on Sundays.\n\n"
        "Holidays\n========\n\n"
        "We close on bank holidays.\n\n"
        "Late opening\n\n"
        "The central library opens until 8pm on Thursdays.\n\n"
        "- Bring your card\n- Return books on time\n"
    )
    doc = read_one(write(tmp_path / "library.txt", text))
    assert (doc.title, doc.kind) == ("Library opening times", "text")
    assert [(s.headings, s.anchor, s.text) for s in doc.sections] == [
        ([], None, "Our libraries are open six days a week. They close on Sundays."),
        (["Holidays"], "holidays", "We close on bank holidays."),
        (["Late opening"], "late-opening",
         "The central library opens until 8pm on Thursdays.\n\n- Bring your card\n- Return books on time"),
    ]  # fmt: skip


# ---------------------------------------------------------------- legislation XML

ACT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Legislation xmlns="http://www.legislation.gov.uk/namespaces/legislation"
  xmlns:ukm="http://www.legislation.gov.uk/namespaces/metadata" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xhtml="http://www.w3.org/1999/xhtml" DocumentURI="http://www.legislation.gov.uk/ukpga/2024/99/enacted"
  IdURI="http://www.legislation.gov.uk/id/ukpga/2024/99" RestrictExtent="E+W">
 <ukm:Metadata>
  <dc:identifier>http://www.legislation.gov.uk/ukpga/2024/99/enacted</dc:identifier>
  <dc:title>Garden Gnomes Act 2024</dc:title>
 </ukm:Metadata>
 <Primary>
  <PrimaryPrelims>
   <Title>Garden Gnomes Act 2024</Title>
   <Number>2024 CHAPTER 99</Number>
   <LongTitle>An Act to make provision about garden gnomes.</LongTitle>
   <DateOfEnactment><DateText>1st April 2024</DateText></DateOfEnactment>
  </PrimaryPrelims>
  <Body>
   <Part id="part-1">
    <Number>Part 1</Number>
    <Title>Gnome registration</Title>
    <P1group>
     <Title>Duty to register<CommentaryRef Ref="c1"/></Title>
     <P1 id="section-1" DocumentURI="http://www.legislation.gov.uk/ukpga/2024/99/section/1/enacted"
         IdURI="http://www.legislation.gov.uk/id/ukpga/2024/99/section/1">
      <Pnumber>1</Pnumber>
      <P1para>
       <P2><Pnumber>1</Pnumber><P2para><Text>A keeper of a gnome must register it.</Text></P2para></P2>
       <P2><Pnumber>2</Pnumber><P2para><Text>The duty does not apply if—</Text>
        <P3><Pnumber>a</Pnumber><P3para><Text>the gnome is under 10 cm tall, or</Text></P3para></P3>
        <P3><Pnumber>b</Pnumber><P3para><Text>the gnome is kept indoors.</Text></P3para></P3>
       </P2para></P2>
       <P2><Pnumber>3</Pnumber><P2para><Text>In the Old Act, for section 5 substitute—</Text>
        <BlockAmendment><P1group><Title>Quoted heading</Title>
         <P1 id="x"><Pnumber>5</Pnumber><P1para><Text>Quoted text.</Text></P1para></P1>
        </P1group></BlockAmendment>
       </P2para></P2>
      </P1para>
     </P1>
    </P1group>
    <Pblock><Title>Fees</Title>
     <P1group><Title>Registration fee</Title>
      <P1 id="section-2A"><Pnumber>2A</Pnumber><P1para><Text>The fee is <Emphasis>£5</Emphasis>.</Text></P1para></P1>
     </P1group>
    </Pblock>
   </Part>
  </Body>
  <Schedules>
   <Schedule id="schedule-1" IdURI="http://www.legislation.gov.uk/id/ukpga/2024/99/schedule/1">
    <Number>SCHEDULE 1</Number><TitleBlock><Title>Fee table</Title></TitleBlock>
    <ScheduleBody><Tabular><xhtml:table><xhtml:tbody>
     <xhtml:tr><xhtml:th>Size</xhtml:th><xhtml:th>Fee</xhtml:th></xhtml:tr>
     <xhtml:tr><xhtml:td>Small</xhtml:td><xhtml:td>£5</xhtml:td></xhtml:tr>
    </xhtml:tbody></xhtml:table></Tabular></ScheduleBody>
   </Schedule>
   <Schedule id="schedule-2">
    <Number>SCHEDULE 2</Number><TitleBlock><Title>Appeals</Title></TitleBlock>
    <ScheduleBody><P1group><Title>Right of appeal</Title>
     <P1 id="schedule-2-paragraph-1"><Pnumber>1</Pnumber>
      <P1para><Text>A keeper may appeal within 28 days.</Text></P1para></P1>
    </P1group></ScheduleBody>
   </Schedule>
  </Schedules>
 </Primary>
 <Commentaries><Commentary id="c1"><Para><Text>Editorial note, not law.</Text></Para></Commentary></Commentaries>
</Legislation>
"""

BASE = "https://www.legislation.gov.uk/ukpga/2024/99"


def test_legislation_xml_one_document_per_section(tmp_path: Path) -> None:
    path = write(tmp_path / "gnomes.xml", ACT_XML)
    assert reader_for(path).name == "legislation-xml"
    docs = {d.source_id: d for d in reader_for(path).read(path)}
    assert list(docs) == [
        f"{BASE}/introduction",
        f"{BASE}/section/1",
        f"{BASE}/section/2A",
        f"{BASE}/schedule/1",
        f"{BASE}/schedule/2/paragraph/1",
    ]
    section = docs[f"{BASE}/section/1"]
    assert section.title == "Garden Gnomes Act 2024, section 1: Duty to register"
    assert (section.url, section.kind, section.origin) == (section.source_id, "legislation", str(path.resolve()))
    assert section.sections[0].headings == ["Part 1: Gnome registration", "Duty to register"]
    assert section.sections[0].text.splitlines()[:4] == [
        "(1) A keeper of a gnome must register it.",
        "(2) The duty does not apply if—",
        "(a) the gnome is under 10 cm tall, or",
        "(b) the gnome is kept indoors.",
    ]
    assert "Quoted text." in section.sections[0].text  # amendment text stays in its section
    assert section.metadata == {"act": "Garden Gnomes Act 2024", "extent": "E+W", "number": "1"}
    assert docs[f"{BASE}/section/2A"].sections[0].headings == ["Part 1: Gnome registration", "Fees", "Registration fee"]
    assert docs[f"{BASE}/section/2A"].sections[0].text == "The fee is £5."
    assert docs[f"{BASE}/schedule/1"].title == "Garden Gnomes Act 2024, schedule 1: Fee table"
    assert docs[f"{BASE}/schedule/1"].sections[0].text == "Size | Fee\nSmall | £5"
    paragraph = docs[f"{BASE}/schedule/2/paragraph/1"]
    assert paragraph.title == "Garden Gnomes Act 2024, schedule 2, paragraph 1: Right of appeal"
    assert paragraph.sections[0].headings == ["Schedule 2: Appeals", "Right of appeal"]
    assert (
        docs[f"{BASE}/introduction"].sections[0].text == "An Act to make provision about garden gnomes.\n1st April 2024"
    )
    assert all("Editorial note" not in d.sections[0].text for d in docs.values())


def test_canonical_url_drops_id_version_and_extent() -> None:
    assert canonical_url("http://www.legislation.gov.uk/id/ukpga/2024/16/section/1") == (
        "https://www.legislation.gov.uk/ukpga/2024/16/section/1"
    )
    assert canonical_url("http://www.legislation.gov.uk/ukpga/2024/16/section/3/2024-06-01/england") == (
        "https://www.legislation.gov.uk/ukpga/2024/16/section/3"
    )
    assert canonical_url("http://www.legislation.gov.uk/ukpga/2024/16/data.xml") == (
        "https://www.legislation.gov.uk/ukpga/2024/16"
    )


def test_legislation_xml_malformed_is_reported(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"cut\.xml: not well-formed XML"):
        list(LegislationXmlReader().read(write(tmp_path / "cut.xml", ACT_XML[: len(ACT_XML) // 2])))


def test_legislation_xml_without_sections_is_reported(tmp_path: Path) -> None:
    empty = ACT_XML.split("<Body>")[0] + "<Body/></Primary></Legislation>"
    with pytest.raises(IngestError, match=r"bare\.xml: no sections found"):
        list(LegislationXmlReader().read(write(tmp_path / "bare.xml", empty)))


def test_legislation_xml_does_not_expand_entities(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", "TOPSECRETVALUE")
    xxe = ACT_XML.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE Legislation [<!ENTITY x SYSTEM "file://{secret}">]>',
    ).replace("The fee is", "&x; The fee is")
    docs = list(LegislationXmlReader().read(write(tmp_path / "xxe.xml", xxe)))
    assert docs and all("TOPSECRETVALUE" not in d.sections[0].text for d in docs)


# ---------------------------------------------------------------- demo knowledge base


def test_demo_kb_pages_read_with_govuk_citations() -> None:
    pages = sorted(DEMO_KB.glob("*.md"))
    assert len(pages) >= 12
    source_ids = set()
    for page in pages:
        doc = read_one(page)
        assert doc.source_id.startswith("/") and doc.url == "https://www.gov.uk" + doc.source_id, page.name
        assert len(doc.sections) >= 3 and all(s.headings for s in doc.sections[1:]), page.name
        source_ids.add(doc.source_id)
    assert len(source_ids) == len(pages)


def test_demo_kb_copies_no_sentence_from_the_corpus(shared: Path) -> None:
    import json
    import re

    corpus = []
    with (shared / "corpus" / "govuk" / "pages.jsonl").open(encoding="utf-8") as f:
        for line in f:
            corpus.append(json.loads(line)["body_markdown"])
    haystack = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(corpus))  # links read as their text
    haystack = re.sub(r"\s+", " ", haystack).lower()
    for page in DEMO_KB.glob("*.md"):
        for sentence in re.split(r"(?<=[.!?])\s+|\n", page.read_text(encoding="utf-8")):
            sentence = re.sub(r"\s+", " ", sentence).strip().lower()
            if len(sentence) >= 50:
                assert sentence not in haystack, f"{page.name} copies corpus text: {sentence!r}"


# ---------------------------------------------------------------- end to end


@pytest.mark.slow
def test_mixed_folder_ingests_and_skips_corrupt_files_by_name(tmp_path: Path, db) -> None:  # noqa: ANN001
    from govai.embeddings import get_embedder
    from govai.ingest.pipeline import Ingester
    from govai.store.knowledge import KnowledgeStore

    folder = tmp_path / "guidance"
    folder.mkdir()
    write(folder / "grant.md", GUIDE_MD)
    write(folder / "grant.html", PAGE_HTML)
    write(folder / "guide.pdf", _pdf(_guide_pdf))
    _docx(folder / "leave.docx")
    write(folder / "hours.txt", "Opening hours\n\nWe open at 9am on weekdays.\n")
    write(folder / "gnomes.xml", ACT_XML)
    write(folder / "broken.pdf", b"%PDF-1.4 truncated")
    write(folder / "broken.docx", b"PK\x03\x04 not really a zip")
    report = Ingester(KnowledgeStore(db), get_embedder("minilm"), "test-readers-mixed", screen=None).run([folder])
    assert sorted(Path(path).name for path, _ in report.failures) == ["broken.docx", "broken.pdf"]
    assert all(Path(path).name in reason for path, reason in report.failures)
    assert report.files == 6
    assert report.added == 5 + 5  # five files of one document each, and the Act's five documents
