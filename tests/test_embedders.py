"""The fast local embedders: built offline from the shipped MiniLM, cached, and chosen per
knowledge base at ingest (``govai kb ingest --embedder``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from govai.cli.main import app
from govai.embeddings import get_embedder

runner = CliRunner()
TEXTS = [
    "You can claim Child Benefit if you are responsible for a child under 16.",
    "Child Benefit is paid to people who look after children under sixteen.",
    "The speed limit on motorways is 70 miles per hour for cars.",
]


@pytest.mark.parametrize("name", ["minilm-onnx-int8", "minilm-static"])
def test_a_fast_embedder_gives_unit_vectors_that_rank_a_paraphrase_first(name: str) -> None:
    vectors = get_embedder(name).embed(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape[0] == 3
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert get_embedder(name).embed([]).shape == (0, get_embedder(name).dim)


def test_the_int8_model_stays_close_to_the_shipped_minilm(embedder) -> None:  # type: ignore[no-untyped-def]
    fast, base = get_embedder("minilm-onnx-int8").embed(TEXTS), embedder.embed(TEXTS)
    assert (fast * base).sum(axis=1).min() > 0.98  # per-channel MatMul int8; per-tensor everything gave ~0.95


def test_the_built_models_are_cached_under_govai_home(govai_home: Path) -> None:
    get_embedder("minilm-onnx-int8")
    get_embedder("minilm-static")
    assert (govai_home / "models" / "minilm-onnx-int8" / "model-int8-matmul-pc.onnx").exists()
    assert (govai_home / "models" / "minilm-static" / "model.safetensors").exists()


def test_ingest_records_the_chosen_embedder_and_an_unknown_one_is_a_clear_error(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "page.md"
    page.write_text("# Child Benefit\n\nYou can claim Child Benefit for a child under 16.\n")
    result = runner.invoke(app, ["kb", "ingest", str(page), "--kb", "static-kb", "--embedder", "minilm-static"])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(app, ["kb", "list", "--json"]).stdout)
    assert {r["name"]: r["embedder"] for r in listed}["static-kb"] == "minilm-static"
    again = runner.invoke(app, ["kb", "ingest", str(page), "--kb", "static-kb"])  # keeps its embedder
    assert again.exit_code == 0, again.output
    bad = runner.invoke(app, ["kb", "ingest", str(page), "--kb", "other-kb", "--embedder", "nope"])
    assert bad.exit_code != 0 and "unknown embedder 'nope'" in bad.output and "Traceback" not in bad.output
