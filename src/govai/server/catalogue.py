"""The services a server runs: one service profile per YAML file in a directory.

Every profile is loaded and its pipeline built (so a bad step, option or provider fails at
start-up, naming the file), and its tenant recorded as the service's owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govai.errors import ConfigError
from govai.profiles import ServiceProfile, load_profile
from govai.runtime import Runtime


@dataclass
class Service:
    profile: ServiceProfile
    runtime: Runtime

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def tenant(self) -> str:
        assert self.profile.tenant is not None
        return self.profile.tenant


class ServiceCatalogue:
    def __init__(self, services: dict[str, Service]) -> None:
        self.services = services

    @classmethod
    def from_directory(cls, directory: Path) -> ServiceCatalogue:
        if not directory.is_dir():
            raise ConfigError(f"service profile directory {directory} does not exist")
        files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
        if not files:
            raise ConfigError(f"no service profiles (*.yaml) in {directory}")
        return cls.from_profiles([load_profile(f) for f in files])

    @classmethod
    def from_profiles(cls, profiles: list[ServiceProfile]) -> ServiceCatalogue:
        services: dict[str, Service] = {}
        for profile in profiles:
            if profile.name in services:
                raise ConfigError(f"{profile.origin}: service name {profile.name!r} is used by "
                                  f"{services[profile.name].profile.origin} too")
            if not profile.tenant:
                raise ConfigError(f"{profile.origin}: tenant: the HTTP service needs the department that owns "
                                  "the service (govai tenants create ID NAME, then tenant: ID in the profile)")
            runtime = Runtime(profile)
            runtime.pipeline  # steps, options and providers: checked now, not on the first request
            services[profile.name] = Service(profile, runtime)
        return cls(services)

    def get(self, name: str) -> Service | None:
        return self.services.get(name)

    def names(self) -> list[str]:
        return sorted(self.services)
