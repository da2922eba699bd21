"""The release gate: does the service's latest evaluation, of its current configuration, meet
every threshold in force?

For each suite with thresholds, the latest complete run that evaluated that suite is read. The
gate fails when there is none ("missing"), when it measured another configuration fingerprint
("stale": the profile, a provider entry, a model, a prompt or the knowledge base changed since),
or when a figure misses its threshold. ``govai eval gate`` exits 0 when it passes, 1 when a
threshold fails and 2 when an evaluation is missing or stale; ``govai serve`` will not serve a
service in a live phase (beta, pilot, production) while its gate fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govai.assurance import inventory, runs
from govai.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from govai.profiles import ServiceProfile
    from govai.store.database import Database
    from govai.store.knowledge import KnowledgeStore

EXIT_PASS, EXIT_THRESHOLD, EXIT_STALE = 0, 1, 2


@dataclass
class Check:
    suite: str
    figure: str
    value: float | None
    threshold: str
    passed: bool
    run: str

    def as_dict(self) -> dict[str, Any]:
        return {"suite": self.suite, "figure": self.figure, "value": self.value, "threshold": self.threshold,
                "passed": self.passed, "run": self.run}


@dataclass
class GateResult:
    service: str
    fingerprint: str
    checks: list[Check] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # missing or stale evaluations
    runs: dict[str, str] = field(default_factory=dict)  # suite -> run id read

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    @property
    def passed(self) -> bool:
        return not self.problems and not self.failed_checks

    @property
    def status(self) -> str:
        if self.problems:
            return "stale or missing"
        return "fail" if self.failed_checks else "pass"

    @property
    def exit_code(self) -> int:
        if self.problems:
            return EXIT_STALE
        return EXIT_THRESHOLD if self.failed_checks else EXIT_PASS

    def reasons(self) -> list[str]:
        return self.problems + [f"{c.suite}.{c.figure} = {_fmt(c.value)}, needs {c.threshold}"
                                for c in self.failed_checks]

    def as_dict(self) -> dict[str, Any]:
        return {"service": self.service, "status": self.status, "passed": self.passed,
                "fingerprint": self.fingerprint, "problems": self.problems, "runs": self.runs,
                "checks": [c.as_dict() for c in self.checks]}


def _fmt(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.4g}"


def changed_components(stored: dict[str, Any], current: dict[str, Any]) -> list[str]:
    names = {"profile": "the service profile", "providers": "a provider entry", "models": "a model",
             "prompts": "a prompt or canned reply", "knowledge_base": "the knowledge base"}
    old, new = stored.get("components", {}), current.get("components", {})
    return [names.get(k, k) for k in new if old.get(k) != new.get(k)] or ["the configuration"]


def evaluate_thresholds(profile: ServiceProfile, run: runs.StoredRun, suite: str) -> list[Check]:
    thresholds = profile.assurance.effective_thresholds().get(suite, {})
    values = run.results.get("suites", {}).get(suite, {}).get("figures", {})
    return [Check(suite, figure, values.get(figure), str(t), t.passes(values.get(figure)), run.id)
            for figure, t in thresholds.items()]


def gate(profile: ServiceProfile, db: Database, knowledge: KnowledgeStore, embedder: str,
         kb: str | None = None) -> GateResult:
    current = inventory.fingerprint(profile, knowledge, embedder, kb)
    result = GateResult(profile.name, current["sha256"])
    suites = list(profile.assurance.effective_thresholds())
    history = [r for r in runs.runs(db, profile.name, limit=200) if r.status == "complete"]
    if not suites:
        if not history:
            result.problems.append("no complete evaluation run")
        elif history[0].version != current["sha256"]:
            result.problems.append(f"the latest evaluation ({history[0].id}) is older than the configuration: "
                                   + ", ".join(changed_components(history[0].manifest.get("fingerprint", {}), current))
                                   + " changed since")
        return result
    for suite in suites:
        run = next((r for r in history if suite in r.suites), None)
        if run is None:
            result.problems.append(f"{suite}: no complete evaluation (govai eval run {profile.name} --suite {suite})")
            continue
        result.runs[suite] = run.id
        if run.version != current["sha256"]:
            what = ", ".join(changed_components(run.manifest.get("fingerprint", {}), current))
            result.problems.append(f"{suite}: the latest evaluation ({run.id}, {run.finished_at:%Y-%m-%d %H:%M}) "
                                   f"is older than the configuration: {what} changed since")
            continue
        result.checks += evaluate_thresholds(profile, run, suite)
    return result


def gate_service(profile: ServiceProfile, kb: str | None = None) -> GateResult:
    from govai.config import get_settings
    from govai.store.database import get_database
    from govai.store.knowledge import KnowledgeStore

    db = get_database()
    return gate(profile, db, KnowledgeStore(db), get_settings().embedder, kb)


def refuse_unreleased(profiles: Iterable[ServiceProfile]) -> None:
    """Raise, naming each one, if a service in a live phase fails its release gate."""
    blocked = []
    for profile in profiles:
        if not profile.assurance.live:
            continue
        result = gate_service(profile)
        if not result.passed:
            blocked.append(f"{profile.name} ({profile.origin}, phase {profile.assurance.phase}): "
                           + "; ".join(result.reasons()))
    if blocked:
        raise ConfigError("will not serve a service in a live phase while its release gate fails: "
                          + " | ".join(blocked) + ". Run `govai eval run SERVICE` and `govai eval gate SERVICE`, "
                          "or set assurance.phase to pre-deployment")
