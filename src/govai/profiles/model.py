"""The service profile schema and loader.

One YAML file per service picks its knowledge base, providers, steps and guard
settings, and states its rules: classification default, UK-only residency,
routing of personal data, budgets, retention, human review and notices.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from govai.assurance.schema import AssuranceSection
from govai.config import read_yaml_file
from govai.errors import ConfigError
from govai.domain import Classification, Outcome
from govai.policy.rules import PersonalDataMode, ServiceRules


class StepConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    options: dict[str, Any] = {}


# The full safeguarded pipeline: what a service gets unless its profile lists its own steps.
DEFAULT_STEPS = [
    "normalise",         # Unicode clean-up, hidden characters, length limit
    "security_marking",  # raise the classification to any protective marking in the text
    "pseudonymise",      # personal data -> placeholders (the original kept for approved providers)
    "screen_input",      # prompt-attack guard: rules, classifier, optional LLM judge
    "scope",             # greeting, out of scope, account data, crisis (help at once)
    "route",             # which providers may take this request, and why not the others
    "retrieve",          # hybrid retrieval; the question is embedded once here
    "screen_sources",    # drop passages that carry injected instructions
    "check_evidence",    # abstain when the guidance does not answer
    "compose",           # a cited answer from the first allowed provider, with fallback
    "reidentify",        # the citizen's own details back into the answer
    "check_output",      # support, personal data, persuasion, illegal advice, forbidden terms
    "check_citations",   # every citation points at a retrieved passage
    "review",            # human-review rules and notices (always runs)
    "audit",             # the hash-chained decision record (always runs)
]

# Steps a profile may leave out only by waiving them, with a reason, in ``waived_safeguards``.
SAFEGUARDS = {
    "pseudonymise": "personal data reaches providers and logs unpseudonymised; routing treats every request "
                    "as holding personal data in clear",
    "screen_input": "prompt attacks and requests for other people's data are not screened",
    "audit": "decisions are not recorded in the audit trail (and spending limits cannot be counted)",
}


def _default_steps() -> list[StepConfig]:
    return [StepConfig(name=n) for n in DEFAULT_STEPS]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Routing(_Section):
    """How requests are matched to providers (see docs/providers.md)."""

    personal_data: PersonalDataMode = PersonalDataMode.PSEUDONYMISE
    on_premises_only: bool = False  # only providers on the body's own infrastructure
    allow_prompt_retention: bool = True
    allow_training_use: bool = False
    fallback_to_extractive: bool = True  # the offline composer is the last resort


class Budget(_Section):
    """Spending limits; when one is reached, paid providers are skipped."""

    daily_gbp: float | None = Field(default=None, ge=0)
    monthly_gbp: float | None = Field(default=None, ge=0)
    max_tokens_per_request: int | None = Field(default=None, ge=1)

    @property
    def limits_spend(self) -> bool:
        return self.daily_gbp is not None or self.monthly_gbp is not None


class Retention(_Section):
    audit_days: int = Field(default=365, ge=1)  # GOV.UK Chat practice: one year
    conversation_days: int = Field(default=30, ge=0)  # transcripts and PII vault mappings
    log_text: bool = False  # keep the pseudonymised question and the answer in the audit trail


class Responsible(_Section):
    """The named human accountable for the service's answers."""

    name: str
    role: str = ""
    contact: str = ""


class ReviewRule(_Section):
    """When a person must look at an answer. Every condition given must hold."""

    name: str
    action: Literal["hold", "flag"] = "flag"  # hold: withhold until signed off; flag: deliver and mark
    detect: list[str] = []  # built-in detectors, e.g. "decision" (answer reads as a decision)
    answer_matches: list[str] = []  # regular expressions, case-insensitive
    question_matches: list[str] = []
    flags_any: list[str] = []  # any of these context flags (e.g. personal_data)
    routes_any: list[str] = []  # any of these scope routes (e.g. crisis)
    min_classification: Classification | None = None
    outcomes: list[Outcome] = [Outcome.ANSWERED]
    reviewer: str | None = None  # who signs off (role or name)
    add_flag: str | None = None  # flag raised on a match (e.g. safeguarding)
    notify: str | None = None  # who is told (e.g. designated safeguarding lead)

    @field_validator("answer_matches", "question_matches")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"bad regular expression {p!r}: {exc}") from None
        return patterns


class RiskRecord(_Section):
    """JSP 936 (dependable AI in defence) risk record fields kept with the service.

    Field names follow JSP 936's life-cycle assurance and the MOD AI ethical
    principles; the MOD publishes no machine-readable schema for them.
    """

    system_owner: str = ""
    senior_responsible_owner: str = ""
    intended_use: str = ""
    risk_level: str = ""  # the department's AI risk rating for the use case
    human_centricity: str = ""
    responsibility: str = ""
    understanding: str = ""
    bias_and_harm_mitigation: str = ""
    reliability: str = ""
    assurance_evidence: list[str] = []
    review_date: str = ""


class ServiceProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    _origin: str = PrivateAttr(default="service profile")  # the file or preset it came from, for errors

    name: str = "default"
    title: str = "GovAI assistant"
    description: str = ""
    sector: str | None = None  # education, justice, tax_benefits, defence, ...
    kb: str = "default"
    classification: Classification = Classification.OFFICIAL  # default for requests that name none
    uk_only: bool = False  # only UK-jurisdiction, UK-hosted (or on-premises) providers
    tenant: str | None = None  # the department that owns the service (the HTTP service needs one)
    switched_off: bool = False  # the kill switch: answer only "unavailable", touch no model
    end_user_rate_per_minute: int = Field(default=20, ge=1)  # per end user, across every key and worker
    providers: list[str] = ["extractive"]  # composition providers, in preference order
    providers_file: str | None = None  # provider registry YAML (else $GOVAI_PROVIDERS)
    routing: Routing = Field(default_factory=Routing)
    budget: Budget = Field(default_factory=Budget)
    retention: Retention = Field(default_factory=Retention)
    responsible: Responsible | None = None
    review: list[ReviewRule] = []
    notices: list[str] = []  # shown after every answer (e.g. "not legal advice")
    risk_record: RiskRecord | None = None
    steps: list[StepConfig] = Field(default_factory=_default_steps)
    waived_safeguards: dict[str, str] = {}  # safeguard step -> why this service runs without it
    canned: dict[str, str] = {}  # canned replies by key, overriding the built-in wording

    # --- assurance (docs/assurance.md): release-gate thresholds, evaluation datasets, the
    # lifecycle phase and the ATRS fields configuration cannot supply. Not part of the
    # service's configuration fingerprint: changing a threshold does not need a new evaluation.
    assurance: AssuranceSection = Field(default_factory=AssuranceSection)

    @field_validator("steps", mode="before")
    @classmethod
    def _step_names(cls, steps: Any) -> Any:
        """A step is written as its name, or as {name, options}."""
        if isinstance(steps, list):
            return [{"name": s} if isinstance(s, str) else s for s in steps]
        return steps

    @field_validator("canned")
    @classmethod
    def _known_replies(cls, canned: dict[str, str]) -> dict[str, str]:
        from govai.pipeline.replies import check_overrides

        check_overrides(canned)
        return canned

    @model_validator(mode="after")
    def _coherent(self) -> ServiceProfile:
        names = [s.name for s in self.steps]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"steps: {', '.join(duplicated)} listed more than once")
        missing = [n for n in SAFEGUARDS if n not in names and not self.waived_safeguards.get(n, "").strip()]
        if missing:
            raise ValueError(
                "steps: " + "; ".join(f"without {n}, {SAFEGUARDS[n]}" for n in missing)
                + ". Keep the step, or waive it explicitly: waived_safeguards: {"
                + ", ".join(f"{n}: <why>" for n in missing) + "}"
            )
        for name in self.waived_safeguards:
            if name not in SAFEGUARDS:
                raise ValueError(f"waived_safeguards: {name!r} is not a safeguard (safeguards: {', '.join(SAFEGUARDS)})")
            if name in names:
                raise ValueError(f"waived_safeguards: {name!r} is waived but also listed in steps; remove one")
        if self.budget.limits_spend and "audit" not in names:
            raise ValueError("budget: spending limits are counted from the audit trail; add the 'audit' step")
        if not self.providers:
            raise ValueError("providers: name at least one provider (extractive is the offline default)")
        if self.sector == "justice" and self.responsible is None:
            raise ValueError("responsible: a justice service must name the person responsible for its answers")
        return self

    @property
    def origin(self) -> str:
        return self._origin

    def waivers(self) -> list[str]:
        """One warning line per safeguard this service runs without."""
        return [f"{name} is waived ({reason.strip()}): {SAFEGUARDS[name]}"
                for name, reason in self.waived_safeguards.items()]

    def service_rules(self, *, budget_exhausted: bool = False) -> ServiceRules:
        return ServiceRules(
            uk_only=self.uk_only,
            on_premises_only=self.routing.on_premises_only,
            personal_data=self.routing.personal_data,
            allow_prompt_retention=self.routing.allow_prompt_retention,
            allow_training_use=self.routing.allow_training_use,
            budget_exhausted=budget_exhausted,
        )


def _parse(data: Any, origin: str, base_dir: Path | None = None) -> ServiceProfile:
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: a service profile must be a YAML mapping")
    # A relative provider file is relative to the profile that names it.
    if base_dir is not None and data.get("providers_file"):
        data["providers_file"] = str((base_dir / Path(str(data["providers_file"])).expanduser()).resolve())
    try:
        profile = ServiceProfile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'profile'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise ConfigError(f"{origin}: invalid service profile: {problems}") from None
    profile._origin = origin
    return profile


def preset_names() -> list[str]:
    presets = resources.files("govai.profiles") / "presets"
    return sorted(f.name.removesuffix(".yaml") for f in presets.iterdir() if f.name.endswith(".yaml"))


def load_profile(name_or_path: str | Path | None = None) -> ServiceProfile:
    """Load a profile from a YAML file, or a preset shipped with GovAI by name."""
    if name_or_path is None:
        name_or_path = "default"
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        if not path.is_file():
            raise ConfigError(f"service profile {path} does not exist")
        return _parse(read_yaml_file(path), str(path), path.resolve().parent)
    preset = resources.files("govai.profiles") / "presets" / f"{name_or_path}.yaml"
    if not preset.is_file():
        raise ConfigError(
            f"no service profile file or preset named {name_or_path!r} (presets: {', '.join(preset_names())})"
        )
    return _parse(yaml.safe_load(preset.read_text(encoding="utf-8")), f"preset {name_or_path}")
