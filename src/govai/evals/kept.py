"""Training items kept between runs. Retrieving and measuring the training questions is the slow
part of every trainer; what it produces is reused only under the same key: the same questions, the
same knowledge base revision and the same code that retrieves and reads them."""

from __future__ import annotations

import hashlib
import json
import pickle
from importlib import resources
from pathlib import Path
from typing import Any

# The code every training item is retrieved and read through (relative to the govai package).
RETRIEVAL_SOURCES = ("retrieval/rerank.py", "retrieval/pages.py", "retrieval/evidence.py", "retrieval/lexical.py",
                     "retrieval/units.py", "text/parts.py", "text/units.py", "text/sentences.py", "text/stopwords.py")


def fingerprint(kb: Any, rows: list[dict], sources: tuple[str, ...] = RETRIEVAL_SOURCES, settings: str = "") -> str:
    """What items are built from: the questions, the knowledge base's revision, ``sources`` and
    the trainer's own ``settings``."""
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode())
    digest.update(f"{kb.name}|{kb.id}|{kb.revision}|{kb.n_chunks}|{settings}".encode())
    root = Path(str(resources.files("govai")))
    for name in sources:
        path = root / name
        digest.update(path.read_bytes() if path.exists() else name.encode())
    return digest.hexdigest()


def load(path: Path | None, key: str) -> Any | None:
    """What was kept in ``path`` under ``key``; None when nothing was, or under another key, or the
    file is not one of ours."""
    if path is None or not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            saved = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None
    if not isinstance(saved, dict) or saved.get("key") != key:
        return None
    return saved.get("value")


def save(path: Path, key: str, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        pickle.dump({"key": key, "value": value}, handle)
