"""The Algorithmic Transparency Recording Standard (ATRS) record of one service.

Tier 1 and every Tier 2 section, with the headings published records use (GOV.UK's ATRS
records, e.g. GOV.UK Chat's): owner and responsibility (third parties included), description
and rationale, decision-making process (human review and appeals included), tool
specification (models with their measured performance, datasets), and risks, mitigations and
impact assessments; plus the GOV.UK finder metadata and the record's versions and dates.

Each field says where its value came from: the service profile, the provider registry, the
knowledge-base inventory, the latest evaluation run, or what the team declared in
``assurance.atrs`` (for what configuration cannot know: benefit, previous process, DPIA...).
A required field left empty blocks publication: ``govai atrs`` lists what is missing and
exits 1 unless ``--draft``. No machine-readable schema of the current template (v3+) is
published, so these headings are the target, not a validated schema.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from govai.assurance.schema import ATRSDeclared

if TYPE_CHECKING:
    from govai.profiles import ServiceProfile

ATRS_VERSION = "3.0"  # the template generation these headings follow (see the module docstring)
PHASES = {"pre-deployment": "Pre-deployment", "beta": "Beta/pilot", "pilot": "Beta/pilot",
          "production": "Production", "retired": "Retired"}

STEP_WORDS = {
    "normalise": "cleans the question (hidden characters, look-alike letters, length limit)",
    "security_marking": "raises the request's security classification to any protective marking in it",
    "pseudonymise": "replaces personal data with placeholders before any model sees it",
    "screen_input": "screens the question for prompt attacks and requests for other people's data",
    "scope": "routes greetings, out-of-scope, account and crisis questions to fixed replies (crisis: help at once)",
    "route": "decides which model providers may take the request under the routing policy",
    "retrieve": "finds the most relevant passages of the official guidance (lexical and semantic search)",
    "screen_sources": "drops retrieved passages that carry injected instructions",
    "check_evidence": "abstains, with signposting, when the guidance does not answer",
    "compose": "writes a cited answer from the passages with the first allowed provider",
    "reidentify": "puts the user's own details back into the answer",
    "check_output": "checks every sentence is supported by its cited source and that the answer holds no "
                    "personal data, persuasion or illegal advice",
    "check_citations": "checks every citation points at a retrieved passage",
    "review": "applies the human-review rules and adds the service's notices",
    "audit": "records the decision in a hash-chained audit trail",
}


@dataclass
class Field:
    key: str
    label: str
    value: Any
    source: str
    required: bool = True

    @property
    def missing(self) -> bool:
        return self.required and (self.value in (None, "", [], {}))

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": self.value, "source": self.source,
                "required": self.required, "missing": self.missing}


@dataclass
class Section:
    key: str
    title: str
    fields: list[Field] = field(default_factory=list)

    def add(self, key: str, label: str, value: Any, source: str, required: bool = True) -> None:
        self.fields.append(Field(key, label, value, source, required))


@dataclass
class Record:
    service: str
    sections: list[Section]

    @property
    def missing(self) -> list[str]:
        return [f"{s.title} › {f.label} ({f.source})" for s in self.sections for f in s.fields if f.missing]

    @property
    def publishable(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict[str, Any]:
        return {"service": self.service, "atrs_version": ATRS_VERSION, "publishable": self.publishable,
                "missing": self.missing,
                "sections": [{"key": s.key, "title": s.title, "fields": [f.as_dict() for f in s.fields]}
                             for s in self.sections]}


def _declared(value: str, fallback: str = "") -> str:
    return (value or fallback).strip()


def _d(field_name: str) -> str:
    return f"declared: assurance.atrs.{field_name}"


def build(profile: ServiceProfile, *, kb: dict[str, Any] | None, run: dict[str, Any] | None,
          tenant_name: str | None = None, models: list[dict[str, Any]] | None = None) -> Record:
    """The record from the profile, the provider registry, the knowledge-base inventory (``kb``),
    the latest evaluation run (``run``, as stored) and the declared fields."""
    from govai.providers.config import load_catalogue

    d: ATRSDeclared = profile.assurance.atrs
    steps = [s.name for s in profile.steps]
    catalogue = load_catalogue(profile.providers_file)
    responsible = profile.responsible
    sections = []

    t1 = Section("tier1", "Tier 1: summary")
    t1.add("name", "Name", profile.title, "profile: title")
    t1.add("description", "Description", profile.description, "profile: description")
    t1.add("website_url", "Website URL", d.website_url, _d("website_url"))
    contact = _declared(d.contact_email, responsible.contact if responsible else "")
    t1.add("contact_email", "Contact email", contact, _d("contact_email") + " or profile: responsible.contact")
    sections.append(t1)

    # §1 Owner and responsibility.
    s1 = Section("owner_and_responsibility", "Tier 2 §1: Owner and responsibility")
    s1.add("organisation", "Organisation or department", _declared(d.organisation, tenant_name or ""),
           _d("organisation") + " or the tenant's name")
    s1.add("team", "Team", d.team, _d("team"))
    sro = _declared(d.senior_responsible_owner,
                    f"{responsible.name} ({responsible.role})" if responsible and responsible.role else
                    (responsible.name if responsible else ""))
    s1.add("senior_responsible_owner", "Senior responsible owner", sro,
           _d("senior_responsible_owner") + " or profile: responsible")
    suppliers = []
    declared_by_provider = {s.provider: s for s in d.suppliers if s.provider}
    for name in dict.fromkeys(profile.providers):
        if name not in catalogue:
            continue
        spec = catalogue.get(name)
        if spec.kind in ("extractive", "in_process") or spec.on_premises:
            continue
        s = declared_by_provider.get(name)
        suppliers.append({
            "provider": name, "supplier": s.name if s else "", "companies_house_number": s.companies_house_number if s
            else "", "role": (s.role if s and s.role else f"model provider ({spec.kind}, {spec.model or spec.deployment})"),
            "procurement_route": s.procurement_route if s else "",
            "data_access_terms": (s.data_access_terms if s and s.data_access_terms else
                                  f"prompts processed in {spec.hosting_region} ({spec.jurisdiction} jurisdiction); "
                                  f"retains prompts: {'yes' if spec.retains_prompts else 'no'}; trains on prompts: "
                                  f"{'yes' if spec.trains_on_prompts else 'no'}; personal data: "
                                  f"{'approved' if spec.personal_data else 'pseudonymised first'}"),
            "source": "provider registry" + (" + declared" if s else ""),
        })
    for s in d.suppliers:
        if not s.provider:
            suppliers.append({"provider": None, **s.model_dump(exclude={"provider"}), "source": "declared"})
    s1.add("third_parties", "Third-party involvement", suppliers or "None: the service uses no external model "
           "supplier (GovAI's own offline composer and an open-source embedding model shipped with it)",
           "provider registry + " + _d("suppliers"))
    missing_supplier_facts = [s["provider"] for s in suppliers if s.get("provider") and not
                              (s["supplier"] and s["procurement_route"])]
    s1.add("third_party_details", "Supplier name and procurement route for every external provider",
           "" if missing_supplier_facts else "complete", _d("suppliers") +
           (f" (missing for {', '.join(missing_supplier_facts)})" if missing_supplier_facts else ""))
    sections.append(s1)

    # §2 Description and rationale.
    s2 = Section("description_and_rationale", "Tier 2 §2: Description and rationale")
    generated = (f"{profile.title} answers questions from {kb['documents']} documents of official guidance "
                 f"({', '.join(f'{n} from {h}' for h, n in list(kb.get('sources', {}).items())[:4])}), quoting or "
                 "summarising them with a citation for every sentence. It says so when the guidance does not answer, "
                 "refuses what it must, and records every decision." if kb and not kb.get("missing") else "")
    s2.add("detailed_description", "Detailed description", " ".join(x for x in (d.detailed_description, generated) if x),
           _d("detailed_description") + " + knowledge-base inventory")
    s2.add("scope", "Scope", d.scope, _d("scope"))
    s2.add("benefit", "Benefit", d.benefit, _d("benefit"))
    s2.add("previous_process", "Previous process", d.previous_process, _d("previous_process"))
    s2.add("alternatives_considered", "Alternatives considered", d.alternatives_considered,
           _d("alternatives_considered"))
    sections.append(s2)

    # §3 Decision-making process.
    s3 = Section("decision_making_process", "Tier 2 §3: Decision-making process")
    s3.add("process_integration", "How it fits the process",
           _declared(d.process_integration, "The assistant gives information from published guidance. It makes no "
                                            "decision about a person: entitlement and casework decisions stay with "
                                            "the department's staff."),
           _d("process_integration") + " (default wording)")
    info = ["an answer quoted or summarised from the guidance, each sentence with a link to its source"]
    if "check_evidence" in steps:
        info.append("a plain statement, with signposting, when the guidance does not answer")
    if profile.notices:
        info.append("these notices with every answer: " + " / ".join(profile.notices))
    s3.add("information_to_users", "Information given to users", "; ".join(info), "profile: steps, notices")
    s3.add("frequency_and_scale", "Frequency and scale of use", d.frequency_and_scale, _d("frequency_and_scale"))
    review = [f"rule {r.name}: {'answers withheld until signed off' if r.action == 'hold' else 'answers flagged'}"
              f" when {', '.join(r.detect) or 'its patterns match'}" + (f" (reviewer: {r.reviewer})" if r.reviewer
                                                                       else "") for r in profile.review]
    human = "; ".join(review) if review else "No answer is held for review; every answer is logged and can be " \
                                             "contested by the user."
    s3.add("human_decisions_and_review", "Human decisions and review",
           " ".join(x for x in (human, d.human_decisions_and_review) if x), "profile: review + "
           + _d("human_decisions_and_review"))
    s3.add("required_training", "Training required", d.required_training, _d("required_training"))
    appeals = "Users can ask for human review of, or contest, any answer through the service (feedback and " \
              "contest endpoints); decisions recorded in the audit trail can be traced."
    s3.add("appeals_and_review", "Appeals and review", " ".join(x for x in (appeals, d.appeals_and_review) if x),
           "GovAI service + " + _d("appeals_and_review"))
    sections.append(s3)

    # §4 Tool specification.
    s4 = Section("tool_specification", "Tier 2 §4: Tool specification")
    s4.add("architecture", "System architecture",
           "A pipeline of named steps, each recorded in the audit trail: "
           + "; ".join(f"{n} — {STEP_WORDS.get(n, 'a step added by the department')}" for n in steps)
           + (". Waived safeguards: " + "; ".join(profile.waivers()) if profile.waived_safeguards else "."),
           "profile: steps")
    s4.add("phase", "Phase", PHASES[profile.assurance.phase], "profile: assurance.phase")
    s4.add("maintenance", "Maintenance", d.maintenance, _d("maintenance"))
    perf = _performance(run)
    model_rows = []
    for m in models or []:
        model_rows.append({"name": m["name"], "version": m.get("version"), "task": m.get("role"),
                           "input": "question text (pseudonymised) and retrieved passages" if "composition" in
                           str(m.get("role")) else "text", "output": "cited answer" if "composition" in
                           str(m.get("role")) else "scores or labels", "architecture": m.get("architecture") or m.get("kind"),
                           "performance": perf if "composition" in str(m.get("role")) else _model_perf(m, run),
                           "datasets": "the knowledge base (answers); evaluation sets (see datasets)" if "composition"
                           in str(m.get("role")) else m.get("source", ""), "sha256": m.get("sha256")})
    s4.add("models", "Models", model_rows, "provider registry + asset inventory + latest evaluation")
    s4.add("model_performance", "Model performance (latest evaluation)", perf,
           "latest evaluation run" + (f" {run['id']}" if run else " (none: run govai eval run)"))
    datasets = []
    if kb and not kb.get("missing"):
        datasets.append({
            "name": f"knowledge base {kb['name']}", "modality": "text",
            "description": "official guidance the assistant answers from",
            "quantity": f"{kb['documents']} documents, {kb['chunks']} passages",
            "sensitive_attributes": _declared(d.dataset_sensitive_attributes, "none expected: published guidance"),
            "completeness_and_representativeness": d.dataset_completeness,
            "source_url": ", ".join(kb.get("sources", {})), "collection": "ingested with govai kb ingest from the "
            "sources above; re-ingest is incremental (content hashes)",
            "cleaning": "HTML and Markdown converted to text; chunked by heading; hidden characters removed",
            "sharing_agreements": _declared(d.dataset_sharing_agreements, "Open Government Licence v3.0 (Crown "
                                                                            "copyright guidance)"),
            "access_and_storage": "PostgreSQL with pgvector on the department's infrastructure; read by the "
                                  "service only", "sha256": kb.get("sha256")})
    if run:
        for key, dsx in (run.get("manifest", {}).get("datasets") or {}).items():
            datasets.append({"name": f"evaluation set {key}", "modality": "text", "description": "used to evaluate, "
                             "never to train", "quantity": f"{dsx.get('rows')} rows", "source_url": dsx.get("path"),
                             "sha256": dsx.get("sha256")})
    s4.add("datasets", "Datasets", datasets, "knowledge-base inventory + latest evaluation")
    s4.add("dataset_completeness", "Dataset completeness and representativeness", d.dataset_completeness,
           _d("dataset_completeness"))
    sections.append(s4)

    # §5 Risks, mitigations and impact assessments.
    s5 = Section("risks_and_impact", "Tier 2 §5: Risks, mitigations and impact assessments")
    s5.add("impact_assessments", "Impact assessments", [a.model_dump() for a in d.impact_assessments],
           _d("impact_assessments"))
    s5.add("risks", "Risks", _risks(profile, run) + [r.model_dump() | {"source": "declared"} for r in d.risks],
           "generated from the safeguards and the latest evaluation + " + _d("risks"))
    sections.append(s5)

    meta = Section("metadata", "GOV.UK finder metadata and record history")
    meta.add("organisation", "Organisation", _declared(d.organisation, tenant_name or ""), _d("organisation"))
    meta.add("organisation_type", "Organisation type", d.organisation_type, _d("organisation_type"))
    meta.add("function", "Function", d.function or (profile.sector or ""), _d("function") + " or profile: sector")
    meta.add("capability", "Capability", d.capability or "Natural language processing: question answering",
             _d("capability"))
    meta.add("task", "Task", d.task or "Information provision", _d("task"))
    meta.add("phase", "Phase", PHASES[profile.assurance.phase], "profile: assurance.phase")
    meta.add("region", "Region", d.region, _d("region"))
    meta.add("date_published", "Date published", d.date_published or date.today().isoformat(), _d("date_published"))
    meta.add("atrs_version", "ATRS template version", ATRS_VERSION, "GovAI")
    meta.add("record_version", "Record version", d.record_version, _d("record_version"))
    meta.add("completed", "Date completed", d.completed, _d("completed"), required=False)
    meta.add("updated", "Date updated", d.updated, _d("updated"), required=False)
    meta.add("archived", "Date archived", d.archived, _d("archived"), required=False)
    sections.append(meta)
    return Record(profile.name, sections)


def _figures(run: dict[str, Any] | None, suite: str) -> dict[str, Any]:
    if not run:
        return {}
    return run.get("results", {}).get("suites", {}).get(suite, {}).get("figures", {})


def _fmt(v: Any) -> str:
    return "n/a" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))


def _performance(run: dict[str, Any] | None) -> str:
    if not run:
        return ""
    parts = []
    qa = _figures(run, "answer_quality")
    if qa:
        parts.append(f"on {int(qa.get('questions') or 0)} questions: source recall@5 {_fmt(qa.get('recall@5'))}, "
                     f"MRR {_fmt(qa.get('mrr'))}, key-fact accuracy {_fmt(qa.get('key_fact_accuracy'))}, abstention on "
                     f"unanswerable {_fmt(qa.get('abstention_on_unanswerable'))}, false abstention "
                     f"{_fmt(qa.get('false_abstention'))}, citation validity {_fmt(qa.get('citation_validity'))}")
    g = _figures(run, "groundedness")
    if g:
        parts.append(f"answer sentences supported by their cited source {_fmt(g.get('supported_sentences'))}")
    f = _figures(run, "fairness")
    if f:
        parts.append(f"fairness consistency {_fmt(f.get('consistency'))} over {int(f.get('pairs') or 0)} pairs")
    r = _figures(run, "robustness")
    if r:
        parts.append("recall@5 original / typos / informal / Welsh " + " / ".join(
            _fmt(r.get(f"{v}.recall@5")) for v in ("original", "typo", "informal", "welsh")))
    when = str(run.get("finished_at", ""))[:10]
    return f"Evaluation {run.get('id')} ({when}): " + "; ".join(parts) if parts else ""


def _model_perf(model: dict[str, Any], run: dict[str, Any] | None) -> str:
    s = _figures(run, "safety")
    name = model["name"]
    if not s:
        return ""
    if name.startswith("prompt guard"):
        return f"attack recall {_fmt(s.get('attack_recall'))}, false positives {_fmt(s.get('attack_false_positive_rate'))}"
    if name.startswith("document guard"):
        return (f"injection recall {_fmt(s.get('injection_recall'))}, false positives "
                f"{_fmt(s.get('injection_false_positive_rate'))}")
    if "personal-data" in name:
        return f"F1 {_fmt(s.get('pii_f1'))} (precision {_fmt(s.get('pii_precision'))}, recall {_fmt(s.get('pii_recall'))})"
    return ""


def _risks(profile: ServiceProfile, run: dict[str, Any] | None) -> list[dict[str, Any]]:
    steps = [s.name for s in profile.steps]
    qa, safety, fair, rob = (_figures(run, s) for s in ("answer_quality", "safety", "fairness", "robustness"))
    risks = [
        {"name": "Inaccurate or unsupported answers", "description": "An answer states something the guidance "
         "does not say, or misses what it does.",
         "mitigation": "Answers only from retrieved guidance with a citation per sentence; "
         + ("unsupported sentences blocked (check_output); " if "check_output" in steps else "")
         + ("abstains when the guidance does not answer; " if "check_evidence" in steps else "")
         + (f"measured key-fact accuracy {_fmt(qa.get('key_fact_accuracy'))}" if qa else "not yet measured")},
        {"name": "Prompt injection and misuse", "description": "Users or retrieved pages try to override the "
         "assistant's instructions.",
         "mitigation": ("input guard; " if "screen_input" in steps else "NO input guard; ")
         + ("source guard; " if "screen_sources" in steps else "NO source guard; ")
         + (f"measured attack recall {_fmt(safety.get('attack_recall'))}, injection recall "
            f"{_fmt(safety.get('injection_recall'))}" if safety else "not yet measured")},
        {"name": "Personal data exposure", "description": "Personal data typed by users reaches a model or a log "
         "it should not.",
         "mitigation": ("pseudonymised before any provider; " if "pseudonymise" in steps else "NOT pseudonymised; ")
         + f"routing: {profile.routing.personal_data}; "
         + (f"measured: {_fmt(safety.get('pii_pseudonymised'))} of test questions pseudonymised, "
            f"{_fmt(safety.get('pii_answer_leaks'))} answer leaks" if safety else "not yet measured")},
        {"name": "Unequal treatment", "description": "Answers differ by a user's name, sex, ethnicity, disability, "
         "religion or age.",
         "mitigation": "names pseudonymised; paired-question fairness evaluation"
         + (f": consistency {_fmt(fair.get('consistency'))}" if fair else " not yet run")},
        {"name": "Users writing informally or in Welsh are served worse",
         "description": "Typos, informal phrasing or Welsh lower retrieval and answer quality.",
         "mitigation": "robustness evaluation" + (f": recall@5 typos {_fmt(rob.get('typo.recall@5'))}, Welsh "
                                                   f"{_fmt(rob.get('welsh.recall@5'))}" if rob else " not yet run")},
        {"name": "Classified or sensitive data sent to an unapproved model",
         "description": "A request above a provider's clearance reaches it.",
         "mitigation": f"classification on every request (default {profile.classification}); routing policy "
                       f"refuses providers above their clearance; UK-only {'on' if profile.uk_only else 'off'}"},
    ]
    for name, reason in profile.waived_safeguards.items():
        risks.append({"name": f"Safeguard waived: {name}", "description": reason, "mitigation": "accepted by the "
                      "service owner; reported by govai policy explain"})
    return [r | {"source": "generated"} for r in risks]


# --- output -------------------------------------------------------------------------------------

def _value_md(value: Any) -> str:
    if isinstance(value, list):
        if not value:
            return "_none_"
        if all(isinstance(v, dict) for v in value):
            return "\n" + "\n".join("  - " + "; ".join(f"**{k.replace('_', ' ')}**: {v}" for k, v in item.items()
                                                        if v not in (None, "")) for item in value)
        return ", ".join(map(str, value))
    return str(value) if value not in (None, "") else "_missing_"


def to_markdown(record: Record) -> str:
    lines = [f"# Algorithmic Transparency Record: {record.service}", ""]
    if not record.publishable:
        lines += ["> **DRAFT — not publishable.** Required fields missing:", ""]
        lines += [f"> - {m}" for m in record.missing] + [""]
    for s in record.sections:
        lines += [f"## {s.title}", ""]
        for f in s.fields:
            flag = " ⚠ missing" if f.missing else ""
            lines.append(f"- **{f.label}**{flag}: {_value_md(f.value)}  \n  _source: {f.source}_")
        lines.append("")
    return "\n".join(lines)


def to_json(record: Record) -> str:
    return json.dumps(record.as_dict(), indent=2, ensure_ascii=False, default=str)


def _value_html(value: Any) -> str:
    if isinstance(value, list):
        if not value:
            return "<em>none</em>"
        if all(isinstance(v, dict) for v in value):
            return "<ul>" + "".join("<li>" + "; ".join(f"<strong>{html.escape(k.replace('_', ' '))}</strong>: "
                                                       f"{html.escape(str(v))}" for k, v in item.items()
                                                       if v not in (None, "")) + "</li>" for item in value) + "</ul>"
        return html.escape(", ".join(map(str, value)))
    return html.escape(str(value)) if value not in (None, "") else "<em class='missing'>missing</em>"


def to_html(record: Record) -> str:
    return "\n".join(["<!doctype html>", "<html lang='en'><head><meta charset='utf-8'>",
                      f"<title>Algorithmic Transparency Record: {html.escape(record.service)}</title>",
                      f"<style>{CSS}</style></head><body><main>", section_html(record), "</main></body></html>"])


def section_html(record: Record, level: int = 1) -> str:
    h, h2 = f"h{level}", f"h{level + 1}"
    out = [f"<{h}>Algorithmic Transparency Record: {html.escape(record.service)}</{h}>"]
    if not record.publishable:
        out.append("<div class='warn'><strong>Draft — not publishable.</strong> Required fields missing:<ul>"
                   + "".join(f"<li>{html.escape(m)}</li>" for m in record.missing) + "</ul></div>")
    for s in record.sections:
        out.append(f"<{h2}>{html.escape(s.title)}</{h2}><dl>")
        for f in s.fields:
            out.append(f"<dt>{html.escape(f.label)}{' <span class=missing>missing</span>' if f.missing else ''}</dt>"
                       f"<dd>{_value_html(f.value)}<div class='src'>source: {html.escape(f.source)}</div></dd>")
        out.append("</dl>")
    return "\n".join(out)


CSS = """body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:0;background:#f3f2f1}
main{max-width:960px;margin:0 auto;background:#fff;padding:24px 32px}
h1{font-size:28px}h2{font-size:22px;border-top:4px solid #1d70b8;padding-top:8px;margin-top:32px}
dt{font-weight:bold;margin-top:12px}dd{margin:4px 0 0 0}.src{color:#505a5f;font-size:13px}
.missing{color:#d4351c;font-weight:bold}.warn{border-left:6px solid #d4351c;padding:8px 16px;background:#fef7f7}"""
