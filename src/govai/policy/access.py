"""Model access: the one way any step reaches a model provider.

Composition, LLM judges and remote embeddings all ask here. Each request for a
provider goes through every routing rule (classification, residency, on-premises,
training use, prompt retention, personal data, budget) for the request at hand,
and the decision, allowed or not, is recorded on the request for the audit trail.
A provider object is only ever handed out inside a ``Grant``, so a step that was
refused has nothing to call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from govai.domain import ModelCall, RoutedRequest, TextSent
from govai.policy.routing import Decision, Route, decide, text_for
from govai.policy.rules import Request, ServiceRules, reasons_against
from govai.providers.base import Provider
from govai.providers.config import Catalogue, ProviderSpec


@dataclass(frozen=True)
class Grant:
    """Permission to send one request's text to one provider, and the way to the provider."""

    spec: ProviderSpec
    text: TextSent  # which text it may be given
    open: Callable[[], Any]  # builds (once) and returns the provider; may raise
    fallback: bool = False

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def provider(self) -> Any:
        return self.open()


def request_of(req: RoutedRequest) -> Request:
    return Request(classification=req.classification, personal_data=req.personal_data)


class ModelAccess:
    """Routes every model call of one service through its policy.

    ``preferred`` are the service's composition providers in order; ``budget_exhausted``
    tells whether the service's spending limit is reached (read when a decision is made).
    """

    def __init__(
        self,
        catalogue: Catalogue,
        rules: ServiceRules,
        preferred: list[str],
        *,
        fallback_to_extractive: bool = True,
        budget_exhausted: Callable[[str], bool] | None = None,
        build: Callable[[ProviderSpec], Provider] | None = None,
    ) -> None:
        for name in preferred:
            catalogue.get(name)  # an unknown provider fails at start-up, not per request
        self.catalogue = catalogue
        self.rules = rules
        self.preferred = list(preferred)
        self.fallback_to_extractive = fallback_to_extractive
        self._budget_exhausted = budget_exhausted
        self._build = build
        self._providers: dict[str, Provider] = {}
        self._lock = threading.Lock()

    # --- decisions -------------------------------------------------------------
    def rules_now(self, service: str) -> ServiceRules:
        exhausted = self._budget_exhausted(service) if self._budget_exhausted else False
        if exhausted == self.rules.budget_exhausted:
            return self.rules
        return ServiceRules(**{**self.rules.__dict__, "budget_exhausted": exhausted})

    def plan(self, req: RoutedRequest) -> Decision:
        """Which of the service's composition providers may take this request, in order."""
        decision = decide(self.catalogue, self.preferred, request_of(req), self.rules_now(req.service),
                          fallback_to_extractive=self.fallback_to_extractive)
        for route in decision.chain:
            req.model_calls.append(ModelCall(purpose="compose", provider=route.provider, allowed=True, text=route.text))
        for name, reasons in decision.rejected.items():
            req.model_calls.append(ModelCall(purpose="compose", provider=name, allowed=False, reasons=reasons))
        return decision

    def composers(self, decision: Decision) -> list[Grant]:
        """Grants for the allowed chain of a decision this policy made, in order."""
        return [self._grant(self.catalogue.get(r.provider), r.text, r.fallback) for r in decision.chain]

    def grant(self, req: RoutedRequest, name: str, purpose: str) -> Grant | None:
        """May provider ``name`` take this request for ``purpose`` (e.g. an LLM judge)? None if not."""
        return self.grant_spec(req, self.catalogue.get(name), purpose)

    def grant_spec(self, req: RoutedRequest, spec: ProviderSpec, purpose: str,
                   build: Callable[[], Provider] | None = None) -> Grant | None:
        reasons = reasons_against(spec, request_of(req), self.rules_now(req.service))
        if reasons:
            req.model_calls.append(ModelCall(purpose=purpose, provider=spec.name, allowed=False, reasons=reasons))
            return None
        text = text_for(spec, req.personal_data)
        req.model_calls.append(ModelCall(purpose=purpose, provider=spec.name, allowed=True, text=text))
        return self._grant(spec, text, False, build)

    # --- providers ---------------------------------------------------------------
    def _grant(self, spec: ProviderSpec, text: TextSent, fallback: bool,
               build: Callable[[], Provider] | None = None) -> Grant:
        return Grant(spec, text, lambda: self._provider(spec, build), fallback)

    def _provider(self, spec: ProviderSpec, build: Callable[[], Provider] | None) -> Provider:
        with self._lock:
            if spec.name not in self._providers:
                if build is not None:
                    self._providers[spec.name] = build()
                else:
                    from govai.providers.registry import spec_provider

                    self._providers[spec.name] = (self._build or spec_provider)(spec)
            return self._providers[spec.name]


__all__ = ["Grant", "ModelAccess", "Route", "request_of"]
