"""The step contract and the registry of step factories."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from govai.pipeline.context import Context
from govai.registry import Registry

if TYPE_CHECKING:
    from govai.runtime import Services


class Step(Protocol):
    """A step reads and updates the context; it may call ``ctx.stop(...)``.

    A step with ``always_runs = True`` runs even after another stopped the request (audit).
    """

    name: str

    def __call__(self, ctx: Context) -> None: ...


# A factory takes from the service's resources only what its step uses (the store,
# the retriever, model access...) and the step's own options from the profile.
StepFactory = Callable[["Services", dict[str, Any]], Step]

steps: Registry[StepFactory] = Registry("pipeline step")
