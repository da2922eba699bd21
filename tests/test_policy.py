"""Routing policy, table-driven: every classification x provider attribute x personal data,
under each kind of service setting. Expected verdicts are written out by hand.

Letters per classification (OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET), first
without personal data, then with it:
  Y allowed, text as is   O allowed, original text with personal data
  P allowed, pseudonymised text   N not allowed
"""

from __future__ import annotations

import pytest

from govai.domain import Classification
from govai.domain import TextSent
from govai.policy import PersonalDataMode, Request, ServiceRules, decide, reasons_against
from govai.providers.config import EXTRACTIVE_SPEC, Catalogue, ProviderSpec

LEVELS = list(Classification)

# A UK-hosted commercial model cleared for OFFICIAL; each archetype changes one thing.
BASE = dict(
    kind="openai_compatible", model="m", base_url="http://127.0.0.1:9/v1", jurisdiction="UK",
    hosting_region="UK South", max_classification="OFFICIAL", retains_prompts=False,
    trains_on_prompts=False, personal_data=False,
)
ARCHETYPES: dict[str, dict] = {
    "base": {},
    "us_hosted": {"jurisdiction": "US", "hosting_region": "US East"},
    "uk_law_eu_hosted": {"hosting_region": "EU West"},
    "trains": {"trains_on_prompts": True},
    "trains_cleared_os": {"trains_on_prompts": True, "max_classification": "OFFICIAL-SENSITIVE"},
    "retains": {"retains_prompts": True},
    "cleared_os": {"max_classification": "OFFICIAL-SENSITIVE"},
    "pd_approved": {"personal_data": True},
    "cleared_os_pd": {"max_classification": "OFFICIAL-SENSITIVE", "personal_data": True},
    "onprem": {"on_premises": True, "max_classification": "OFFICIAL-SENSITIVE", "hosting_region": "on-premises"},
    "onprem_accredited": {
        "on_premises": True, "accredited": True, "max_classification": "SECRET", "hosting_region": "on-premises",
    },
    "onprem_accredited_ts": {
        "on_premises": True, "accredited": True, "max_classification": "TOP SECRET",
        "hosting_region": "on-premises", "personal_data": True,
    },
    "paid": {"cost_per_1k_input_gbp": 0.002, "cost_per_1k_output_gbp": 0.008},
}


def spec(name: str) -> ProviderSpec:
    if name == "extractive":
        return EXTRACTIVE_SPEC
    return ProviderSpec.model_validate({**BASE, **ARCHETYPES[name], "name": name})


DEFAULT = {
    "base": "YNNN PNNN",
    "us_hosted": "YNNN PNNN",
    "uk_law_eu_hosted": "YNNN PNNN",
    "trains": "NNNN NNNN",
    "trains_cleared_os": "NNNN NNNN",
    "retains": "YNNN PNNN",
    "cleared_os": "YYNN PPNN",
    "pd_approved": "YNNN ONNN",
    "cleared_os_pd": "YYNN OONN",
    "onprem": "YYNN PPNN",
    "onprem_accredited": "YYYN PPPN",
    "onprem_accredited_ts": "YYYY OOOO",
    "paid": "YNNN PNNN",
    "extractive": "YYYY OOOO",
}

SERVICES: dict[str, tuple[ServiceRules, dict[str, str]]] = {
    "default": (ServiceRules(), {}),
    "uk_only": (ServiceRules(uk_only=True), {"us_hosted": "NNNN NNNN", "uk_law_eu_hosted": "NNNN NNNN"}),
    "approved_only": (
        ServiceRules(personal_data=PersonalDataMode.APPROVED_ONLY),
        {
            "base": "YNNN NNNN", "us_hosted": "YNNN NNNN", "uk_law_eu_hosted": "YNNN NNNN",
            "retains": "YNNN NNNN", "cleared_os": "YYNN NNNN", "onprem": "YYNN NNNN",
            "onprem_accredited": "YYYN NNNN", "paid": "YNNN NNNN",
        },
    ),
    "on_premises_only": (
        ServiceRules(on_premises_only=True),
        {n: "NNNN NNNN" for n in ARCHETYPES if not ARCHETYPES[n].get("on_premises")},
    ),
    "no_retention": (ServiceRules(allow_prompt_retention=False), {"retains": "NNNN NNNN"}),
    "allow_training": (
        ServiceRules(allow_training_use=True), {"trains": "YNNN NNNN", "trains_cleared_os": "YNNN NNNN"}
    ),
    "budget_exhausted": (ServiceRules(budget_exhausted=True), {"paid": "NNNN NNNN"}),
}

CASES = [
    pytest.param(service, provider, level, personal, id=f"{service}-{provider}-{level}-{'pd' if personal else 'plain'}")
    for service in SERVICES
    for provider in DEFAULT
    for level in LEVELS
    for personal in (False, True)
]


def expected(service: str, provider: str, level: Classification, personal: bool) -> str:
    table = {**DEFAULT, **SERVICES[service][1]}
    plain, with_pd = table[provider].split()
    return (with_pd if personal else plain)[level.rank]


@pytest.mark.parametrize(("service", "provider", "level", "personal"), CASES)
def test_routing_table(service: str, provider: str, level: Classification, personal: bool) -> None:
    rules = SERVICES[service][0]
    want = expected(service, provider, level, personal)
    catalogue = Catalogue({"extractive": EXTRACTIVE_SPEC, provider: spec(provider)})
    decision = decide(catalogue, [provider], Request(level, personal), rules, fallback_to_extractive=False)
    if want == "N":
        assert not decision.allowed
        assert decision.rejected[provider], "a refusal always has a reason"
        assert provider in decision.explanation()
        return
    assert decision.provider == provider, decision.rejected
    text = decision.chain[0].text
    assert text is {"Y": TextSent.AS_IS, "O": TextSent.ORIGINAL, "P": TextSent.PSEUDONYMISED}[want]


def test_every_archetype_differs_from_base_in_one_thing() -> None:
    # Keeps the table honest: each row tests one attribute.
    for name, change in ARCHETYPES.items():
        assert name == "base" or change, name


@pytest.mark.parametrize("level", [Classification.SECRET, Classification.TOP_SECRET])
def test_secret_never_to_cloud_even_when_misdeclared(level: Classification) -> None:
    # A cloud entry cannot claim SECRET clearance: the file is rejected at load.
    with pytest.raises(ValueError, match="on_premises: true and accredited: true"):
        ProviderSpec.model_validate({**BASE, "name": "x", "max_classification": str(level)})


def test_reasons_name_the_rule_not_the_content() -> None:
    reasons = reasons_against(spec("us_hosted"), Request(Classification.SECRET, True), ServiceRules(uk_only=True))
    assert set(reasons) == {"classification", "secret_on_premises", "uk_only"}
    assert "SECRET" in reasons["secret_on_premises"]
    assert "US" in reasons["uk_only"]


def test_chain_keeps_service_order_and_ends_with_extractive() -> None:
    catalogue = Catalogue({n: spec(n) for n in ("base", "cleared_os_pd", "us_hosted", "extractive")})
    decision = decide(catalogue, ["us_hosted", "base", "cleared_os_pd"], Request(), ServiceRules(uk_only=True))
    assert [r.provider for r in decision.chain] == ["base", "cleared_os_pd", "extractive"]
    assert decision.chain[-1].fallback and not decision.chain[0].fallback
    assert list(decision.rejected) == ["us_hosted"]
    text = decision.explanation()
    assert text.startswith("OFFICIAL request goes to base, then cleared_os_pd, extractive on failure")
    assert "us_hosted (service is UK-only" in text


def test_secret_is_refused_without_an_accredited_provider() -> None:
    catalogue = Catalogue({n: spec(n) for n in ("base", "onprem", "extractive")})
    decision = decide(catalogue, ["base", "onprem"], Request(Classification.SECRET), ServiceRules(),
                      fallback_to_extractive=False)
    assert not decision.allowed
    assert decision.explanation().startswith("no provider may take a SECRET request")
    # With the offline composer as the last resort, SECRET stays on-premises.
    decision = decide(catalogue, ["base", "onprem"], Request(Classification.SECRET), ServiceRules())
    assert decision.provider == "extractive"


def test_budget_refusal_is_recognised() -> None:
    catalogue = Catalogue({n: spec(n) for n in ("paid", "extractive")})
    decision = decide(catalogue, ["paid"], Request(), ServiceRules(budget_exhausted=True), fallback_to_extractive=False)
    assert decision.rejected_only_by("budget")
    decision = decide(catalogue, ["paid"], Request(), ServiceRules(budget_exhausted=True))
    assert decision.provider == "extractive"
