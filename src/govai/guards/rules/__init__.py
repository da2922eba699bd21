"""The fast rules layer: multilingual trigger patterns that combine concepts.

One module per rule family holds the family's lexicon next to the rules that use it;
``base`` holds what they are built on. Lexicon entries are regular-expression
alternations, in the languages people in the UK write in. English entries carry
their own word boundaries; entries for scripts written without spaces (Chinese,
Japanese) do not. Keep them *specific*: a bare word such as "ignore" or "kill" is
never enough on its own — rules combine concepts (verb + target, verb + qualifier
+ noun) so that "what happens if I ignore a court summons?" or "how do I kill off
my road tax direct debit?" stay allowed.

Rules are registered here by name in ``prompt_rules`` / ``document_rules`` so a
service profile can switch individual rules off.
"""

from __future__ import annotations

from govai.guards.rules import (
    encoded,
    fraud,
    harm,
    hate,
    injection,
    multilingual_harm,
    override,
    persona,
    personal_data,
    self_harm,
    system_prompt,
)
from govai.guards.rules.base import Hit, Rule, combine, document_rules, prompt_rules, run_rules
from govai.registry import Registry

__all__ = ["Hit", "Rule", "combine", "document_rules", "prompt_rules", "run_rules"]


def _register(registry: Registry[Rule], rules: tuple[Rule, ...]) -> None:
    for rule in rules:
        registry.add(rule.name, rule)


# Rules are registered in the order they always were; Registry.items() sorts them by name, so
# neither which rules run nor the order of their reasons depends on it.
_register(prompt_rules, (
    *override.PROMPT_RULES,
    *persona.PROMPT_RULES,
    *encoded.PROMPT_RULES,
    *system_prompt.PROMPT_RULES,
    *harm.PROMPT_RULES,
    *hate.PROMPT_RULES,
    *self_harm.PROMPT_RULES,
    *multilingual_harm.PROMPT_RULES,
    *fraud.PROMPT_RULES,
    *personal_data.PROMPT_RULES,
))
_register(document_rules, (
    *override.DOCUMENT_RULES,
    *persona.DOCUMENT_RULES,
    *system_prompt.DOCUMENT_RULES,
    *injection.DOCUMENT_RULES,
    *encoded.DOCUMENT_RULES,
))
