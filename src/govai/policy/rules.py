"""Routing rules: may this request go to this provider? Each rule answers with a
reason when it may not. Every rule always applies; a deployment may add rules.

The rules follow the Government Security Classifications and departmental
practice: OFFICIAL may go to commercial models; OFFICIAL-SENSITIVE only to
providers cleared for it; SECRET and above never to a cloud model, only to an
accredited on-premises one; UK-only residency is the service's choice; personal
data goes un-pseudonymised only to providers approved for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from govai.domain import Classification, PersonalData
from govai.providers.config import ProviderSpec
from govai.registry import Registry


class PersonalDataMode(StrEnum):
    PSEUDONYMISE = "pseudonymise"  # unapproved providers get the pseudonymised text
    APPROVED_ONLY = "approved_only"  # unapproved providers get nothing when personal data is present


@dataclass(frozen=True)
class Request:
    """What routing needs to know about a request (never its content).

    ``personal_data`` accepts a bool for convenience (True: found and pseudonymised).
    A request whose personal data was never screened is treated as holding it in clear.
    """

    classification: Classification = Classification.OFFICIAL
    personal_data: PersonalData = PersonalData.NONE

    def __post_init__(self) -> None:
        if isinstance(self.personal_data, bool):
            object.__setattr__(self, "personal_data", PersonalData.FOUND if self.personal_data else PersonalData.NONE)

    @property
    def may_hold_personal_data(self) -> bool:
        return self.personal_data is not PersonalData.NONE


@dataclass(frozen=True)
class ServiceRules:
    """The service's routing settings, from its profile."""

    uk_only: bool = False
    on_premises_only: bool = False
    personal_data: PersonalDataMode = PersonalDataMode.PSEUDONYMISE
    allow_prompt_retention: bool = True
    allow_training_use: bool = False
    budget_exhausted: bool = False


Rule = Callable[[ProviderSpec, Request, ServiceRules], str | None]

_RANK = {level: level.rank for level in Classification}
rules: Registry[Rule] = Registry("routing rule")


@rules.register("classification")
def classification_ceiling(spec: ProviderSpec, req: Request, svc: ServiceRules) -> str | None:
    if _RANK[req.classification] > _RANK[spec.max_classification]:
        return f"cleared only up to {spec.max_classification}, request is {req.classification}"
    return None


@rules.register("secret_on_premises")
def secret_on_premises(spec: ProviderSpec, req: Request, svc: ServiceRules) -> str | None:
    if _RANK[req.classification] >= _RANK[Classification.SECRET] and not (spec.on_premises and spec.accredited):
        return f"{req.classification} goes only to an accredited on-premises provider"
    return None


@rules.register("uk_only")
def uk_only(spec: ProviderSpec, req: Request, svc: ServiceRules) -> str | None:
    if svc.uk_only and not spec.uk_hosted:
        return (
            f"service is UK-only, and the provider is under {spec.jurisdiction} jurisdiction, "
            f"hosted in {spec.hosting_region}"
        )
    return None


@rules.register("on_premises_only")
def on_premises_only(spec: ProviderSpec, req: Request, svc: ServiceRules) -> str | None:
    if svc.on_premises_only and not spec.on_premises:
        return "service is on-premises only; provider is a hosted service"
    return None


@rules.register("training_use")
def training_use(spec: ProviderSpec, req: Request, svc: ServiceRules) -> str | None:
    if not spec.trains_on_prompts:
        return None
    if req.may_hold_personal_data:
        return "may train on prompts, and the request holds personal data"
    if _RANK[req.classification] >= _RANK[Classification.OFFICIAL_SENSITIVE]:
        return f"may train on prompts, and the request is {req.classification}"
    if not svc.allow_training_use:
        return "may train on prompts, which the service does not allow"
    return None


@rules.register("prompt_retention")
def prompt_retention(spec: ProviderSpec, req: Request, svc: ServiceRules) -> str | None:
    if spec.retains_prompts and not svc.allow_prompt_retention:
        return "retains prompts, which the service does not allow"
    return None


@rules.register("personal_data")
def personal_data(spec: ProviderSpec, req: Request, svc: ServiceRules) -> str | None:
    if spec.personal_data:
        return None
    if req.personal_data is PersonalData.UNCHECKED:
        return "not approved for personal data, and the service does not pseudonymise (personal data may be in clear)"
    if req.personal_data is PersonalData.FOUND and svc.personal_data is PersonalDataMode.APPROVED_ONLY:
        return "not approved for personal data, and the service sends it only to approved providers"
    return None


@rules.register("budget")
def budget(spec: ProviderSpec, req: Request, svc: ServiceRules) -> str | None:
    if svc.budget_exhausted and spec.paid:
        return "the service's spending budget is used up"
    return None


def reasons_against(spec: ProviderSpec, req: Request, svc: ServiceRules) -> dict[str, str]:
    """Every rule this provider fails for this request, with its reason (empty: allowed)."""
    return {name: reason for name, rule in rules.items() if (reason := rule(spec, req, svc))}
