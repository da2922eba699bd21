"""What ``govai providers list|check`` reports: reachability and a policy summary."""

from __future__ import annotations

from typing import Any

from govai.errors import GovAIError
from govai.domain import Classification
from govai.policy.rules import Request, ServiceRules, reasons_against
from govai.providers.config import ProviderSpec


def check(spec: ProviderSpec) -> dict[str, Any]:
    """Can this provider be built and reached? Never raises; never shows secrets."""
    from govai.providers.registry import spec_provider

    try:
        provider = spec_provider(spec)
        probe = getattr(provider, "check", None)
        detail = probe() if callable(probe) else "in-process, nothing to reach"
    except GovAIError as exc:
        return {"provider": spec.name, "ok": False, "detail": str(exc)}
    except Exception as exc:  # a broken plugin must not break the listing
        return {"provider": spec.name, "ok": False, "detail": f"{type(exc).__name__}: {exc}"}
    return {"provider": spec.name, "ok": True, "detail": str(detail)}


def policy_summary(spec: ProviderSpec, rules: ServiceRules) -> dict[str, dict[str, str]]:
    """For each classification, with and without personal data: 'allowed', or why not."""
    out: dict[str, dict[str, str]] = {}
    for level in Classification:
        row = {}
        for personal in (False, True):
            reasons = reasons_against(spec, Request(level, personal), rules)
            key = "personal_data" if personal else "plain"
            if reasons:
                row[key] = "; ".join(reasons.values())
            elif personal and not spec.personal_data:
                row[key] = "allowed (pseudonymised)"
            else:
                row[key] = "allowed"
        out[str(level)] = row
    return out
