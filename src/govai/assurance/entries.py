"""What the older ``govai eval qa|pii|guard`` commands run: one suite task each, on a file,
through Inspect (not a second scorer), with the task's records turned back into their
prediction lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govai.assurance import tasks as T

if TYPE_CHECKING:
    from govai.runtime import Runtime


def adhoc_log_dir() -> Path:
    from govai.assurance.runs import home

    return home() / "evals" / "_adhoc"


def qa_predictions(runtime: Runtime, rows: list[dict[str, Any]], kb: str | None, *,
                   progress: Callable[[], None] | None = None,
                   log_dir: Path | None = None) -> tuple[list[dict[str, Any]], T.TaskResult]:
    """One prediction per row, in order: {id, answer, abstained, citations, retrieved, latency_ms}."""
    subject = T.Subject(runtime, kb)
    spec = T.answer_quality_task(subject, rows, progress=progress)
    [result] = T.run_tasks([spec], str(log_dir or adhoc_log_dir()), metadata={"govai_entry": "eval qa"})
    by_id = {r["id"]: r["pred"] for r in result.records}
    return [by_id[row["id"]] for row in rows], result


def guard_verdicts(rows: list[dict[str, Any]], kinds: list[str], threshold: float | None, *,
                   log_dir: Path | None = None) -> tuple[list[dict[str, Any]], T.TaskResult]:
    """Each row screened as its kind (prompt: ``text``, document: ``document``)."""
    from govai.guards.engine import Screen

    screens: dict[str, Screen] = {}

    def screen(kind: str) -> Screen:
        if kind not in screens:
            screens[kind] = Screen(kind, threshold=threshold)  # type: ignore[arg-type]
        return screens[kind]

    tagged = [{**row, "_kind": kind} for row, kind in zip(rows, kinds)]
    spec = T.guard_task("safety_prompts" if set(kinds) == {"prompt"} else "safety_injection"
                        if set(kinds) == {"document"} else "guard", tagged, screen,
                        field_of=lambda r: (r["_kind"], r["document" if r["_kind"] == "document" else "text"]),
                        positive_label="attack" if set(kinds) == {"prompt"} else "injected", dataset_key="file")
    [result] = T.run_tasks([spec], str(log_dir or adhoc_log_dir()), metadata={"govai_entry": "eval guard"})
    return result.records, result


def pii_predictions(rows: list[dict[str, Any]], detector: Any, *,
                    log_dir: Path | None = None) -> tuple[list[dict[str, Any]], T.TaskResult]:
    spec = T.pii_task(rows, detector)
    [result] = T.run_tasks([spec], str(log_dir or adhoc_log_dir()), metadata={"govai_entry": "eval pii"})
    return result.records, result
