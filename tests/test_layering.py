"""The folder layout is the architecture: the layers below the pipeline never import it,
and the shared vocabulary imports nothing of GovAI's. Checked on the source, so an
import hidden in a function or a TYPE_CHECKING block counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "govai"
BELOW_THE_PIPELINE = ["providers", "retrieval", "policy", "guards", "pii", "answerability", "store", "ingest",
                      "embeddings", "text"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def python_files(package: str) -> list[Path]:
    base = SRC / package
    return sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]


@pytest.mark.parametrize("package", BELOW_THE_PIPELINE)
def test_layers_below_the_pipeline_do_not_import_it(package: str) -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(m for m in imported_modules(path)
                                           if m == "govai.pipeline" or m.startswith(("govai.pipeline.", "govai.runtime")))
        for path in python_files(package)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_domain_module_imports_nothing_of_govai() -> None:
    assert [m for m in imported_modules(SRC / "domain.py") if m.startswith("govai")] == []


def test_the_check_sees_an_import_hidden_in_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from govai.pipeline.context import Context\n", encoding="utf-8")
    assert "govai.pipeline.context" in imported_modules(sample)
