"""The AI Playbook for the UK Government (GDS, February 2025) self-assessment of one service.

Each of the ten principles gets the evidence GovAI can show from the running configuration and
the latest evaluation, plus what the team declares in ``assurance.playbook``, and a status:
``evidenced`` (the evidence covers it), ``partial`` (some evidence, a gap named) or ``gap``
(nothing to show). The status is a prompt for the assurance board, not a certificate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govai.profiles import ServiceProfile

PRINCIPLES = {
    1: "You know what AI is and what its limitations are",
    2: "You use AI lawfully, ethically and responsibly",
    3: "You know how to use AI securely",
    4: "You have meaningful human control at the right stage",
    5: "You understand how to manage the AI life cycle",
    6: "You use the right tool for the job",
    7: "You are open and collaborative",
    8: "You work with commercial colleagues from the start",
    9: "You have the skills and expertise needed to implement and use AI",
    10: "You use these principles alongside your organisation's policies and have the right assurance in place",
}


def _fig(run: dict[str, Any] | None, suite: str, name: str) -> float | None:
    if not run:
        return None
    return run.get("results", {}).get("suites", {}).get(suite, {}).get("figures", {}).get(name)


def _pct(value: float | None) -> str:
    return "not measured" if value is None else f"{100 * value:.1f}%"


def assess(profile: ServiceProfile, run: dict[str, Any] | None, gate: dict[str, Any] | None,
           atrs_missing: list[str] | None = None) -> list[dict[str, Any]]:
    """One entry per principle: number, title, status, evidence (list), gaps (list)."""
    steps = [s.name for s in profile.steps]
    a = profile.assurance
    declared = a.atrs
    out = []

    def add(n: int, evidence: list[str], gaps: list[str]) -> None:
        extra = a.playbook.get(str(n))
        if extra:
            evidence.append(f"Team: {extra}")
        status = "gap" if not evidence else ("partial" if gaps else "evidenced")
        out.append({"principle": n, "title": PRINCIPLES[n], "status": status, "evidence": evidence, "gaps": gaps})

    # 1. Limitations known and measured.
    ev, gaps = [], []
    if run:
        ev.append(f"Evaluated {run.get('finished_at', '')[:10]}: key-fact accuracy "
                  f"{_pct(_fig(run, 'answer_quality', 'key_fact_accuracy'))}, abstention on unanswerable questions "
                  f"{_pct(_fig(run, 'answer_quality', 'abstention_on_unanswerable'))}, Welsh recall@5 "
                  f"{_pct(_fig(run, 'robustness', 'welsh.recall@5'))}; worst failures are listed in the report")
    else:
        gaps.append("no evaluation run: limitations are not measured")
    if "check_evidence" in steps:
        ev.append("Abstains with signposting when the guidance does not answer (check_evidence)")
    add(1, ev, gaps)

    # 2. Lawful, ethical, responsible.
    ev, gaps = [], []
    if "pseudonymise" in steps:
        ev.append(f"Personal data pseudonymised before any provider ({profile.routing.personal_data} routing)")
    else:
        gaps.append("pseudonymisation waived: " + profile.waived_safeguards.get("pseudonymise", ""))
    dpia = [i for i in declared.impact_assessments if "data protection" in i.name.lower() or "dpia" in i.name.lower()]
    (ev if dpia else gaps).append("DPIA declared: " + dpia[0].name if dpia else
                                  "no DPIA declared in assurance.atrs.impact_assessments (UK GDPR art. 35)")
    consistency = _fig(run, "fairness", "consistency")
    if consistency is not None:
        ev.append(f"Fairness: {_pct(consistency)} of question pairs differing only in a protected characteristic "
                  "get answers of the same substance")
    else:
        gaps.append("fairness not evaluated")
    eqia = [i for i in declared.impact_assessments if "equality" in i.name.lower()]
    if not eqia:
        gaps.append("no equality impact assessment declared")
    add(2, ev, gaps)

    # 3. Security.
    ev, gaps = [], []
    for step, what in (("screen_input", "prompt-attack guard"), ("screen_sources", "indirect-injection guard"),
                       ("check_output", "output checks")):
        (ev if step in steps else gaps).append(f"{what} ({step})" if step in steps else f"no {what} ({step})")
    recall, inj = _fig(run, "safety", "attack_recall"), _fig(run, "safety", "injection_recall")
    if recall is not None:
        ev.append(f"Attack recall {_pct(recall)}, injection recall {_pct(inj)}, false refusals "
                  f"{_pct(_fig(run, 'safety', 'citizen_false_refusal'))}")
    ev.append(f"Classification {profile.classification} by default; UK-only {'on' if profile.uk_only else 'off'}; "
              "every model call decided by model access and audited")
    ev.append("Asset inventory with SHA-256 hashes of models, prompts, datasets and the knowledge base")
    add(3, ev, gaps)

    # 4. Human control.
    ev, gaps = [], []
    if profile.review:
        ev += [f"Review rule {r.name}: {r.action} ({', '.join(r.detect) or 'patterns'})"
               + (f", reviewer {r.reviewer}" if r.reviewer else "") for r in profile.review]
    else:
        gaps.append("no human-review rules: answers are never held or flagged for a person")
    if profile.responsible:
        ev.append(f"Responsible person: {profile.responsible.name} ({profile.responsible.role})")
    else:
        gaps.append("no responsible person named (profile.responsible)")
    add(4, ev, gaps)

    # 5. Life cycle.
    ev, gaps = [], []
    if gate:
        (ev if gate.get("passed") else gaps).append(
            f"Release gate: {gate.get('status')}" + ("" if gate.get("passed") else
                                                     " — " + "; ".join((gate.get("problems") or [])[:2])))
    ev.append(f"Lifecycle phase: {a.phase}; configuration fingerprint recorded with every evaluation")
    ev.append(f"Audit retention {profile.retention.audit_days} days; conversations {profile.retention.conversation_days}"
              " days; erasure on request (govai pii erase)")
    if not declared.maintenance:
        gaps.append("maintenance not declared (assurance.atrs.maintenance)")
    add(5, ev, gaps)

    # 6. Right tool.
    ev, gaps = [], []
    ev.append("Answers only from the service's knowledge base, with citations; providers: " + ", ".join(profile.providers))
    if declared.alternatives_considered:
        ev.append(f"Alternatives considered: {declared.alternatives_considered}")
    else:
        gaps.append("alternatives considered not declared")
    if declared.benefit:
        ev.append(f"Benefit: {declared.benefit}")
    else:
        gaps.append("benefit not declared")
    add(6, ev, gaps)

    # 7. Open and collaborative.
    ev, gaps = [], []
    if atrs_missing is None:
        gaps.append("ATRS record not generated")
    elif atrs_missing:
        gaps.append(f"ATRS record not publishable: {len(atrs_missing)} required field(s) missing")
        ev.append("ATRS record generated from configuration (govai atrs)")
    else:
        ev.append("ATRS record complete and publishable (govai atrs)")
    add(7, ev, gaps)

    # 8. Commercial.
    ev, gaps = [], []
    from govai.providers.config import load_catalogue

    catalogue = load_catalogue(profile.providers_file)
    external = [n for n in profile.providers if n in catalogue and not catalogue.get(n).on_premises]
    suppliers = {s.provider for s in declared.suppliers if s.provider}
    if not external:
        ev.append("No third-party model provider: composition runs on GovAI's own infrastructure")
    for name in external:
        if name in suppliers:
            s = next(s for s in declared.suppliers if s.provider == name)
            ev.append(f"{name}: supplier {s.name}, procurement route {s.procurement_route or 'not stated'}")
        else:
            gaps.append(f"provider {name} has no supplier declared (assurance.atrs.suppliers)")
    add(8, ev, gaps)

    # 9. Skills.
    ev, gaps = [], []
    if declared.required_training:
        ev.append(f"Training required: {declared.required_training}")
    else:
        gaps.append("training for staff using the tool not declared (assurance.atrs.required_training)")
    if declared.team:
        ev.append(f"Team: {declared.team}")
    add(9, ev, gaps)

    # 10. Assurance in place.
    ev, gaps = [], []
    if "audit" in steps:
        ev.append("Every decision recorded in the hash-chained audit trail")
    else:
        gaps.append("audit waived: " + profile.waived_safeguards.get("audit", ""))
    if run:
        ev.append(f"Evaluation run {run.get('id')} on Inspect; logs open in inspect view")
    if gate and gate.get("passed"):
        ev.append("Release gate passes on the current configuration")
    elif gate:
        gaps.append("release gate does not pass")
    if not declared.impact_assessments:
        gaps.append("no impact assessments declared")
    add(10, ev, gaps)
    return out
