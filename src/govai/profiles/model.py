"""The service profile schema and loader."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from govai.errors import ConfigError
from govai.pipeline.context import Classification


class StepConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    options: dict[str, Any] = {}


DEFAULT_STEPS = ["normalise", "retrieve", "compose", "check_citations"]


def _default_steps() -> list[StepConfig]:
    return [StepConfig(name=n) for n in DEFAULT_STEPS]


class ServiceProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "default"
    title: str = "GovAI assistant"
    kb: str = "default"
    classification: Classification = Classification.OFFICIAL
    providers: list[str] = ["extractive"]  # composition providers, in preference order
    steps: list[StepConfig] = Field(default_factory=_default_steps)
    canned: dict[str, str] = {}  # canned replies by key, overriding the built-in wording

    def step_options(self, name: str) -> dict[str, Any]:
        for step in self.steps:
            if step.name == name:
                return step.options
        return {}


def _parse(data: Any, origin: str) -> ServiceProfile:
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: a service profile must be a YAML mapping")
    data = {**data, "steps": [s if isinstance(s, dict) else {"name": s} for s in data.get("steps", DEFAULT_STEPS)]}
    try:
        return ServiceProfile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{origin}: invalid service profile: {problems}") from None


def load_profile(name_or_path: str | Path | None = None) -> ServiceProfile:
    """Load a profile from a YAML file, or a preset shipped with GovAI by name."""
    if name_or_path is None:
        name_or_path = "default"
    path = Path(name_or_path)
    if path.suffix in {".yaml", ".yml"} or path.exists():
        if not path.exists():
            raise ConfigError(f"service profile {path} does not exist")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from None
        return _parse(data, str(path))
    preset = resources.files("govai.profiles") / "presets" / f"{name_or_path}.yaml"
    if not preset.is_file():
        raise ConfigError(f"no service profile file or preset named {name_or_path!r}")
    return _parse(yaml.safe_load(preset.read_text(encoding="utf-8")), f"preset {name_or_path}")
