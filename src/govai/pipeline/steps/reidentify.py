"""reidentify: put the real values back in place of the placeholders in the answer.

A placeholder the vault never issued (the model invented or altered it) is left
visible and flagged "invented_placeholder", never guessed.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from govai.pii.placeholders import reidentify
from govai.pii.vault import Vault
from govai.pipeline.context import Context
from govai.pipeline.step import steps
from govai.pipeline.steps.pseudonymise import vault_for

FLAG = "invented_placeholder"


class Reidentify:
    name = "reidentify"

    def __init__(self, runtime: Any, vault: str = "database") -> None:
        self._runtime = runtime
        self._vault_kind = vault

    @cached_property
    def vault(self) -> Vault:
        return vault_for(self._runtime, self._vault_kind)

    def __call__(self, ctx: Context) -> None:
        if not ctx.answer or "[" not in ctx.answer:
            return
        mapping = self.vault.load(ctx.conversation_id)
        answer, unknown = reidentify(ctx.answer, mapping)
        ctx.answer = answer
        if unknown and FLAG not in ctx.flags:
            ctx.flags.append(FLAG)
        ctx.record(self.name, unknown_placeholders=len(unknown))


@steps.register("reidentify")
def build(runtime: Any, options: dict[str, Any]) -> Reidentify:
    return Reidentify(runtime, **options)
