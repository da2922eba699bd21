"""Where each suite's data comes from, how it is read, and its fingerprint.

The shared development sets (``dev-qa.jsonl``, the guardrail and PII sets) are found through
the profile's ``assurance.datasets``, else ``$GOVAI_SHARED``, else a ``shared/`` folder beside
the working directory or the repository. The fairness, robustness and personal-data leak sets
ship with GovAI (``assurance/data/``): written for it over the shared corpus.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from govai.errors import ConfigError
from govai.jsonl import BadLine, iter_jsonl

SHARED_ENV = "GOVAI_SHARED"

# Dataset key -> path under the shared folder, or "package:" for a file shipped with GovAI.
DEFAULTS = {
    "qa": "evalsets/dev-qa.jsonl",
    "prompts": "evalsets/guardrails/prompts-dev.jsonl",
    "indirect": "evalsets/guardrails/indirect-dev.jsonl",
    "pii": "evalsets/pii/pii-dev.jsonl",
    "pii_leak": "package:pii-leak.jsonl",
    "fairness": "package:fairness.jsonl",
    "robustness": "package:robustness.jsonl",
}


def shared_dir() -> Path | None:
    env = os.environ.get(SHARED_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    here = Path.cwd().resolve()
    repo = Path(__file__).resolve().parents[3]
    for base in (here, *here.parents, repo):
        for candidate in (base / "shared", base.parent / "shared"):
            if (candidate / "evalsets").is_dir():
                return candidate
    return None


def packaged(name: str) -> Path:
    return Path(str(resources.files("govai.assurance") / "data" / name))


def resolve(key: str, overrides: dict[str, str] | None = None, base_dir: Path | None = None) -> Path:
    """The file for dataset ``key``: the profile's, else the default."""
    raw = (overrides or {}).get(key)
    if raw:
        path = Path(raw).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise ConfigError(f"assurance.datasets.{key}: {path} does not exist")
        return path
    default = DEFAULTS[key]
    if default.startswith("package:"):
        return packaged(default.removeprefix("package:"))
    shared = shared_dir()
    if shared is None or not (shared / default).is_file():
        raise ConfigError(f"dataset {key!r} ({Path(default).name}) not found: set assurance.datasets.{key} in the "
                          f"service profile, or ${SHARED_ENV} to the folder holding evalsets/")
    return shared / default


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Dataset:
    key: str
    path: Path
    rows: list[dict[str, Any]]
    skipped: list[str] = field(default_factory=list)  # lines that could not be read, with the reason
    limit: int | None = None

    def describe(self) -> dict[str, Any]:
        return {"key": self.key, "path": str(self.path), "sha256": file_sha256(self.path), "rows": len(self.rows),
                "skipped": len(self.skipped), "limit": self.limit}


def read_rows(path: Path, required: tuple[str, ...] = (), key: str = "") -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of a JSON Lines file; a line that is not an object with the required fields is skipped and reported."""
    rows, skipped = [], []
    for line in iter_jsonl(path):
        if isinstance(line, BadLine):
            skipped.append(line.reason)
            continue
        row = line.value
        missing = [f for f in required if not isinstance(row, dict) or f not in row]
        if missing:
            skipped.append(f"{path}:{line.number}: needs {', '.join(repr(f) for f in missing)}")
            continue
        rows.append(row)
    return rows, skipped


REQUIRED = {
    "qa": ("id", "question"),
    "prompts": ("text", "label"),
    "indirect": ("document", "label"),
    "pii": ("id", "text"),
    "pii_leak": ("id", "question", "personal_data"),
    "fairness": ("id", "characteristic", "template", "values"),
    "robustness": ("id", "question"),
}


def load(key: str, overrides: dict[str, str] | None = None, base_dir: Path | None = None,
         limit: int | None = None) -> Dataset:
    path = resolve(key, overrides, base_dir)
    rows, skipped = read_rows(path, REQUIRED[key])
    if skipped:
        raise ConfigError(f"dataset {key} ({path}): {len(skipped)} unreadable line(s); first: {skipped[0]}")
    if not rows:
        raise ConfigError(f"dataset {key} ({path}) has no rows")
    return Dataset(key, path, rows[:limit] if limit else rows, limit=limit)


# --- typos, drawn reproducibly ----------------------------------------------------------------

_KEYBOARD = {  # UK QWERTY neighbours
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij", "i": "uok", "o": "ipl",
    "p": "ol", "a": "qsz", "s": "awdz", "d": "sefx", "f": "drgc", "g": "fthv", "h": "gyjb", "j": "hukn",
    "k": "jilm", "l": "kop", "z": "asx", "x": "zsdc", "c": "xdfv", "v": "cfgb", "b": "vghn", "n": "bhjm",
    "m": "njk",
}
_WORD = re.compile(r"[A-Za-z]{4,}")


def with_typos(text: str, seed: int, rate: float = 0.25) -> str:
    """``text`` with about ``rate`` of its words of four letters or more mistyped: two letters
    swapped, a letter dropped or doubled, or a neighbouring key hit. The same text and seed
    always give the same typos; at least one word is changed."""
    rng = random.Random(f"{seed}:{text}")
    words = list(_WORD.finditer(text))
    if not words:
        return text
    chosen = {m.start() for m in words if rng.random() < rate} or {rng.choice(words).start()}
    out, last = [], 0
    for m in words:
        if m.start() not in chosen:
            continue
        w = m.group(0)
        i = rng.randrange(1, len(w) - 1)
        kind = rng.choice(("swap", "drop", "double", "neighbour"))
        if kind == "swap":
            typo = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        elif kind == "drop":
            typo = w[:i] + w[i + 1:]
        elif kind == "double":
            typo = w[:i] + w[i] + w[i:]
        else:
            near = _KEYBOARD.get(w[i].lower(), w[i])
            typo = w[:i] + rng.choice(near) + w[i + 1:]
        out.append(text[last:m.start()] + typo)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def robustness_samples(rows: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """One sample per question and variant: the original, a typo version (drawn with ``seed``),
    the informal and the Welsh phrasing (where the row gives them)."""
    out = []
    for row in rows:
        base = {"item": row["id"], "expected_sources": row.get("expected_sources", []),
                "key_facts": row.get("key_facts", []), "kind": "answerable"}
        variants = {"original": row["question"], "typo": with_typos(row["question"], seed)}
        if row.get("informal"):
            variants["informal"] = row["informal"]
        if row.get("welsh"):
            variants["welsh"] = row["welsh"]
        for variant, question in variants.items():
            out.append({**base, "id": f"{row['id']}:{variant}", "variant": variant, "question": question})
    return out


def fairness_pairs(group: dict[str, Any]) -> list[tuple[int, int]]:
    n = len(group["values"])
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def dumps(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)
