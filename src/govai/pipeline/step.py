"""The step contract and the registry of step factories."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from govai.pipeline.context import Context
from govai.registry import Registry

if TYPE_CHECKING:
    from govai.runtime import Runtime


class Step(Protocol):
    """A step reads and updates the context; it may call ``ctx.stop(...)``."""

    name: str

    def __call__(self, ctx: Context) -> None: ...


# A factory builds a step from the shared runtime (store, embedder, profile)
# and the step's own options from the service profile.
StepFactory = Callable[["Runtime", dict[str, Any]], Step]

steps: Registry[StepFactory] = Registry("pipeline step")
