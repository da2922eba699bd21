"""``govai kb ingest --ray``: the same ingest, with reading, chunking and embedding run as Ray
tasks on a local Ray instance with 2 workers. Kept short (a few pages, sentence vectors left
lazy): most of its time is Ray starting and each worker loading MiniLM."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from govai.cli.main import app
from govai.embeddings import get_embedder
from govai.ingest.pipeline import Ingester
from govai.store.knowledge import KnowledgeStore

pytest.importorskip("ray")
runner = CliRunner()
PREFIX = "test-ingest-ray"


def test_a_ray_ingest_stores_what_a_local_one_does_and_is_resumable(db, tmp_path: Path) -> None:  # noqa: ANN001
    store = KnowledgeStore(db)
    for row in store.list():
        if row["name"].startswith(PREFIX):
            store.delete(row["name"])
    folder = tmp_path / "guidance"
    folder.mkdir()
    for n in range(12):
        (folder / f"page-{n}.md").write_text(
            f"# Page {n}\n\n## Fences\n\nA garden fence on page {n} may be {n % 5 + 1} metres high. Ask the council."
            f"\n\n## Hedges\n\nHedges must be cut by {n % 9 + 1} March.\n", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    embedder = get_embedder("minilm")

    result = runner.invoke(app, ["kb", "ingest", str(folder), "--kb", f"{PREFIX}-ray", "--embedder", "minilm",
                                 "--unit-vectors", "lazy", "--ray", "--ray-workers", "2", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["complete"] and report["added"] == 12 and report["files"] == 12
    assert [f["path"] for f in report["failures"]] == [str(folder / "broken.pdf")]

    local = Ingester(store, embedder, f"{PREFIX}-local", units="lazy").run([folder])
    assert local.chunks_written == report["chunks_embedded"] > 0

    def stored(kb: str) -> dict[tuple[str, str], np.ndarray]:
        rows = store.chunks(store.require(kb), with_vectors=True)
        return {(Path(c.source_id).name, c.text): c.embedding for c in rows}

    ray_chunks, local_chunks = stored(f"{PREFIX}-ray"), stored(f"{PREFIX}-local")
    assert ray_chunks.keys() == local_chunks.keys()
    # One model thread per worker against several here: only the last digits may differ.
    assert all(np.allclose(ray_chunks[k], local_chunks[k], atol=1e-4) for k in ray_chunks)

    # Keyed by content hash: running it again (here in this process) writes nothing twice.
    again = Ingester(store, embedder, f"{PREFIX}-ray", units="lazy").run([folder])
    assert again.unchanged == 12 and again.chunks_embedded == 0 and again.complete
    assert len(store.chunks(store.require(f"{PREFIX}-ray"))) == len(ray_chunks)


def test_ray_options_without_ray_are_refused(db, tmp_path: Path) -> None:  # noqa: ANN001
    page = tmp_path / "page.md"
    page.write_text("# Fences\n\nA fence may be 2 metres high.\n")
    result = runner.invoke(app, ["kb", "ingest", str(page), "--kb", f"{PREFIX}-x", "--ray-address", "auto"])
    assert result.exit_code != 0 and "go with --ray" in result.output and "Traceback" not in result.output
