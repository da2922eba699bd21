"""GovAI guardrails: input screening, source (indirect injection) screening,
scope routing and output checks. See docs/guardrails.md."""

from govai.guards.engine import (
    GuardResult,
    LayerVerdict,
    Screen,
    check_document,
    check_prompt,
    guard_layers,
)

__all__ = ["GuardResult", "LayerVerdict", "Screen", "check_document", "check_prompt", "guard_layers"]
