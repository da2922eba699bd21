"""reidentify: put the real values back in place of the placeholders in the answer.

The answer as composed (placeholders kept) stays on the context as ``draft``, for
checks by providers not approved for personal data. A placeholder the vault never
issued (the model invented or altered it) is left visible and flagged
"invented_placeholder", never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from govai.pii.placeholders import reidentify
from govai.pii.vault import Vault
from govai.pipeline.context import Context
from govai.pipeline.step import steps

if TYPE_CHECKING:
    from govai.runtime import Services

FLAG = "invented_placeholder"


class Reidentify:
    name = "reidentify"

    def __init__(self, open_vault: Callable[[], Vault]) -> None:
        self._open_vault = open_vault

    @cached_property
    def vault(self) -> Vault:
        return self._open_vault()

    def __call__(self, ctx: Context) -> None:
        if not ctx.answer or "[" not in ctx.answer:
            return
        mapping = self.vault.load(ctx.conversation_id)
        answer, unknown = reidentify(ctx.answer, mapping)
        ctx.answer = answer
        if unknown:
            ctx.flag(FLAG)
        ctx.record(self.name, unknown_placeholders=len(unknown))


@steps.register("reidentify")
def build(services: Services, options: dict[str, Any]) -> Reidentify:
    kind = dict(options).pop("vault", "database")
    unknown = sorted(set(options) - {"vault"})
    if unknown:
        from govai.errors import ConfigError

        raise ConfigError(f"reidentify: unknown option(s) {', '.join(unknown)}; known: vault")
    services.check_vault_kind(kind)
    return Reidentify(lambda: services.vault(kind))
