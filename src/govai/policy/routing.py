"""The routing decision: which providers, in order, may take a request, and why not the others."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govai.domain import PersonalData, TextSent
from govai.policy.rules import Request, ServiceRules, reasons_against
from govai.providers.config import EXTRACTIVE, Catalogue, ProviderSpec


@dataclass(frozen=True)
class Route:
    provider: str
    text: TextSent
    fallback: bool = False  # added as the final offline fallback, not named by the service


@dataclass
class Decision:
    request: Request
    chain: list[Route] = field(default_factory=list)  # allowed, in preference order
    rejected: dict[str, dict[str, str]] = field(default_factory=dict)  # provider -> {rule: reason}

    @property
    def allowed(self) -> bool:
        return bool(self.chain)

    def rejected_only_by(self, rule: str) -> bool:
        """Were all providers turned away by this rule alone (e.g. the budget)?"""
        return bool(self.rejected) and all(set(r) == {rule} for r in self.rejected.values())

    @property
    def provider(self) -> str | None:
        return self.chain[0].provider if self.chain else None

    def explanation(self) -> str:
        """One line, safe to show and audit: names and reasons, never content."""
        cls = self.request.classification
        pd = {PersonalData.NONE: "", PersonalData.FOUND: " with personal data",
              PersonalData.UNCHECKED: " not screened for personal data"}[self.request.personal_data]
        if not self.chain:
            why = " | ".join(f"{p}: {'; '.join(r.values())}" for p, r in self.rejected.items())
            why = why or "no providers configured"
            return f"no provider may take a {cls} request{pd} ({why})"
        first = self.chain[0]
        text = f"{cls} request{pd} goes to {first.provider}"
        if first.text is TextSent.PSEUDONYMISED:
            text += " (pseudonymised)"
        if len(self.chain) > 1:
            text += f", then {', '.join(r.provider for r in self.chain[1:])} on failure"
        if self.rejected:
            text += "; not " + ", ".join(f"{p} ({'; '.join(r.values())})" for p, r in self.rejected.items())
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "classification": str(self.request.classification),
            "personal_data": str(self.request.personal_data),
            "provider": self.provider,
            "chain": [{"provider": r.provider, "text": str(r.text), "fallback": r.fallback} for r in self.chain],
            "rejected": self.rejected,
            "explanation": self.explanation(),
        }


def text_for(spec: ProviderSpec, personal_data: PersonalData) -> TextSent:
    """Which text a provider allowed to take a request is given."""
    if personal_data is PersonalData.NONE:
        return TextSent.AS_IS
    return TextSent.ORIGINAL if spec.personal_data else TextSent.PSEUDONYMISED


def decide(
    catalogue: Catalogue,
    preferred: list[str],
    request: Request,
    service: ServiceRules,
    *,
    fallback_to_extractive: bool = True,
) -> Decision:
    """Filter the service's providers through every rule, keeping their order.

    The offline extractive composer ends the chain as the last resort unless the
    service turns that off; it runs in-process, so it may take any request.
    """
    decision = Decision(request)
    names = list(dict.fromkeys(preferred))
    if fallback_to_extractive and EXTRACTIVE not in names and EXTRACTIVE in catalogue:
        names.append(EXTRACTIVE)
    for name in names:
        spec = catalogue.get(name)
        reasons = reasons_against(spec, request, service)
        if reasons:
            decision.rejected[name] = reasons
            continue
        decision.chain.append(Route(name, text_for(spec, request.personal_data), fallback=name not in preferred))
    return decision
