"""Evaluation runs: which service, which suites, run through Inspect, stored per service and
configuration fingerprint with everything needed to reproduce them.

A run's Inspect logs, its ``run.json`` and its report live in
``$GOVAI_HOME/evals/SERVICE/RUN_ID/`` (``inspect view --log-dir`` that folder); its figures and
manifest are also a row of ``evaluation_run``, which the gate and the report read.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psycopg.types.json import Jsonb

from govai.assurance import datasets as ds
from govai.assurance import figures, inventory
from govai.assurance.schema import SUITES
from govai.errors import ConfigError, GovAIError

if TYPE_CHECKING:
    from govai.profiles import ServiceProfile
    from govai.runtime import Runtime
    from govai.store.database import Database

SERVICES_ENV = "GOVAI_SERVICES_DIR"
EMBEDDING_CACHE_ENV = "GOVAI_EVAL_EMBEDDING_CACHE"
WARM_UP_QUESTION = "How do I claim Child Benefit?"

# Suite -> (task, dataset keys), in the order they run.
SUITE_TASKS: dict[str, list[tuple[str, list[str]]]] = {
    "answer_quality": [("answer_quality", ["qa"])],
    "groundedness": [("groundedness", ["qa"])],
    "safety": [("safety_prompts", ["prompts"]), ("safety_injection", ["indirect"]), ("safety_refusals", ["qa"]),
               ("safety_pii", ["pii"]), ("safety_leak", ["pii_leak"])],
    "fairness": [("fairness", ["fairness"])],
    "robustness": [("robustness", ["robustness"])],
}


# --- which service ------------------------------------------------------------------------------

def load_service(name: str, services_dir: Path | None = None) -> ServiceProfile:
    """A service by profile file, preset name, or the ``name:`` of a profile in the services
    folder (``--services``, else ``$GOVAI_SERVICES_DIR``, else ``./services``)."""
    from govai.profiles import load_profile, preset_names

    path = Path(name)
    if path.suffix in {".yaml", ".yml"} or path.is_file() or name in preset_names():
        return load_profile(name)
    folder = services_dir or Path(os.environ.get(SERVICES_ENV) or "services")
    if folder.is_dir():
        for file in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            profile = load_profile(file)
            if profile.name == name:
                return profile
    raise ConfigError(f"no service {name!r}: give a profile file, a preset ({', '.join(preset_names())}) or the "
                      f"name of a profile in {folder} (--services)")


def profile_dir(profile: ServiceProfile) -> Path | None:
    origin = Path(profile.origin)
    return origin.resolve().parent if origin.is_file() else None


def home() -> Path:
    from govai.config import get_settings

    return get_settings().home


# --- storage --------------------------------------------------------------------------------------

@dataclass
class StoredRun:
    id: str
    service: str
    version: str
    started_at: datetime
    finished_at: datetime
    status: str
    suites: list[str]
    manifest: dict[str, Any]
    results: dict[str, Any]
    log_dir: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "service": self.service, "version": self.version,
                "started_at": self.started_at.isoformat(), "finished_at": self.finished_at.isoformat(),
                "status": self.status, "suites": self.suites, "manifest": self.manifest, "results": self.results,
                "log_dir": self.log_dir}


_COLUMNS = "id, service, version, started_at, finished_at, status, suites, manifest, results, log_dir"


def save(db: Database, run: StoredRun) -> None:
    db.conn.execute(
        f"INSERT INTO evaluation_run ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (run.id, run.service, run.version, run.started_at, run.finished_at, run.status, run.suites,
         Jsonb(run.manifest), Jsonb(run.results), run.log_dir))


def runs(db: Database, service: str, limit: int = 20) -> list[StoredRun]:
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM evaluation_run WHERE service = %s"
                           " ORDER BY finished_at DESC LIMIT %s", (service, limit)).fetchall()
    return [StoredRun(*r) for r in rows]


def get(db: Database, run_id: str) -> StoredRun:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM evaluation_run WHERE id = %s", (run_id,)).fetchone()
    if row is None:
        raise ConfigError(f"no evaluation run {run_id!r}")
    return StoredRun(*row)


def previous(db: Database, run: StoredRun) -> StoredRun | None:
    """The run of the same service before ``run`` with at least one suite in common."""
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM evaluation_run WHERE service = %s AND finished_at < %s"
                           " AND suites && %s ORDER BY finished_at DESC LIMIT 1",
                           (run.service, run.finished_at, run.suites)).fetchall()
    return StoredRun(*rows[0]) if rows else None


# --- running --------------------------------------------------------------------------------------

def _judge(runtime: Runtime, name: str | None) -> Any:
    if not name:
        return None
    from govai.providers.registry import build_provider

    provider = build_provider(runtime.services.catalogue, name)
    if not callable(getattr(provider, "chat", None)):
        raise ConfigError(f"judge {name!r} cannot chat: name an OpenAI-compatible, OpenAI, Azure or llama.cpp provider")
    return provider


def evaluate(
    profile: ServiceProfile,
    suites: list[str] | None = None,
    *,
    kb: str | None = None,
    limit: int | None = None,
    judge: str | None = None,
    db: Database | None = None,
    runtime: Runtime | None = None,
    progress: Callable[[str, int], Callable[[], None] | None] | None = None,
    write_report: bool = True,
    embedding_cache: bool = True,
    cache_dir: Path | None = None,
) -> StoredRun:
    """Run ``suites`` (default: all) on the service, store the run and write its report.

    ``embedding_cache``: keep the vectors of the texts this run embeds (its questions, and passage
    sentences not stored at ingest) for the next run, and read those earlier runs kept
    (``assurance/embedcache.py``; ``GOVAI_EVAL_EMBEDDING_CACHE=0`` turns it off), in ``cache_dir``
    (default ``$GOVAI_HOME/evals``)."""
    from govai.assurance import tasks as T
    from govai.runtime import Runtime

    suites = list(suites or SUITES)
    unknown = [s for s in suites if s not in SUITE_TASKS]
    if unknown:
        raise ConfigError(f"unknown suite(s) {', '.join(unknown)} (suites: {', '.join(SUITES)})")
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    runtime = runtime or Runtime(profile)
    cache = None
    if embedding_cache and os.environ.get(EMBEDDING_CACHE_ENV, "1").strip().lower() not in ("0", "false", "no", "off"):
        from govai.assurance import embedcache

        cache = embedcache.install(runtime, inventory.embedder_model(runtime.services.settings.embedder),
                                   cache_dir or home() / "evals")
    runtime.check(kb)
    db = db or runtime.services.db
    base_dir = profile_dir(profile)
    cfg = profile.assurance
    judge_name = judge or cfg.judge
    subject = T.Subject(runtime, kb, _judge(runtime, judge_name) if "groundedness" in suites else None)

    keys = sorted({k for s in suites for _, ks in SUITE_TASKS[s] for k in ks})
    data = {k: ds.load(k, cfg.datasets, base_dir, limit) for k in keys}
    t_data = time.perf_counter()
    assets = inventory.build(profile, runtime.knowledge, runtime.services.settings.embedder, kb=kb, base_dir=base_dir)
    t_inventory = time.perf_counter()

    # Warm-up, outside every figure: load the embedder, the retrieval index, the detectors.
    runtime.ask(WARM_UP_QUESTION, kb=kb)
    subject.prompt_screen().check(WARM_UP_QUESTION)
    subject.document_screen().check(WARM_UP_QUESTION)
    if "safety" in suites:
        subject.detector().detect("Warm up: John Smith, AB 12 34 56 C.")
    t_warm = time.perf_counter()

    builders: dict[str, Callable[..., T.TaskSpec]] = {
        "answer_quality": lambda **kw: T.answer_quality_task(subject, data["qa"].rows, **kw),
        "groundedness": lambda **kw: T.groundedness_task(subject, data["qa"].rows, **kw),
        "safety_prompts": lambda **kw: T.prompts_task(subject, data["prompts"].rows, **kw),
        "safety_injection": lambda **kw: T.injection_task(subject, data["indirect"].rows, **kw),
        "safety_refusals": lambda **kw: T.refusals_task(subject, data["qa"].rows, **kw),
        "safety_pii": lambda **kw: T.pii_task(data["pii"].rows, subject.detector(), **kw),
        "safety_leak": lambda **kw: T.leak_task(subject, data["pii_leak"].rows, **kw),
        "fairness": lambda **kw: T.fairness_task(subject, data["fairness"].rows, **kw),
        "robustness": lambda **kw: T.robustness_task(subject, data["robustness"].rows, cfg.seed, **kw),
    }
    specs = []
    for suite in suites:
        for task, _ in SUITE_TASKS[suite]:
            spec = builders[task]()
            if progress is not None:
                tick = progress(task, spec.size)
                if tick is not None:
                    T._PROGRESS[spec.token] = tick
            specs.append(spec)

    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    log_dir = home() / "evals" / _safe(profile.name) / run_id
    log_dir.mkdir(parents=True, exist_ok=True)
    seeds = {"typo": cfg.seed}
    manifest: dict[str, Any] = {
        "run_id": run_id, "service": profile.name, "profile": profile.origin, "suites": suites,
        "fingerprint": assets["fingerprint"], "datasets": {k: d.describe() for k, d in data.items()},
        "models": assets["models"], "prompts": assets["prompts"], "knowledge_base": assets["knowledge_bases"][0],
        "code": assets["code"], "seeds": seeds, "limit": limit, "kb": kb or profile.kb,
        "judge": judge_name, "phase": cfg.phase,
    }
    meta = {"govai_service": profile.name, "govai_run": run_id, "govai_fingerprint": assets["fingerprint"]["sha256"],
            "govai_kb": manifest["kb"], "govai_providers": profile.providers, "govai_seeds": seeds}
    before_pipeline, before_calls = subject.pipeline_seconds, subject.pipeline_calls
    try:
        results = T.run_tasks(specs, str(log_dir), metadata=meta, tags=[f"service:{profile.name}", *suites])
    finally:
        if cache is not None:
            cache.save()  # what this run embedded serves the next run, even if this one failed
    t_tasks = time.perf_counter()

    suite_results: dict[str, Any] = {}
    for suite in suites:
        entry: dict[str, Any] = {"figures": {}, "tasks": {}, "failures": {}, "breakdown": {}, "datasets": []}
        for r in (r for r in results if r.suite == suite):
            entry["figures"].update(r.figures)
            entry["tasks"][r.name] = {"log": r.log, "samples": r.samples, "seconds": round(r.seconds, 3),
                                      "solver_seconds": round(r.solver_seconds, 3)}
            entry["failures"][r.name] = figures.FAILURE_FUNCTIONS[r.name](r.records)
            entry["breakdown"][r.name] = figures.breakdown(r.name, r.records)
            entry["datasets"] += [k for t, ks in SUITE_TASKS[suite] if t == r.name for k in ks]
        suite_results[suite] = figures.clean(entry)

    timing = {
        "total_seconds": round(time.perf_counter() - t0, 3),  # everything up to the report
        "load_and_check_seconds": round(t_data - t0, 3),
        "inventory_seconds": round(t_inventory - t_data, 3),
        "warm_up_seconds": round(t_warm - t_inventory, 3),
        "tasks_seconds": round(t_tasks - t_warm, 3),
        "pipeline_seconds": round(subject.pipeline_seconds - before_pipeline, 3),
        "pipeline_calls": subject.pipeline_calls - before_calls,
        "embedding_cache": cache.stats() if cache is not None else None,
        "per_task": {r.name: {"seconds": round(r.seconds, 3), "solver_seconds": round(r.solver_seconds, 3),
                              "samples": r.samples,
                              "inspect_overhead_seconds": round(r.seconds - r.solver_seconds, 3)} for r in results},
    }
    status = "partial" if limit else "complete"
    run = StoredRun(run_id, profile.name, assets["fingerprint"]["sha256"], started, datetime.now(timezone.utc),
                    status, suites, figures.clean(manifest), {"suites": suite_results, "timing": timing},
                    str(log_dir))
    if write_report:
        from govai.assurance import report

        t_report = time.perf_counter()
        save(db, run)  # the report reads the run before it from the store
        prev = previous(db, run)
        report.write(run, prev, profile, assets, log_dir, db=db)
        timing["report_seconds"] = round(time.perf_counter() - t_report, 3)
        db.conn.execute("UPDATE evaluation_run SET results = %s WHERE id = %s", (Jsonb(run.results), run.id))
    else:
        save(db, run)
    (log_dir / "run.json").write_text(json.dumps(run.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n",
                                      encoding="utf-8")
    return run


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "service"


def check_suites(names: list[str]) -> list[str]:
    bad = [n for n in names if n not in SUITES]
    if bad:
        raise GovAIError(f"unknown suite(s) {', '.join(bad)} (suites: {', '.join(SUITES)})")
    return names
