"""The answerability model: logistic regression over the evidence signals.

Weights ship in ``answerability/model/answerability.json`` and are trained by
``python -m govai.answerability.train``; scoring is a dot product.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from govai.answerability.signals import NAMES, Signals
from govai.errors import ConfigError

MODEL_FILE = "answerability.json"


def model_path() -> Path:
    return Path(str(resources.files("govai.answerability") / "model" / MODEL_FILE))


@dataclass(frozen=True)
class AnswerabilityModel:
    """Weights over the standardised signals named in ``signals`` (a model file names the signals it
    was trained on, so one trained on fewer signals still scores)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float  # answer when the score reaches this
    meta: dict[str, Any]
    signals: tuple[str, ...] = NAMES

    def score(self, signals: Signals) -> float:
        """Probability-like score that the passages answer the question."""
        z = float(((signals.vector(self.signals) - self.mean) / self.scale) @ self.coef + self.intercept)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "signals": list(self.signals), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
            "coef": self.coef.tolist(), "intercept": self.intercept, "threshold": self.threshold, **self.meta,
        }


def save_model(model: AnswerabilityModel, path: Path | None = None) -> Path:
    path = path or model_path()
    path.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
    return path


@lru_cache(maxsize=4)
def load_model(path: Path | None = None) -> AnswerabilityModel:
    path = path or model_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the answerability model {path}: {exc}") from exc
    names = tuple(data.get("signals") or ())
    if not names or not set(names) <= set(NAMES) or len(data.get("coef", ())) != len(names):
        raise ConfigError(f"{path} was trained on signals GovAI does not measure: "
                          "run python -m govai.answerability.train")
    fixed = {"signals", "mean", "scale", "coef", "intercept", "threshold"}
    return AnswerabilityModel(
        mean=np.array(data["mean"]), scale=np.array(data["scale"]), coef=np.array(data["coef"]),
        intercept=float(data["intercept"]), threshold=float(data["threshold"]),
        meta={k: v for k, v in data.items() if k not in fixed}, signals=names,
    )
