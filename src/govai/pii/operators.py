"""What to put in place of each entity: redact, mask, hash or pseudonymise.

Operators are registered by name and chosen per label, e.g.
``{"NINO": "mask", "PERSON": "pseudonymise", "default": "redact"}``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from govai.errors import ConfigError
from govai.pii.entities import Entity
from govai.pii.placeholders import PlaceholderMap, canonical
from govai.registry import Registry


@dataclass
class OperatorContext:
    mapping: PlaceholderMap | None = None  # for pseudonymise
    hash_key: bytes = b""  # for hash: a secret, so hashes cannot be reversed by guessing values
    mask_char: str = "*"


Operator = Callable[[str, str, OperatorContext], str]
operators: Registry[Operator] = Registry("PII operator")

# Identifiers keep their last characters when masked ("*******919"): enough to confirm, not to use.
_MASK_KEEP = {"PHONE_UK": 3, "NHS_NUMBER": 3, "ACCOUNT_NUMBER": 2, "NINO": 1, "IBAN_GB": 2, "EMAIL": 0}


@operators.register("redact")
def redact(value: str, label: str, ctx: OperatorContext) -> str:
    return f"[{label}]"


@operators.register("mask")
def mask(value: str, label: str, ctx: OperatorContext) -> str:
    keep = _MASK_KEEP.get(label, 0)
    alnum = [i for i, ch in enumerate(value) if ch.isalnum()]
    visible = set(alnum[len(alnum) - keep :]) if keep else set()
    return "".join(ch if (not ch.isalnum() or i in visible) else ctx.mask_char for i, ch in enumerate(value))


@operators.register("hash")
def hash_(value: str, label: str, ctx: OperatorContext) -> str:
    if not ctx.hash_key:
        raise ConfigError("the hash operator needs a key: set GOVAI_VAULT_KEY or GOVAI_VAULT_KEY_FILE")
    digest = hmac.new(ctx.hash_key, f"{label}\x1f{canonical(label, value)}".encode(), hashlib.sha256).hexdigest()
    return f"[{label}:{digest[:12]}]"


@operators.register("pseudonymise")
def pseudonymise(value: str, label: str, ctx: OperatorContext) -> str:
    if ctx.mapping is None:
        raise ConfigError("the pseudonymise operator needs a placeholder map (a vault session)")
    return ctx.mapping.placeholder_for(label, value)


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    label: str
    operator: str
    replacement: str


@dataclass(frozen=True)
class Anonymised:
    text: str
    replacements: list[Replacement]


def check_operator_config(config: Mapping[str, str]) -> None:
    for name in config.values():
        operators.get(name)  # raises ConfigError naming the known operators


def anonymise(
    text: str,
    entities: Sequence[Entity],
    config: Mapping[str, str] | None = None,
    ctx: OperatorContext | None = None,
) -> Anonymised:
    """Replace each entity by its label's operator (``config["default"]`` otherwise, else redact)."""
    config = dict(config or {})
    check_operator_config(config)
    ctx = ctx or OperatorContext()
    default = config.get("default", "redact")
    parts: list[str] = []
    done: list[Replacement] = []
    pos = 0
    for e in sorted(entities, key=lambda e: e.start):
        if e.start < pos:
            continue  # overlapping input: the first one wins
        name = config.get(e.label, default)
        replacement = operators.get(name)(text[e.start : e.end], e.label, ctx)
        parts.append(text[pos : e.start])
        parts.append(replacement)
        done.append(Replacement(e.start, e.end, e.label, name, replacement))
        pos = e.end
    parts.append(text[pos:])
    return Anonymised("".join(parts), done)
