"""The provider registry file: which model endpoints exist and what each may receive.

One YAML file lists providers by name. Each entry names its kind, how to reach it
and the attributes routing policy checks (jurisdiction, hosting, clearance, prompt
retention, training use, personal-data approval, cost). Secrets never live in it:
``api_key_env`` names an environment variable, ``api_key_file`` a file.

Where the file comes from (first that applies):
1. the service profile's ``providers_file`` (relative to the profile file);
2. the ``GOVAI_PROVIDERS`` environment variable;
3. none: only the built-in offline ``extractive`` composer exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from govai.config import read_yaml_file
from govai.errors import ConfigError
from govai.domain import Classification
from govai.providers.resilience import Resilience

EXTRACTIVE = "extractive"
ENV_VAR = "GOVAI_PROVIDERS"

# Keys that would put a secret into the YAML; refused with a pointer to the right way.
_SECRET_KEYS = {"api_key", "key", "token", "password", "secret", "azure_ad_token"}

# The SDK's own variable names, used when an entry names no key source.
_DEFAULT_KEY_ENV = {"openai": "OPENAI_API_KEY", "azure_openai": "AZURE_OPENAI_API_KEY"}

ModelKind = Literal["extractive", "openai", "azure_openai", "openai_compatible", "llama_cpp"]


class ProviderSpec(BaseModel):
    """One provider entry, validated. Attribute defaults are the cautious choice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: str
    # How to reach it (by kind).
    model: str | None = None  # model name (openai, compatible); Azure uses ``deployment``
    base_url: str | None = None  # openai_compatible (vLLM, Ollama); optional for openai
    endpoint: str | None = None  # azure_openai: https://NAME.openai.azure.com
    deployment: str | None = None  # azure_openai deployment name
    api_version: str | None = None  # azure_openai API version
    model_path: str | None = None  # llama_cpp: path to a .gguf file
    api_key_env: str | None = None
    api_key_file: Path | None = None
    # What routing policy checks.
    jurisdiction: str = "unknown"  # law the operator answers to: UK, EU, US, ...
    hosting_region: str = "unknown"  # where prompts are processed: "UK South", "uksouth", "EU West"
    max_classification: Classification = Classification.OFFICIAL
    on_premises: bool = False  # runs on the public body's own infrastructure
    accredited: bool = False  # accredited for SECRET handling (with on_premises)
    retains_prompts: bool = True  # the operator keeps prompts (e.g. abuse monitoring)
    trains_on_prompts: bool = True  # the operator may train on prompts
    personal_data: bool = False  # approved to receive personal data un-pseudonymised
    # Accounting.
    cost_per_1k_input_gbp: float = Field(default=0.0, ge=0)
    cost_per_1k_output_gbp: float = Field(default=0.0, ge=0)
    # Limits and resilience.
    timeout_s: float = Field(default=30.0, gt=0)  # whole call, including a slow stream
    connect_timeout_s: float = Field(default=5.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    backoff_s: float = Field(default=0.5, ge=0)  # first retry delay; doubles each time
    breaker_failures: int = Field(default=3, ge=1)  # consecutive failures that open the circuit
    breaker_reset_s: float = Field(default=60.0, ge=0)  # open circuit retried after this long
    max_output_tokens: int = Field(default=400, ge=16)
    temperature: float = Field(default=0.0, ge=0, le=2)
    stream: bool = True  # stream replies so a slow stream is cut at ``timeout_s``
    options: dict[str, Any] = {}  # kind-specific extras (e.g. extractive tuning)

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            leaked = sorted(k for k in data if str(k).lower() in _SECRET_KEYS)
            if leaked:
                raise ValueError(
                    f"{', '.join(leaked)} must not be written in the provider file; "
                    "name an environment variable with api_key_env or a file with api_key_file"
                )
            default_env = _DEFAULT_KEY_ENV.get(str(data.get("kind")))
            if default_env and not data.get("api_key_env") and not data.get("api_key_file"):
                data = {**data, "api_key_env": default_env}
        return data

    @field_validator("jurisdiction")
    @classmethod
    def _jurisdiction(cls, v: str) -> str:
        v = v.strip().upper()
        return "UK" if v in {"GB", "UNITED KINGDOM"} else v

    @model_validator(mode="after")
    def _consistent(self) -> ProviderSpec:
        need = {
            "openai": ["model"],
            "openai_compatible": ["model", "base_url"],
            "azure_openai": ["endpoint", "deployment", "api_version"],
            "llama_cpp": ["model_path"],
        }.get(self.kind, [])
        missing = [f for f in need if not getattr(self, f)]
        if missing:
            raise ValueError(f"kind {self.kind} needs {', '.join(missing)}")
        if self.max_classification.rank >= Classification.SECRET.rank and not (self.on_premises and self.accredited):
            raise ValueError(
                f"max_classification {self.max_classification} needs on_premises: true and accredited: true "
                "(SECRET and above never go to a cloud model)"
            )
        return self

    @property
    def uk_hosted(self) -> bool:
        """UK jurisdiction and UK hosting (on-premises counts as UK)."""
        if self.on_premises:
            return True
        region = self.hosting_region.strip().upper().replace("-", " ").replace("_", " ")
        return self.jurisdiction == "UK" and (region == "UK" or region.startswith("UK"))

    @property
    def paid(self) -> bool:
        return self.cost_per_1k_input_gbp > 0 or self.cost_per_1k_output_gbp > 0

    def cost_gbp(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.cost_per_1k_input_gbp + completion_tokens * self.cost_per_1k_output_gbp) / 1000

    def api_key(self) -> SecretStr | None:
        """The key from ``api_key_env`` or ``api_key_file``; None when neither is set."""
        if self.api_key_env:
            value = os.environ.get(self.api_key_env, "").strip()
            if not value:
                raise ConfigError(
                    f"provider {self.name!r}: environment variable {self.api_key_env} is not set; "
                    "export it or use api_key_file"
                )
            return SecretStr(value)
        if self.api_key_file:
            try:
                value = self.api_key_file.expanduser().read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(
                    f"provider {self.name!r}: cannot read api_key_file {self.api_key_file}: {exc.strerror}"
                ) from None
            if not value:
                raise ConfigError(f"provider {self.name!r}: api_key_file {self.api_key_file} is empty")
            return SecretStr(value)
        return None

    def factory_options(self) -> dict[str, Any]:
        """What the kind's factory gets: the whole entry for model kinds, tuning for extractive."""
        if self.kind == EXTRACTIVE:
            return dict(self.options)
        return self.model_dump()

    def resilience(self) -> Resilience:
        return Resilience(
            self.name,
            max_retries=self.max_retries,
            backoff_s=self.backoff_s,
            breaker_failures=self.breaker_failures,
            breaker_reset_s=self.breaker_reset_s,
        )

    def summary(self) -> dict[str, Any]:
        """Everything but connection secrets, for listings and the audit trail."""
        return self.model_dump(mode="json", exclude={"options", "api_key_file"}) | {
            "api_key_file": str(self.api_key_file) if self.api_key_file else None,
            "uk_hosted": self.uk_hosted,
        }


# The in-process extractive composer: offline, on-premises, takes any classification.
EXTRACTIVE_SPEC = ProviderSpec(
    name=EXTRACTIVE,
    kind=EXTRACTIVE,
    jurisdiction="UK",
    hosting_region="on-premises",
    max_classification=Classification.TOP_SECRET,
    on_premises=True,
    accredited=True,
    retains_prompts=False,
    trains_on_prompts=False,
    personal_data=True,
    timeout_s=30,
    max_retries=0,
    stream=False,
)


def in_process_spec(name: str) -> ProviderSpec:
    """A model that runs inside GovAI's own process (the shipped embedder): nothing leaves it."""
    return EXTRACTIVE_SPEC.model_copy(update={"name": name, "kind": "in_process"})


@dataclass
class Catalogue:
    """The providers a deployment knows about, by name."""

    specs: dict[str, ProviderSpec]
    origin: str = "built-in"
    warnings: list[str] = field(default_factory=list)

    def get(self, name: str) -> ProviderSpec:
        try:
            return self.specs[name]
        except KeyError:
            known = ", ".join(sorted(self.specs))
            raise ConfigError(
                f"unknown provider {name!r} (known in {self.origin}: {known}); "
                f"add it to the provider file ({ENV_VAR} or the profile's providers_file)"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self.specs

    def names(self) -> list[str]:
        return list(self.specs)


def parse_catalogue(data: Any, origin: str) -> Catalogue:
    """Validate a provider file's content; every problem is reported with its path."""
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(data.get("providers", {}), dict):
        raise ConfigError(f"{origin}: expected a mapping with a 'providers:' mapping of name -> settings")
    unknown = set(data) - {"providers"}
    if unknown:
        raise ConfigError(f"{origin}: unknown top-level keys {sorted(unknown)}; only 'providers' is allowed")
    specs: dict[str, ProviderSpec] = {EXTRACTIVE: EXTRACTIVE_SPEC}
    problems: list[str] = []
    for name, entry in (data.get("providers") or {}).items():
        if not isinstance(entry, dict):
            problems.append(f"providers.{name}: expected a mapping of settings")
            continue
        if name == EXTRACTIVE:
            # Only tuning is allowed: its policy attributes are facts, not settings.
            extra = set(entry) - {"kind", "options"}
            if extra or entry.get("kind", EXTRACTIVE) != EXTRACTIVE:
                problems.append(f"providers.{name}: the built-in extractive composer takes only 'options'")
                continue
            specs[name] = EXTRACTIVE_SPEC.model_copy(update={"options": dict(entry.get("options") or {})})
            continue
        if "kind" not in entry:
            problems.append(f"providers.{name}.kind: required (one of {', '.join(ModelKind.__args__)})")
            continue
        try:
            specs[str(name)] = ProviderSpec.model_validate({**entry, "name": str(name)})
        except ValidationError as exc:
            for e in exc.errors():
                loc = ".".join(str(p) for p in e["loc"])
                where = f"providers.{name}" + (f".{loc}" if loc else "")
                problems.append(f"{where}: {e['msg'].removeprefix('Value error, ')}")
    if problems:
        raise ConfigError(f"{origin}: invalid provider file: " + "; ".join(problems))
    _check_kinds(specs, origin)
    return Catalogue(specs=specs, origin=origin)


def _check_kinds(specs: dict[str, ProviderSpec], origin: str) -> None:
    import govai.providers.registry  # noqa: F401  (registers the built-in kinds)
    from govai.providers.base import provider_kinds

    for spec in specs.values():
        if spec.kind not in provider_kinds:
            known = ", ".join(provider_kinds)
            raise ConfigError(f"{origin}: providers.{spec.name}.kind: unknown kind {spec.kind!r} (known: {known})")


def read_catalogue(path: Path) -> Catalogue:
    if not path.is_file():
        raise ConfigError(f"provider file {path} does not exist; check {ENV_VAR} or the profile's providers_file")
    return parse_catalogue(read_yaml_file(path), str(path))


_cache: dict[tuple[str, int], Catalogue] = {}


def catalogue_path(providers_file: str | Path | None = None) -> Path | None:
    """The provider file in force: the profile's, else ``$GOVAI_PROVIDERS``, else none."""
    if providers_file:
        return Path(providers_file).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else None


def load_catalogue(providers_file: str | Path | None = None) -> Catalogue:
    """The catalogue in force, re-read when the file changes."""
    import govai.providers.registry  # noqa: F401  (registers the kinds validation checks)

    path = catalogue_path(providers_file)
    if path is None:
        return Catalogue(specs={EXTRACTIVE: EXTRACTIVE_SPEC})
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1
    key = (str(path.resolve()), mtime)
    if key not in _cache:
        _cache[key] = read_catalogue(path)
    return _cache[key]
