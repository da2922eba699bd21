"""legislation.gov.uk section-per-URL text: one Document per section, cited by its URL.

The Act below is invented for these tests (the real corpus has the same layout)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govai.errors import IngestError
from govai.ingest.readers.legislation import LegislationTextReader, read_legislation_text
from govai.ingest.sources import reader_for

ACT = "https://www.legislation.gov.uk/ukpga/2099/7"

SAMPLE = f"""URL_Of_PAGE:
{ACT}/introduction/enacted
Garden Ponds (Safety) Act 2099
2099 CHAPTER 7
An Act to require fences around deep garden ponds.
[1st April 2099]
URL_Of_PAGE:
{ACT}/section/1/enacted
1
Duty to fence deep ponds
(1)
An occupier of land with a pond deeper than 60 centimetres must fence it.
(2)
A fence under subsection (1) must be—
(a)
at least 1.1 metres high, and
(b)
without gaps wider than 10 centimetres.
Commencement Information
I1
S. 1 in force at 1.6.2099
URL_Of_PAGE:
{ACT}/section/2
2
Penalty
(1)
An occupier who fails to comply with section 1 commits an offence.
Textual Amendments
F1 Words substituted by an invented order
URL_Of_PAGE:
{ACT}/schedule/1/paragraph/3
Exemptions
3
(1)
Ornamental ponds in public parks are exempt.
URL_Of_PAGE:
{ACT}/section/3
Marginal Citations
M1 an invented citation
"""


@pytest.fixture(scope="module")
def docs():
    return {d.source_id: d for d in read_legislation_text(SAMPLE, "/data/garden-ponds-act.txt")}


def test_one_document_per_section_cited_by_url_without_enacted(docs) -> None:
    assert list(docs) == [
        f"{ACT}/introduction",
        f"{ACT}/section/1",
        f"{ACT}/section/2",
        f"{ACT}/schedule/1/paragraph/3",
    ]
    # The link still goes to the page that was read.
    assert docs[f"{ACT}/section/1"].url == f"{ACT}/section/1/enacted"
    assert all(d.kind == "legislation" for d in docs.values())
    assert all(d.metadata["act"] == "Garden Ponds (Safety) Act 2099" for d in docs.values())


def test_section_titles_name_act_section_and_heading(docs) -> None:
    assert docs[f"{ACT}/section/1"].title == "Garden Ponds (Safety) Act 2099, section 1: Duty to fence deep ponds"
    assert docs[f"{ACT}/section/2"].title == "Garden Ponds (Safety) Act 2099, section 2: Penalty"
    assert docs[f"{ACT}/introduction"].title == "Garden Ponds (Safety) Act 2099: introductory text"
    assert docs[f"{ACT}/schedule/1/paragraph/3"].title == "Garden Ponds (Safety) Act 2099, schedule 1, paragraph 3"


def test_enumerators_are_joined_to_their_text(docs) -> None:
    section = docs[f"{ACT}/section/1"].sections[0]
    assert section.text.splitlines() == [
        "(1) An occupier of land with a pond deeper than 60 centimetres must fence it.",
        "(2) A fence under subsection (1) must be—",
        "(a) at least 1.1 metres high, and",
        "(b) without gaps wider than 10 centimetres.",
    ]
    assert section.headings == ["Duty to fence deep ponds"]
    assert section.anchor is None


def test_editorial_annotations_are_dropped(docs) -> None:
    s1 = docs[f"{ACT}/section/1"].sections[0].text
    s2 = docs[f"{ACT}/section/2"].sections[0].text
    assert "Commencement Information" not in s1 and "in force at" not in s1
    assert "Textual Amendments" not in s2 and "substituted" not in s2
    assert s2 == "(1) An occupier who fails to comply with section 1 commits an offence."


def test_a_block_with_only_annotations_yields_nothing(docs) -> None:
    assert f"{ACT}/section/3" not in docs


def test_schedule_paragraph_keeps_its_cross_heading(docs) -> None:
    para = docs[f"{ACT}/schedule/1/paragraph/3"].sections[0]
    assert para.headings == ["Exemptions"]
    assert para.text == "(1) Ornamental ponds in public parks are exempt."


def test_act_name_falls_back_to_the_file_name_without_an_introduction() -> None:
    text = f"URL_Of_PAGE:\n{ACT}/section/9\n9\nShort title\nThis Act may be cited as the Ponds Act.\n"
    (doc,) = read_legislation_text(text, "/data/garden-ponds-act-2099.txt")
    assert doc.title == "Garden Ponds Act 2099, section 9: Short title"


def test_text_without_markers_is_rejected() -> None:
    with pytest.raises(IngestError, match="URL_Of_PAGE"):
        list(read_legislation_text("Just some text.\nNo markers here.\n", "/data/notes.txt"))


def test_reader_registry_picks_the_legislation_reader_for_marked_txt(tmp_path: Path) -> None:
    path = tmp_path / "garden-ponds-act.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    reader = reader_for(path)
    assert isinstance(reader, LegislationTextReader)
    docs = list(reader.read(path))
    assert len(docs) == 4
    assert {d.origin for d in docs} == {str(path.resolve())}


def test_the_shared_legislation_corpus_parses_cleanly(shared: Path) -> None:
    """Every section of the real corpus: canonical ids, titled, enumerators joined, no annotations."""
    files = sorted((shared / "corpus" / "legislation").glob("*.txt"))
    if not files:
        pytest.skip("no legislation in the shared corpus")
    docs = [d for f in files for d in reader_for(f).read(f)]
    assert len(docs) > len(files)
    assert len({d.source_id for d in docs}) == len(docs)
    enumerator_alone = re.compile(r"^\((?:[0-9]+[A-Z]*|[a-z]{1,2}|[ivxl]+|[A-Z])\)$")
    for doc in docs:
        assert doc.source_id.startswith("https://www.legislation.gov.uk/ukpga/"), doc.source_id
        assert not doc.source_id.endswith("/enacted")
        act = doc.metadata["act"]
        assert doc.title.startswith(act), doc.source_id
        if "/section/" in doc.source_id:
            number = doc.source_id.rsplit("/", 1)[-1]
            assert doc.title.startswith(f"{act}, section {number}"), doc.source_id
        lines = doc.sections[0].text.splitlines()
        assert lines and all(line.strip() for line in lines)
        assert not any(enumerator_alone.match(line) for line in lines), doc.source_id
        assert not {"Commencement Information", "Textual Amendments", "Marginal Citations"} & set(lines)
