"""Reading JSON Lines the one way: every bad line is a clear error naming file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from govai.errors import GovAIError


def read_jsonl(path: Path, error: type[GovAIError] = GovAIError) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed value) for every non-blank line of ``path``.

    Undecodable bytes become U+FFFD rather than aborting the file.
    """
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise error(
                        f"{path}:{number}: not valid JSON ({exc.msg}); each line must be one JSON object"
                    ) from None
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror or exc}") from None
