"""pseudonymise: replace personal data in the working text with stable typed placeholders.

The mapping goes to the encrypted vault under the conversation id, so later
turns reuse the same placeholders and ``reidentify`` can restore them in the
answer. The text as it was is kept on the context (``original_text``) for the
steps and providers allowed to see it. Only counts per label (never values)
reach the audit record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from govai.domain import PersonalData
from govai.pii.detector import get_detector
from govai.pii.operators import OperatorContext, anonymise, check_operator_config
from govai.pii.vault import Vault, derived_key, load_key
from govai.pipeline.context import Context
from govai.pipeline.step import steps

if TYPE_CHECKING:
    from govai.runtime import Services

FLAG = "personal_data"


class Pseudonymise:
    name = "pseudonymise"

    def __init__(self, open_vault: Callable[[], Vault], detector: dict[str, Any] | None = None,
                 operators: dict[str, str] | None = None) -> None:
        self._open_vault = open_vault
        self.detector = get_detector(detector)
        self.operators = {"default": "pseudonymise", **(operators or {})}
        check_operator_config(self.operators)

    @cached_property
    def vault(self) -> Vault:
        return self._open_vault()

    def __call__(self, ctx: Context) -> None:
        text = ctx.text
        ctx.original_text = text
        entities = self.detector.detect(text)
        counts = Counter(e.label for e in entities)
        ctx.pii_found = dict(counts)
        if not entities:
            ctx.personal_data = PersonalData.NONE
            ctx.record(self.name, found={})
            return
        hash_key = derived_key(load_key(), "hash") if "hash" in self.operators.values() else b""
        with self.vault.session(ctx.conversation_id) as mapping:
            result = anonymise(text, entities, self.operators, OperatorContext(mapping=mapping, hash_key=hash_key))
        ctx.text = result.text
        ctx.personal_data = PersonalData.FOUND
        ctx.flag(FLAG)
        ctx.record(self.name, found=dict(counts), operators=sorted({r.operator for r in result.replacements}))


@steps.register("pseudonymise")
def build(services: Services, options: dict[str, Any]) -> Pseudonymise:
    options = dict(options)
    kind = options.pop("vault", "database")
    services.check_vault_kind(kind)
    return Pseudonymise(lambda: services.vault(kind), **options)
