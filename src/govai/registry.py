"""A small typed registry: recognisers, guards, providers, sources, steps, rules and
detectors register themselves by name, and service profiles pick them by name.

Built-in parts register on import; a department's own parts come from plugin
packages (``govai.plugins``), loaded the first time a registry is searched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from govai.errors import ConfigError

T = TypeVar("T")

_all: list[Registry] = []  # type: ignore[type-arg]


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        _all.append(self)

    def register(self, name: str) -> Callable[[T], T]:
        """Decorator: ``@steps.register("retrieve")``."""

        def add(item: T) -> T:
            self.add(name, item)
            return item

        return add

    def add(self, name: str, item: T) -> None:
        if name in self._items and self._items[name] is not item:
            raise ConfigError(f"{self.kind} {name!r} is registered twice")
        self._items[name] = item

    def get(self, name: str) -> T:
        if name not in self._items:
            _load_plugins()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise ConfigError(f"unknown {self.kind} {name!r} (known: {known})") from None

    def __contains__(self, name: object) -> bool:
        if name not in self._items:
            _load_plugins()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        _load_plugins()
        return iter(sorted(self._items))

    def items(self) -> list[tuple[str, T]]:
        _load_plugins()
        return sorted(self._items.items())


def registries() -> list[Registry]:  # type: ignore[type-arg]
    """Every registry created so far (for ``govai plugins``)."""
    return list(_all)


def _load_plugins() -> None:
    from govai.plugins import load_plugins

    load_plugins()
