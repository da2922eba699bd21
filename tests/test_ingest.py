"""GOV.UK Content API reader and incremental ingest into the real store.

Pages are invented for these tests and written to tmp_path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govai.errors import IngestError
from govai.ingest.chunking import chunk_document
from govai.ingest.document import Document, Skipped
from govai.ingest.pipeline import Ingester, IngestReport
from govai.ingest.readers.govuk import GovukReader
from govai.ingest.sources import reader_for
from govai.store.knowledge import KnowledgeStore

PREFIX = "test-ingest"


# ---------------------------------------------------------------- GOV.UK reader


def item(base_path: str, title: str, body: str, **extra) -> dict:
    return {"base_path": base_path, "title": title, "body_markdown": body, **extra}


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_jsonl_items_with_body_markdown(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "pages.jsonl",
        [
            item("/pond-grant", "Pond safety grant", "Intro.\n\n## Who can apply\n\nAny householder with a pond.",
                 description="Money towards a pond fence.", document_type="answer",
                 url="https://www.gov.uk/pond-grant"),
            item("/register-hives", "Register your beehives", "Register each hive within 28 days."),
        ],
    )
    assert isinstance(reader_for(path), GovukReader)
    docs = list(reader_for(path).read(path))
    assert [d.source_id for d in docs] == ["/pond-grant", "/register-hives"]
    grant = docs[0]
    assert grant.kind == "govuk"
    assert grant.url == "https://www.gov.uk/pond-grant"
    assert docs[1].url == "https://www.gov.uk/register-hives"  # built from the base path
    assert grant.origin == str(path.resolve())
    assert grant.metadata == {"document_type": "answer"}
    # The description comes first: it often answers "what is X".
    assert [(s.headings, s.anchor, s.text) for s in grant.sections] == [
        ([], None, "Money towards a pond fence."),
        ([], None, "Intro."),
        (["Who can apply"], "who-can-apply", "Any householder with a pond."),
    ]


def test_single_content_api_item_with_html_body(tmp_path: Path) -> None:
    path = tmp_path / "bonfires.json"
    path.write_text(json.dumps({
        "base_path": "/garden-bonfires",
        "title": "Garden bonfires",
        "details": {"body": "<p>You can have a bonfire.</p><h2 id='smoke-complaints'>Smoke complaints</h2>"
                            "<p>Your council can act if smoke is a nuisance.</p>"},
    }))
    (doc,) = reader_for(path).read(path)
    assert doc.source_id == "/garden-bonfires"
    assert [(s.headings, s.anchor, s.text) for s in doc.sections] == [
        ([], None, "You can have a bonfire."),
        (["Smoke complaints"], "smoke-complaints", "Your council can act if smoke is a nuisance."),
    ]


def test_single_content_api_item_with_parts(tmp_path: Path) -> None:
    path = tmp_path / "guide.json"
    path.write_text(json.dumps({
        "base_path": "/allotments",
        "title": "Allotments",
        "details": {"parts": [
            {"title": "Overview", "slug": "overview", "body": "<p>Councils provide allotments.</p>"},
            {"title": "Waiting lists", "slug": "waiting-lists",
             "body": "<p>Ask to join the list.</p><h3>How long</h3><p>It can take two years.</p>"},
        ]},
    }))
    (doc,) = reader_for(path).read(path)
    assert [(s.headings, s.anchor) for s in doc.sections] == [
        (["Overview"], "overview"),
        (["Waiting lists"], "waiting-lists"),
        (["Waiting lists", "How long"], "how-long"),
    ]
    assert doc.sections[2].text == "It can take two years."
    # Each part after the first is its own page on GOV.UK; the first is the guide's address.
    assert [s.link for s in doc.sections] == [
        None,
        "https://www.gov.uk/allotments/waiting-lists",
        "https://www.gov.uk/allotments/waiting-lists#how-long",
    ]


def test_a_markdown_guide_links_each_part_to_its_own_page(tmp_path: Path) -> None:
    # Flattened guides mark a part's title with a trailing space; headings inside a part have none.
    body = ("## Overview \n\nCouncils provide allotments.\n\n## Who can rent\n\nAnyone over 18.\n\n"
            "## Waiting lists \n\nAsk to join the list.\n\n## How long\n\nIt can take two years.\n\n"
            "## Rent \n\nRent is set by the council.")
    path = write_jsonl(tmp_path / "guides.jsonl", [
        item("/allotments", "Allotments", body, document_type="guide", description="Growing your own food."),
        item("/pond-grant", "Pond safety grant", "## Who can apply \n\nAny householder.", document_type="answer"),
        item("/sheds", "Garden sheds", "## Size\n\nUp to 2.5 metres.\n\n## Where\n\nNot in front.",
             document_type="guide"),
    ])
    guide, answer, unmarked = reader_for(path).read(path)
    assert [(s.anchor, s.link) for s in guide.sections] == [
        (None, None),  # the description
        ("overview", None),  # the first part is the guide's own page...
        ("who-can-rent", None),  # ...and so is everything in it
        ("waiting-lists", "https://www.gov.uk/allotments/waiting-lists"),
        ("how-long", "https://www.gov.uk/allotments/waiting-lists#how-long"),
        ("rent", "https://www.gov.uk/allotments/rent"),
    ]
    assert [s.link for s in answer.sections] == [None]  # not a guide: one page, heading anchors
    assert [s.link for s in unmarked.sections] == [None, None]  # parts unknown: the page plus anchor


def test_a_guide_parts_citation_links_to_its_page(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    from govai.retrieval.retriever import Retriever

    kb = f"{PREFIX}-guide"
    body = "## Overview \n\nCouncils provide allotments.\n\n## Waiting lists \n\nWaiting lists can take two years."
    path = write_jsonl(tmp_path / "guide.jsonl", [item("/allotments", "Allotments", body, document_type="guide")])
    ingest(store, embedder, kb, path)
    found = Retriever(store, embedder).search(kb, "How long is the allotment waiting list?").passages
    part = next(p for p in found if "two years" in p.text)
    assert part.source_id == "/allotments#waiting-lists"  # the id stays the page plus anchor
    assert part.url == "https://www.gov.uk/allotments/waiting-lists"
    first = next(p for p in found if "Councils provide" in p.text)
    assert first.url == "https://www.gov.uk/allotments#overview"


def test_a_bad_json_line_loses_only_itself_and_is_reported_in_full(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    good = [json.dumps(item(f"/page-{n}", f"Page {n}", "Text.")) for n in range(3)]
    cut_short = '{"base_path": "/x", "title": "X'
    path.write_text(f"{good[0]}\n\n{{this is not json\n{good[1]}\n{cut_short}\n{good[2]}\n")
    read = list(reader_for(path).read(path))
    assert [d.source_id for d in read if isinstance(d, Document)] == ["/page-0", "/page-1", "/page-2"]
    assert [s.reason for s in read if isinstance(s, Skipped)] == [
        f"{path}:3: not valid JSON (Expecting property name enclosed in double quotes at column 2); "
        "each line must be one JSON object",
        f"{path}:5: not valid JSON (Unterminated string starting at column 30); each line must be one JSON object",
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ({"title": "no base path"}, "not a GOV.UK content item (no base_path/title)"),
        (["a", "list"], "not a GOV.UK content item (no base_path/title)"),
        ({"base_path": 7, "title": "T"}, 'base_path must be a path such as "/child-benefit", not a number'),
        ({"base_path": "/t", "title": ""}, "title must be non-empty text, not blank"),
        ({"base_path": "/t", "title": "T", "body_markdown": ["x"]}, "body_markdown must be text, not a list"),
        ({"base_path": "/t", "title": "T", "details": {"parts": [{"body": {}}]}},
         "details.parts item 1: body must be text, not an object"),
    ],
)
def test_a_json_line_that_is_not_an_item_is_reported(tmp_path: Path, line: object, reason: str) -> None:
    path = write_jsonl(tmp_path / "odd.jsonl", [item("/a", "A", "Text."), line, item("/b", "B", "Text.")])
    read = list(reader_for(path).read(path))
    assert [d.source_id for d in read if isinstance(d, Document)] == ["/a", "/b"]
    assert [s.reason for s in read if isinstance(s, Skipped)] == [f"{path}:2: {reason}"]


def test_broken_single_json_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "item.json"
    path.write_text('{"base_path": "/x", "title": ')
    with pytest.raises(IngestError, match=r"item\.json: not valid JSON"):
        list(reader_for(path).read(path))


def test_chunks_keep_anchor_and_headings_and_embed_the_title() -> None:
    from govai.ingest.readers.govuk import document_from_item

    doc = document_from_item(item("/p", "Pond grant", "## How to apply\n\nApply online."), "origin")
    (chunk,) = chunk_document(doc)
    assert (chunk.anchor, chunk.headings, chunk.text) == ("how-to-apply", ["How to apply"], "Apply online.")
    assert chunk.embed_text(doc.title) == "Pond grant > How to apply\nApply online."


def test_long_sections_are_split_within_the_word_limit() -> None:
    from govai.ingest.readers.govuk import document_from_item

    paragraphs = "\n\n".join(f"Paragraph {i} " + "about pond fencing rules " * 10 for i in range(12))
    doc = document_from_item(item("/long", "Long page", "## Rules\n\n" + paragraphs), "origin")
    chunks = chunk_document(doc)
    assert len(chunks) > 1
    assert all(len(c.text.split()) <= 170 for c in chunks)
    assert all(c.anchor == "rules" for c in chunks)
    assert [c.ord for c in chunks] == list(range(len(chunks)))


def test_the_shared_govuk_corpus_reads_as_clean_text(shared: Path) -> None:
    """Every page of the real export: base-path ids, no markdown links, table rules or heading marks left."""
    path = shared / "corpus" / "govuk" / "pages.jsonl"
    if not path.exists():
        pytest.skip("no GOV.UK pages in the shared corpus")
    docs = list(reader_for(path).read(path))
    assert len(docs) > 10
    assert len({d.source_id for d in docs}) == len(docs)
    table_rule = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|")
    for doc in docs:
        assert doc.source_id.startswith("/") and not doc.source_id.endswith("/"), doc.source_id
        assert doc.url == "https://www.gov.uk" + doc.source_id
        assert doc.sections, doc.source_id
        for section in doc.sections:
            assert section.anchor is None or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", section.anchor)
            for line in section.text.splitlines():
                assert "](" not in line and not line.startswith("#"), (doc.source_id, section.anchor)
                assert not table_rule.match(line), (doc.source_id, section.anchor)


# ---------------------------------------------------------------- incremental ingest


@pytest.fixture(scope="module")
def store(db) -> KnowledgeStore:
    store = KnowledgeStore(db)
    for row in store.list():
        if row["name"].startswith(PREFIX):
            store.delete(row["name"])
    return store


def ingest(store: KnowledgeStore, embedder, kb: str, *sources: Path) -> IngestReport:
    return Ingester(store, embedder, kb).run(list(sources))


def source_ids(store: KnowledgeStore, kb: str) -> set[str]:
    return set(store.document_hashes(store.require(kb)))


def markdown(folder: Path, name: str, title: str, sections: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(f"## {h}\n\n{t}" for h, t in sections.items())
    path = folder / name
    path.write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
    return path


POND = {
    "Who can apply": "Any householder with a pond deeper than 60 centimetres can apply.",
    "What you get": "The grant pays up to £250 towards a fence.",
    "How to apply": "Apply to your local council with a photo of the pond.",
}
HIVES = {"Registering": "Register each beehive within 28 days of getting it.", "Cost": "Registration is free."}
SMOKE = {"Complaints": "Your council can act if bonfire smoke is a statutory nuisance."}


def test_incremental_folder_ingest(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    kb = f"{PREFIX}-folder"
    folder = tmp_path / "guidance"
    pond = markdown(folder, "pond-grant.md", "Pond safety grant", POND)
    markdown(folder, "hives.md", "Register beehives", HIVES)
    smoke = markdown(folder, "smoke.md", "Bonfire smoke", SMOKE)

    # First ingest embeds every chunk.
    first = ingest(store, embedder, kb, folder)
    assert (first.files, first.added, first.updated, first.unchanged, first.removed) == (3, 3, 0, 0, 0)
    assert first.chunks_embedded == 6 and first.chunks_reused == 0
    assert first.failures == []
    assert source_ids(store, kb) == {str(p.resolve()) for p in folder.iterdir()}

    # Unchanged: nothing is embedded or rewritten.
    chunk_ids = {c.id for c in store.chunks(store.require(kb))}
    again = ingest(store, embedder, kb, folder)
    assert (again.added, again.updated, again.unchanged, again.removed) == (0, 0, 3, 0)
    assert again.chunks_embedded == 0 and again.chunks_written == 0
    assert {c.id for c in store.chunks(store.require(kb))} == chunk_ids

    # Edit one section of one page: only that chunk is embedded; its siblings reuse their vectors.
    markdown(folder, "pond-grant.md", "Pond safety grant", {**POND, "What you get": "The grant pays up to £300."})
    edited = ingest(store, embedder, kb, folder)
    assert (edited.added, edited.updated, edited.unchanged, edited.removed) == (0, 1, 2, 0)
    assert edited.chunks_embedded == 1 and edited.chunks_reused == 2
    texts = [c.text for c in store.chunks(store.require(kb)) if c.source_id == str(pond.resolve())]
    assert "The grant pays up to £300." in texts and "The grant pays up to £250 towards a fence." not in texts

    # Delete a file from the folder: its document goes.
    smoke.unlink()
    removed = ingest(store, embedder, kb, folder)
    assert removed.removed == 1
    assert str(smoke.resolve()) not in source_ids(store, kb)
    assert len(source_ids(store, kb)) == 2


def test_a_new_sentence_split_re_embeds_what_was_stored_under_the_old_one(
    store: KnowledgeStore, embedder, tmp_path: Path, monkeypatch
) -> None:
    # Stored sentence vectors belong to one way of splitting a passage; after the split
    # changes, an unchanged corpus must still be re-read and re-embedded.
    import govai.ingest.chunking
    import govai.ingest.document

    kb = f"{PREFIX}-split"
    folder = tmp_path / "split"
    markdown(folder, "hives.md", "Register beehives", HIVES)
    assert ingest(store, embedder, kb, folder).chunks_embedded == 2
    assert ingest(store, embedder, kb, folder).unchanged == 1
    for module in (govai.ingest.chunking, govai.ingest.document):
        monkeypatch.setattr(module, "SPLIT_VERSION", module.SPLIT_VERSION + 1)
    again = ingest(store, embedder, kb, folder)
    assert (again.updated, again.unchanged, again.chunks_embedded, again.chunks_reused) == (1, 0, 2, 0)


def test_removing_an_item_from_jsonl_removes_its_document(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    kb = f"{PREFIX}-jsonl"
    pages = [
        item("/pond-grant", "Pond safety grant", "The grant pays up to £250 towards a fence."),
        item("/register-hives", "Register beehives", "Register each hive within 28 days."),
        item("/bonfire-smoke", "Bonfire smoke", "Councils can act on smoke nuisance."),
    ]
    path = write_jsonl(tmp_path / "pages.jsonl", pages)
    first = ingest(store, embedder, kb, path)
    assert first.added == 3 and first.chunks_embedded == 3
    assert source_ids(store, kb) == {"/pond-grant", "/register-hives", "/bonfire-smoke"}

    write_jsonl(path, [pages[0], pages[2]])
    second = ingest(store, embedder, kb, path)
    assert (second.unchanged, second.removed, second.chunks_embedded) == (2, 1, 0)
    assert source_ids(store, kb) == {"/pond-grant", "/bonfire-smoke"}


def test_a_bad_file_is_skipped_and_the_rest_lands(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    kb = f"{PREFIX}-bad"
    folder = tmp_path / "mixed"
    markdown(folder, "hives.md", "Register beehives", HIVES)
    write_jsonl(folder / "pages.jsonl", [item("/pond-grant", "Pond safety grant", "Up to £250 for a fence.")])
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf \x00\x01\x02")
    (folder / "tool.exe").write_bytes(b"MZ\x90\x00\x03\x00")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 truncated zip")

    report = ingest(store, embedder, kb, folder)
    failed = {Path(p).name: reason for p, reason in report.failures}
    assert set(failed) == {"scan.pdf", "tool.exe", "notes.docx"}
    assert "no ingest source reads .exe" in failed["tool.exe"]
    assert all(reason for reason in failed.values())
    assert report.files == 2 and report.added == 2
    assert source_ids(store, kb) == {str((folder / "hives.md").resolve()), "/pond-grant"}


def test_a_bad_line_keeps_the_good_lines_and_every_stored_document(store: KnowledgeStore, embedder,
                                                                   tmp_path: Path) -> None:
    kb = f"{PREFIX}-keep"
    path = write_jsonl(tmp_path / "pages.jsonl", [
        item("/pond-grant", "Pond safety grant", "Up to £250 for a fence."),
        item("/register-hives", "Register beehives", "Register each hive within 28 days."),
    ])
    ingest(store, embedder, kb, path)

    # A bad upload: the first line is changed, the second is cut short.
    path.write_text(json.dumps(item("/pond-grant", "Pond safety grant", "Changed text.")) + '\n{"base_path": "/reg\n')
    report = ingest(store, embedder, kb, path)
    assert report.failures == [(str(path), f"{path}:2: not valid JSON (Unterminated string starting at column 15); "
                                           "each line must be one JSON object")]
    # The good line lands; the document the bad line held before is kept, not removed.
    assert (report.files, report.updated, report.removed, report.chunks_embedded) == (1, 1, 0, 1)
    assert source_ids(store, kb) == {"/pond-grant", "/register-hives"}
    assert {c.text for c in store.chunks(store.require(kb))} == {"Changed text.", "Register each hive within 28 days."}


def test_a_file_whose_every_line_is_bad_keeps_its_documents(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    kb = f"{PREFIX}-allbad"
    path = write_jsonl(tmp_path / "pages.jsonl", [item("/pond-grant", "Pond safety grant", "Up to £250 for a fence.")])
    ingest(store, embedder, kb, path)
    path.write_text("{not json\n[1, 2]\n")
    report = ingest(store, embedder, kb, path)
    assert [reason.split(": ", 1)[0] for _, reason in report.failures] == [f"{path}:1", f"{path}:2"]
    assert (report.files, report.removed) == (0, 0)
    assert source_ids(store, kb) == {"/pond-grant"}


def test_a_missing_path_is_reported(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    kb = f"{PREFIX}-missing"
    good = markdown(tmp_path / "ok", "hives.md", "Register beehives", HIVES)
    report = ingest(store, embedder, kb, tmp_path / "no-such-folder", good)
    assert report.failures == [(str(tmp_path / "no-such-folder"), "no such file or directory")]
    assert report.added == 1


def test_reader_warnings_reach_the_report(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    kb = f"{PREFIX}-warn"
    path = tmp_path / "fees.md"
    path.write_bytes(("# Fees\n\nPay the permit fee before you start work. " * 3).encode() + b"\x81\x8d\xff" * 40)
    report = ingest(store, embedder, kb, path)
    assert report.added == 1
    assert [p for p, _ in report.warnings] == [str(path)]
    assert "replaced" in report.warnings[0][1]


def test_a_deleted_folder_removes_its_documents(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    kb = f"{PREFIX}-gone"
    folder = tmp_path / "old"
    markdown(folder, "hives.md", "Register beehives", HIVES)
    keep = markdown(tmp_path / "other", "smoke.md", "Bonfire smoke", SMOKE)
    ingest(store, embedder, kb, folder, keep)
    (folder / "hives.md").unlink()
    folder.rmdir()
    report = ingest(store, embedder, kb, folder, keep)
    assert report.removed == 1
    assert source_ids(store, kb) == {str(keep.resolve())}


def test_same_text_in_a_new_document_reuses_vectors(store: KnowledgeStore, embedder, tmp_path: Path) -> None:
    kb = f"{PREFIX}-reuse"
    first = markdown(tmp_path / "a", "hives.md", "Register beehives", HIVES)
    ingest(store, embedder, kb, first)
    copy = markdown(tmp_path / "b", "hives.md", "Register beehives", HIVES)  # same title and text, new file
    report = ingest(store, embedder, kb, first, copy)
    assert report.added == 1
    assert report.chunks_embedded == 0 and report.chunks_reused == 2


def test_a_duplicate_source_id_keeps_the_later_copy_on_every_run(store: KnowledgeStore, embedder,
                                                                 tmp_path: Path) -> None:
    """The same page in two files (say a JSON item and a JSONL export): the later file wins, every time."""
    kb = f"{PREFIX}-dup"
    folder = tmp_path / "dup"
    folder.mkdir()
    write_jsonl(folder / "a-export.jsonl", [item("/pond-grant", "Pond safety grant", "Older text: up to £200.")])
    write_jsonl(folder / "b-export.jsonl", [item("/pond-grant", "Pond safety grant", "Newer text: up to £250.")])
    for _ in range(3):
        report = ingest(store, embedder, kb, folder)
        assert report.failures == []
        assert [c.text for c in store.chunks(store.require(kb))] == ["Newer text: up to £250."]
        assert report.removed == 0
