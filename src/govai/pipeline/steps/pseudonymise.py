"""pseudonymise: replace personal data in the working text with stable typed placeholders.

The mapping goes to the encrypted vault under the conversation id, so later
turns reuse the same placeholders and ``reidentify`` can restore them in the
answer. Only counts per label (never values) reach the audit record.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from typing import Any

from govai.errors import ConfigError
from govai.pii.detector import get_detector
from govai.pii.operators import OperatorContext, anonymise, check_operator_config
from govai.pii.vault import DatabaseVault, MemoryVault, Vault, derived_key, load_key
from govai.pipeline.context import Context
from govai.pipeline.step import steps

FLAG = "personal_data"


def build_vault(runtime: Any, kind: str) -> Vault:
    if kind == "database":
        return DatabaseVault(runtime.db)
    if kind == "memory":
        return MemoryVault()
    raise ConfigError(f"unknown PII vault {kind!r}: use 'database' or 'memory'")


class Pseudonymise:
    name = "pseudonymise"

    def __init__(self, runtime: Any, detector: dict[str, Any] | None = None,
                 operators: dict[str, str] | None = None, vault: str = "database") -> None:
        self._runtime = runtime
        self._vault_kind = vault
        self.detector = get_detector(detector)
        self.operators = {"default": "pseudonymise", **(operators or {})}
        check_operator_config(self.operators)

    @cached_property
    def vault(self) -> Vault:
        return vault_for(self._runtime, self._vault_kind)

    def __call__(self, ctx: Context) -> None:
        text = ctx.text
        ctx.state["pii_original_text"] = text
        entities = self.detector.detect(text)
        counts = Counter(e.label for e in entities)
        ctx.state["pii"] = dict(counts)
        if not entities:
            ctx.record(self.name, found={})
            return
        hash_key = derived_key(load_key(), "hash") if "hash" in self.operators.values() else b""
        with self.vault.session(ctx.conversation_id) as mapping:
            result = anonymise(text, entities, self.operators, OperatorContext(mapping=mapping, hash_key=hash_key))
        ctx.text = result.text
        if FLAG not in ctx.flags:
            ctx.flags.append(FLAG)
        ctx.record(self.name, found=dict(counts), operators=sorted({r.operator for r in result.replacements}))


def vault_for(runtime: Any, kind: str = "database") -> Vault:
    """One vault per runtime and kind, shared by pseudonymise and reidentify."""
    vaults = runtime.__dict__.setdefault("_pii_vaults", {})
    if kind not in vaults:
        vaults[kind] = build_vault(runtime, kind)
    return vaults[kind]


@steps.register("pseudonymise")
def build(runtime: Any, options: dict[str, Any]) -> Pseudonymise:
    return Pseudonymise(runtime, **options)
