"""Service profiles: one YAML per service picks and tunes steps, guards and providers."""

from govai.profiles.model import ServiceProfile, StepConfig, load_profile, preset_names

__all__ = ["ServiceProfile", "StepConfig", "load_profile", "preset_names"]
