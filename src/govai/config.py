"""Process-wide settings, read from the environment (``GOVAI_*``, ``DATABASE_URL``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from govai.errors import ConfigError


def _default_home() -> Path:
    return Path(os.environ.get("GOVAI_HOME") or Path.home() / ".local" / "share" / "govai")


class Settings(BaseModel):
    home: Path = Field(default_factory=_default_home)
    database_url: str | None = Field(default_factory=lambda: os.environ.get("DATABASE_URL") or None)
    embedder: str = Field(default_factory=lambda: os.environ.get("GOVAI_EMBEDDER", "minilm"))
    # Models GovAI builds from the shipped weights (int8 ONNX, static): ``$GOVAI_HOME/models`` unless
    # GOVAI_MODEL_CACHE names a folder several homes share (a build takes about a minute).
    model_cache: Path | None = Field(default_factory=lambda: Path(os.environ["GOVAI_MODEL_CACHE"])
                                     if os.environ.get("GOVAI_MODEL_CACHE") else None)

    @property
    def pgdata(self) -> Path:
        return self.home / "pgdata"

    @property
    def models(self) -> Path:
        return self.model_cache or self.home / "models"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def read_yaml_file(path: Path) -> object:
    """Parse a YAML configuration file; a syntax or encoding error names the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
