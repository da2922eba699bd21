"""Plugins: a department's own recognisers, guards, providers, ingest sources,
embedders, steps, routing rules or review detectors, in a package of its own.

A plugin package declares an entry point in the ``govai`` group, as ``llm``
plugins do, naming a module (imported) or a function (called with no arguments)
that registers its parts in GovAI's registries:

    [project.entry-points.govai]
    hmrc = "govai_hmrc.plugin"          # e.g. @pii_recognisers.register("hmrc_ref")

Plugins load once per process, the first time any registry is searched. One that
fails to load is reported by ``govai plugins`` and logged; it never stops GovAI.
"""

from __future__ import annotations

import inspect
import logging
import threading
from dataclasses import dataclass
from importlib.metadata import entry_points

log = logging.getLogger(__name__)

GROUP = "govai"


@dataclass(frozen=True)
class PluginStatus:
    name: str
    value: str  # module or module:function
    distribution: str | None
    error: str | None = None

    @property
    def loaded(self) -> bool:
        return self.error is None


_statuses: list[PluginStatus] | None = None
_lock = threading.RLock()


def load_plugins() -> list[PluginStatus]:
    """Import every installed plugin once; return what loaded and what failed."""
    global _statuses
    with _lock:
        if _statuses is not None:
            return _statuses
        _statuses = []  # set first: a plugin that searches a registry while loading must not recurse
        for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
            dist = ep.dist.name if ep.dist is not None else None
            try:
                obj = ep.load()
                if callable(obj) and not inspect.ismodule(obj):
                    obj()
            except Exception as exc:  # a broken plugin is reported, never fatal
                log.warning("plugin %s (%s) failed to load: %s: %s", ep.name, ep.value, type(exc).__name__, exc)
                _statuses.append(PluginStatus(ep.name, ep.value, dist, f"{type(exc).__name__}: {exc}"))
                continue
            _statuses.append(PluginStatus(ep.name, ep.value, dist))
        return _statuses


def reset_plugins() -> None:
    """Forget what was loaded, so the next registry search looks again (tests install plugins)."""
    global _statuses
    with _lock:
        _statuses = None
