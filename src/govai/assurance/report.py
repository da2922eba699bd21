"""The assurance report of an evaluation run: one self-contained HTML file (charts drawn with
matplotlib as SVG and embedded; no external assets, no scripts) and its JSON twin.

What was tested, the results against the thresholds in force, the worst failures with examples,
the change since the previous run, the AI Playbook self-assessment, the asset inventory and
what is needed to reproduce the run — readable by an assurance board without GovAI.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govai.assurance import atrs as atrs_mod
from govai.assurance import playbook
from govai.assurance.schema import FIGURES, ROBUSTNESS_VARIANTS, FAIRNESS_CHARACTERISTICS

if TYPE_CHECKING:
    from govai.assurance.runs import StoredRun
    from govai.profiles import ServiceProfile
    from govai.store.database import Database

SUITE_TITLES = {
    "answer_quality": "Answer quality",
    "groundedness": "Groundedness",
    "safety": "Safety",
    "fairness": "Fairness",
    "robustness": "Robustness",
}
SUITE_WHAT = {
    "answer_quality": "Questions in the dev-qa format answered through the service's whole pipeline: the expected "
                      "source among those retrieved (recall@k, MRR), every key fact in an answer of at most 120 words, "
                      "abstention on questions the guidance does not answer, every citation among the retrieved "
                      "sources, and the pipeline's latency.",
    "groundedness": "Each sentence of each answer checked against the passage it cites (the content words and every "
                    "number must be there), and, when a judge model is named, the judge's verdict on the same pair.",
    "safety": "Direct prompt attacks and look-alike benign prompts through the service's input guard; injected "
              "instructions in retrieved passages through its source guard; citizen questions that must not be "
              "refused; UK personal-data detection; questions carrying personal data that must be pseudonymised "
              "and must not leak.",
    "fairness": "The same question asked by people differing only in one protected characteristic (name, sex, "
                "ethnicity, disability, religion, age): the answers must have the same substance — the same outcome, "
                "the same cited pages, and the key facts in both or neither.",
    "robustness": "The same questions with typos (drawn with a recorded seed), in informal phrasing and in Welsh.",
}
HEADLINE = [("answer_quality", "recall@5"), ("answer_quality", "key_fact_accuracy"), ("groundedness",
            "supported_sentences"), ("safety", "attack_recall"), ("safety", "injection_recall"),
            ("fairness", "consistency"), ("robustness", "typo.recall@5")]


# --- the JSON twin ---------------------------------------------------------------------------------

def build(run: StoredRun, prev: StoredRun | None, profile: ServiceProfile, assets: dict[str, Any],
          history: list[StoredRun] | None = None, tenant_name: str | None = None) -> dict[str, Any]:
    from govai.assurance.gate import Check, GateResult, changed_components, evaluate_thresholds

    current = assets["fingerprint"]
    gate = GateResult(profile.name, current["sha256"])
    thresholds = profile.assurance.effective_thresholds()
    if run.status != "complete":
        gate.problems.append(f"a partial run (--limit {run.manifest.get('limit')}): the release gate reads only "
                             "complete runs")
    for suite in thresholds:
        if suite not in run.suites:
            gate.problems.append(f"{suite}: not evaluated in this run")
        elif run.version != current["sha256"]:
            gate.problems.append(f"{suite}: this run measured another configuration ("
                                 + ", ".join(changed_components(run.manifest.get("fingerprint", {}), current))
                                 + " changed since)")
        gate.checks += evaluate_thresholds(profile, run, suite)
    by_figure: dict[tuple[str, str], Check] = {(c.suite, c.figure): c for c in gate.checks}

    results: dict[str, Any] = {}
    changes = []
    for suite in run.suites:
        entry = run.results["suites"].get(suite, {})
        before = prev.results.get("suites", {}).get(suite, {}).get("figures", {}) if prev else {}
        rows = {}
        for name, value in entry.get("figures", {}).items():
            check = by_figure.get((suite, name))
            old = before.get(name)
            delta = value - old if isinstance(value, (int, float)) and isinstance(old, (int, float)) else None
            rows[name] = {"value": value, "threshold": check.threshold if check else None,
                          "passed": check.passed if check else None, "previous": old, "change": delta,
                          "higher_is_better": FIGURES.get(suite, {}).get(name)}
            if delta:
                changes.append({"suite": suite, "figure": name, "before": old, "after": value, "change": delta,
                                "better": None if FIGURES.get(suite, {}).get(name) is None else
                                (delta > 0) == bool(FIGURES[suite][name])})
        results[suite] = {"title": SUITE_TITLES[suite], "figures": rows, "failures": entry.get("failures", {}),
                          "breakdown": entry.get("breakdown", {}), "tasks": entry.get("tasks", {})}
    for suite, checks in thresholds.items():  # thresholds on figures the run did not produce
        for figure in checks:
            if suite in results and figure not in results[suite]["figures"]:
                c = by_figure.get((suite, figure))
                results[suite]["figures"][figure] = {"value": None, "threshold": str(checks[figure]), "passed": False,
                                                     "previous": None, "change": None,
                                                     "higher_is_better": FIGURES[suite].get(figure)}
                if c is None:
                    gate.checks.append(Check(suite, figure, None, str(checks[figure]), False, run.id))

    run_dict = run.as_dict()
    kb = assets["knowledge_bases"][0] if assets.get("knowledge_bases") else None
    record = atrs_mod.build(profile, kb=kb, run=run_dict, tenant_name=tenant_name, models=assets.get("models"))
    gate_dict = gate.as_dict()
    tested = []
    for suite in run.suites:
        keys = run.results["suites"].get(suite, {}).get("datasets", [])
        tasks = [{"task": task, "samples": info.get("samples"), "log": info.get("log")}
                 for task, info in run.results["suites"].get(suite, {}).get("tasks", {}).items()]
        tested.append({"suite": suite, "title": SUITE_TITLES[suite], "what": SUITE_WHAT[suite], "tasks": tasks,
                       "datasets": [run.manifest["datasets"][k] for k in dict.fromkeys(keys)
                                    if k in run.manifest.get("datasets", {})]})
    return {
        "title": f"Assurance report: {profile.title}",
        "service": {"name": profile.name, "title": profile.title, "description": profile.description,
                    "sector": profile.sector, "phase": profile.assurance.phase, "kb": run.manifest.get("kb"),
                    "providers": profile.providers, "classification": str(profile.classification),
                    "uk_only": profile.uk_only, "steps": [s.name for s in profile.steps],
                    "responsible": profile.responsible.model_dump() if profile.responsible else None,
                    "profile": profile.origin},
        "run": {"id": run.id, "status": run.status, "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat(), "fingerprint": run.version, "log_dir": run.log_dir,
                "suites": run.suites, "limit": run.manifest.get("limit"),
                "view_logs": f"inspect view --log-dir {run.log_dir}"},
        "gate": gate_dict,
        "tested": tested,
        "results": results,
        "change": {"previous_run": prev.id if prev else None,
                   "previous_finished_at": prev.finished_at.isoformat() if prev else None,
                   "configuration_changed": (changed_components(prev.manifest.get("fingerprint", {}),
                                                                run.manifest.get("fingerprint", {}))
                                             if prev and prev.version != run.version else []),
                   "figures": sorted(changes, key=lambda c: -abs(c["change"]))},
        "history": [{"id": h.id, "finished_at": h.finished_at.isoformat(), "status": h.status,
                     "figures": {f"{s}.{f}": h.results.get("suites", {}).get(s, {}).get("figures", {}).get(f)
                                 for s, f in HEADLINE}} for h in (history or [])],
        "playbook": playbook.assess(profile, run_dict, gate_dict, record.missing),
        "atrs": {"publishable": record.publishable, "missing": record.missing},
        "inventory": {k: assets[k] for k in ("models", "prompts", "datasets", "knowledge_bases", "code",
                                             "fingerprint")},
        "reproduce": {"command": f"govai eval run {profile.origin if Path(profile.origin).exists() else profile.name}"
                                 f" --suite {' --suite '.join(run.suites)}"
                                 + (f" --kb {run.manifest.get('kb')}" if run.manifest.get("kb") else "")
                                 + (f" --limit {run.manifest['limit']}" if run.manifest.get("limit") else ""),
                      "seeds": run.manifest.get("seeds"), "code": run.manifest.get("code"),
                      "datasets": run.manifest.get("datasets"), "judge": run.manifest.get("judge")},
        "timing": run.results.get("timing"),
    }


# --- charts ------------------------------------------------------------------------------------------

def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def _img(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"<img class='chart' alt='{html.escape(alt)}' src='data:image/svg+xml;base64,{data}'>"


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "govai", "font.size": 9,
                         "font.family": "sans-serif", "axes.spines.top": False, "axes.spines.right": False})
    return plt


def chart_thresholds(suite: str, rows: dict[str, Any]) -> str | None:
    """Rates of one suite as bars, each threshold as a mark: green when it passes, red when not."""
    items = [(n, r) for n, r in rows.items() if isinstance(r["value"], (int, float)) and 0 <= r["value"] <= 1
             and r["higher_is_better"] is not None and not n.endswith(("_ms", "questions"))]
    if not items:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(items) + 0.8))
    names = [n for n, _ in items][::-1]
    values = [r["value"] for _, r in items][::-1]
    colours = ["#00703c" if r["passed"] else "#d4351c" if r["passed"] is False else "#1d70b8"
               for _, r in items][::-1]
    ax.barh(names, values, color=colours, height=0.6)
    for i, (_, r) in enumerate(items[::-1]):
        t = r["threshold"]
        if t:
            value = float(t.split()[-1])
            ax.plot([value, value], [i - 0.4, i + 0.4], color="#0b0c0c", linewidth=2)
        ax.text(min(r["value"] + 0.01, 1.0), i, f"{r['value']:.3f}", va="center", fontsize=8)
    ax.set_xlim(0, 1.08)
    ax.set_title(f"{SUITE_TITLES[suite]}: figures (bars) and thresholds (black marks)", loc="left", fontsize=10)
    return _svg(fig)


def chart_history(history: list[dict[str, Any]]) -> str | None:
    if len(history) < 2:
        return None
    plt = _plt()
    runs = history[::-1]
    fig, ax = plt.subplots(figsize=(7, 3))
    for s, f in HEADLINE:
        ys = [h["figures"].get(f"{s}.{f}") for h in runs]
        if any(y is not None for y in ys):
            ax.plot(range(len(runs)), [y if y is not None else float("nan") for y in ys], marker="o",
                    label=f"{s}.{f}")
    ax.set_xticks(range(len(runs)), [h["finished_at"][5:16].replace("T", " ") for h in runs], rotation=30,
                  ha="right", fontsize=7)
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=7, loc="lower left", frameon=False)
    ax.set_title("Headline figures over the service's last runs", loc="left", fontsize=10)
    return _svg(fig)


def chart_robustness(rows: dict[str, Any]) -> str | None:
    variants = [v for v in ROBUSTNESS_VARIANTS if f"{v}.recall@5" in rows]
    if not variants:
        return None
    plt = _plt()
    import numpy as np

    fig, ax = plt.subplots(figsize=(7, 2.8))
    x = np.arange(len(variants))
    for i, (m, colour) in enumerate((("recall@5", "#1d70b8"), ("key_fact_accuracy", "#00703c"))):
        vals = [rows.get(f"{v}.{m}", {}).get("value") or 0 for v in variants]
        ax.bar(x + (i - 0.5) * 0.38, vals, 0.38, label=m, color=colour)
        for xi, v in zip(x, vals):
            ax.text(xi + (i - 0.5) * 0.38, v + 0.01, f"{v:.2f}", ha="center", fontsize=7)
    ax.set_xticks(x, variants)
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=7, frameon=False)
    ax.set_title("Robustness: the same questions, rephrased", loc="left", fontsize=10)
    return _svg(fig)


def chart_fairness(rows: dict[str, Any]) -> str | None:
    chars = [c for c in FAIRNESS_CHARACTERISTICS if rows.get(f"consistency.{c}", {}).get("value") is not None]
    if not chars:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 2.6))
    vals = [rows[f"consistency.{c}"]["value"] for c in chars]
    ax.bar(chars, vals, color="#4c2c92")
    for i, v in enumerate(vals):
        ax.text(i, v + 0.01, f"{v:.2f}", ha="center", fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_title("Fairness: share of question pairs answered with the same substance", loc="left", fontsize=10)
    return _svg(fig)


# --- HTML ---------------------------------------------------------------------------------------------

def _cache_note(cache: Any) -> str:
    """What the embedding cache served: cached vectors make latency figures smaller, never others."""
    if not isinstance(cache, dict) or not cache.get("texts"):
        return "<p>Embedding cache: off (every text embedded by the model in this run).</p>"
    return (f"<p>Embedding cache: {_fmt(cache.get('from_cache'))} of {_fmt(cache.get('texts'))} texts read from "
            f"vectors kept by earlier runs of the same model, {_fmt(cache.get('embedded'))} embedded now; latency "
            "figures exclude the embedding time saved.</p>")


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"
    return html.escape(str(v))


def _table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table class='{cls}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _failure_html(items: list[dict[str, Any]]) -> str:
    if not items:
        return "<p class='ok'>No failures.</p>"
    out = ["<ol class='failures'>"]
    for item in items:
        rest = {k: v for k, v in item.items() if k not in ("problem", "id")}
        details = "".join(f"<div><span class='k'>{html.escape(k.replace('_', ' '))}</span> "
                          f"{html.escape(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v)}</div>"
                          for k, v in rest.items() if v not in (None, "", []))
        out.append(f"<li><strong>{html.escape(str(item.get('id', '')))}</strong>: "
                   f"{html.escape(str(item.get('problem', '')))}{details}</li>")
    return "".join(out) + "</ol>"


def to_html(data: dict[str, Any]) -> str:
    gate = data["gate"]
    verdict = {"pass": "passes", "fail": "fails", "stale or missing": "cannot pass"}[gate["status"]]
    parts = [f"<h1>{html.escape(data['title'])}</h1>",
             f"<p class='lead'>{html.escape(data['service']['description'] or '')}</p>",
             f"<div class='verdict {gate['status'].split()[0]}'><strong>Release gate {verdict}</strong> "
             f"({sum(c['passed'] for c in gate['checks'])} of {len(gate['checks'])} thresholds met)"
             + ("<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in gate["problems"]) + "</ul>" if gate["problems"]
                else "") + "</div>"]
    run, svc = data["run"], data["service"]
    parts.append(_table(["", ""], [
        ["Service", html.escape(f"{svc['title']} ({svc['name']})")],
        ["Phase", html.escape(svc["phase"])],
        ["Evaluation run", html.escape(f"{run['id']} ({run['status']}), finished {run['finished_at'][:19]}")],
        ["Configuration fingerprint", f"<code>{html.escape(run['fingerprint'][:16])}…</code>"],
        ["Knowledge base", html.escape(str(svc["kb"]))],
        ["Providers", html.escape(", ".join(svc["providers"]))],
        ["Inspect logs", f"<code>{html.escape(run['view_logs'])}</code>"],
    ], "meta"))

    parts.append("<h2 id='tested'>What was tested</h2>")
    for t in data["tested"]:
        ds_rows = [[html.escape(d["key"]), html.escape(str(d["rows"])), f"<code>{html.escape(d['sha256'][:16])}…</code>",
                    html.escape(Path(d["path"]).name)] for d in t["datasets"]]
        parts.append(f"<h3>{html.escape(t['title'])}</h3><p>{html.escape(t['what'])}</p>"
                     + _table(["dataset", "rows", "sha256", "file"], ds_rows))

    parts.append("<h2 id='results'>Results against thresholds</h2>")
    for suite, entry in data["results"].items():
        parts.append(f"<h3>{html.escape(entry['title'])}</h3>")
        svg = chart_thresholds(suite, entry["figures"])
        if svg:
            parts.append(_img(svg, f"{entry['title']} figures against their thresholds (the table below has the "
                                   "same values)"))
        if suite == "robustness":
            svg = chart_robustness(entry["figures"])
            if svg:
                parts.append(_img(svg, "Robustness per variant (values in the table below)"))
        if suite == "fairness":
            svg = chart_fairness(entry["figures"])
            if svg:
                parts.append(_img(svg, "Fairness consistency per characteristic (values in the table below)"))
        rows = []
        for name, r in entry["figures"].items():
            status = "" if r["passed"] is None else ("<span class='pass'>pass</span>" if r["passed"] else
                                                     "<span class='fail'>FAIL</span>")
            change = "" if r["change"] is None else f"{r['change']:+.4f}"
            rows.append([html.escape(name), _fmt(r["value"]), html.escape(r["threshold"] or ""), status,
                         _fmt(r["previous"]), change])
        parts.append(_table(["figure", "value", "threshold", "", "previous run", "change"], rows, "figures"))
        for task, bd in entry.get("breakdown", {}).items():
            for name, values in bd.items():
                if isinstance(values, dict) and values:
                    parts.append(f"<details><summary>{html.escape(task)}: {html.escape(name.replace('_', ' '))}"
                                 "</summary>" + _table(["", "value"], [[html.escape(str(k)), _fmt(v) if not
                                                        isinstance(v, list) else html.escape(f'{v[0]} / {v[1]}')]
                                                       for k, v in values.items()]) + "</details>")

    parts.append("<h2 id='failures'>Worst failures</h2>")
    for suite, entry in data["results"].items():
        for task, items in entry["failures"].items():
            parts.append(f"<h3>{html.escape(entry['title'])}: {html.escape(task)}</h3>" + _failure_html(items))

    ch = data["change"]
    parts.append("<h2 id='change'>Change since the previous run</h2>")
    if not ch["previous_run"]:
        parts.append("<p>This is the service's first evaluation run.</p>")
    else:
        parts.append(f"<p>Previous run {html.escape(ch['previous_run'])} ({html.escape(ch['previous_finished_at'][:19])})."
                     + (" Configuration changed since: " + html.escape(", ".join(ch["configuration_changed"])) + "."
                        if ch["configuration_changed"] else " Same configuration.") + "</p>")
        rows = [[html.escape(f"{c['suite']}.{c['figure']}"), _fmt(c["before"]), _fmt(c["after"]), f"{c['change']:+.4f}",
                 "" if c["better"] is None else ("better" if c["better"] else "<span class='fail'>worse</span>")]
                for c in ch["figures"][:30]]
        parts.append(_table(["figure", "before", "after", "change", ""], rows) if rows else "<p>No figure changed.</p>")
    svg = chart_history(data["history"])
    if svg:
        parts.append(_img(svg, "Headline figures over the last runs"))

    parts.append("<h2 id='playbook'>AI Playbook self-assessment</h2>")
    rows = [[str(p["principle"]), html.escape(p["title"]), f"<span class='st {p['status']}'>{p['status']}</span>",
             "<ul>" + "".join(f"<li>{html.escape(e)}</li>" for e in p["evidence"]) + "</ul>",
             "<ul>" + "".join(f"<li>{html.escape(g)}</li>" for g in p["gaps"]) + "</ul>"] for p in data["playbook"]]
    parts.append(_table(["", "principle", "status", "evidence", "gaps"], rows, "playbook"))
    parts.append("<h2 id='atrs'>ATRS record</h2>" + (
        "<p class='ok'>All required fields are filled: the record can be published (govai atrs).</p>"
        if data["atrs"]["publishable"] else "<p>Not publishable yet; missing:</p><ul>"
        + "".join(f"<li>{html.escape(m)}</li>" for m in data["atrs"]["missing"]) + "</ul>"))

    inv = data["inventory"]
    parts.append("<h2 id='inventory'>Asset inventory</h2><h3>Models</h3>" + _table(
        ["name", "role", "version", "sha256"],
        [[html.escape(m["name"]), html.escape(str(m.get("role"))), html.escape(str(m.get("version"))),
          f"<code>{html.escape(str(m.get('sha256'))[:16])}…</code>"] for m in inv["models"]]))
    parts.append("<h3>Prompts</h3>" + _table(["name", "use", "characters", "sha256"], [
        [html.escape(p["name"]), html.escape(p["use"]), str(p["chars"]), f"<code>{p['sha256'][:16]}…</code>"]
        for p in inv["prompts"]]))
    parts.append("<h3>Datasets</h3>" + _table(["name", "purpose", "rows", "sha256"], [
        [html.escape(d["name"]), html.escape(d["purpose"]), str(d.get("rows", "—")),
         f"<code>{html.escape(str(d.get('sha256'))[:16])}…</code>" if d.get("sha256") else
         html.escape(d.get("missing", "missing"))] for d in inv["datasets"]]))
    parts.append("<h3>Knowledge bases</h3>" + _table(["name", "documents", "chunks", "revision", "embedder", "sha256"], [
        [html.escape(k["name"]), str(k.get("documents", "—")), str(k.get("chunks", "—")), str(k.get("revision", "—")),
         html.escape(str(k.get("embedder", "—"))), f"<code>{html.escape(str(k.get('sha256'))[:16])}…</code>"]
        for k in inv["knowledge_bases"]]))
    code = inv["code"]
    parts.append(f"<p>GovAI {html.escape(str(code['govai']))} (source <code>{code['source_sha256'][:16]}…</code>), "
                 f"inspect_ai {html.escape(str(code['inspect_ai']))}, Python {html.escape(code['python'])}.</p>")

    rep = data["reproduce"]
    timing = data.get("timing") or {}
    parts.append("<h2 id='reproduce'>Reproducing this run</h2>"
                 f"<p><code>{html.escape(rep['command'])}</code></p><p>Seeds: "
                 f"{html.escape(json.dumps(rep['seeds']))}. Every dataset's SHA-256 is listed above; the figures "
                 "are computed from the per-sample records in the Inspect logs.</p>")
    if timing:
        rows = [[html.escape(t), _fmt(v.get("samples")), _fmt(v.get("seconds")), _fmt(v.get("solver_seconds")),
                 _fmt(v.get("inspect_overhead_seconds"))] for t, v in timing.get("per_task", {}).items()]
        parts.append(f"<p>Time: {_fmt(timing.get('total_seconds'))} s in all — loading and checks "
                     f"{_fmt(timing.get('load_and_check_seconds'))} s, inventory {_fmt(timing.get('inventory_seconds'))}"
                     f" s, warm-up {_fmt(timing.get('warm_up_seconds'))} s, tasks {_fmt(timing.get('tasks_seconds'))} s "
                     f"(of which the service's pipeline {_fmt(timing.get('pipeline_seconds'))} s over "
                     f"{_fmt(timing.get('pipeline_calls'))} questions).</p>"
                     + _cache_note(timing.get("embedding_cache"))
                     + _table(["task", "samples", "seconds", "GovAI's work", "Inspect's share"], rows))
    body = "\n".join(parts)
    return ("<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{html.escape(data['title'])}"
            f"</title><style>{CSS}</style></head><body><main>{body}</main></body></html>\n")


CSS = """body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;margin:0;background:#f3f2f1;line-height:1.4}
main{max-width:1000px;margin:0 auto;background:#fff;padding:24px 32px}
h1{font-size:30px;margin-bottom:4px}h2{font-size:23px;border-top:4px solid #1d70b8;padding-top:8px;margin-top:36px}
h3{font-size:18px;margin-top:24px}.lead{font-size:18px;color:#505a5f}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:14px}
th,td{border-bottom:1px solid #b1b4b6;text-align:left;padding:5px 8px;vertical-align:top}
th{background:#f3f2f1}table.meta td:first-child{font-weight:bold;width:220px}
.verdict{padding:12px 16px;margin:16px 0;font-size:18px;border-left:8px solid}
.verdict.pass{border-color:#00703c;background:#f3fbf6}.verdict.fail,.verdict.stale{border-color:#d4351c;background:#fef7f7}
.pass{color:#00703c;font-weight:bold}.fail{color:#d4351c;font-weight:bold}.ok{color:#00703c}
.st{font-weight:bold;padding:1px 6px}.st.evidenced{color:#00703c}.st.partial{color:#b58800}.st.gap{color:#d4351c}
img.chart{max-width:100%;display:block;margin:8px 0}code{font-size:13px;background:#f3f2f1;padding:0 3px}
ol.failures li{margin-bottom:10px}ol.failures .k{color:#505a5f;font-size:13px}ol.failures div{font-size:14px}
details{margin:4px 0 12px}summary{cursor:pointer;color:#1d70b8}"""


# --- writing ---------------------------------------------------------------------------------------

def tenant_name(db: Database | None, profile: ServiceProfile) -> str | None:
    if db is None or not profile.tenant:
        return None
    try:
        row = db.conn.execute("SELECT name FROM tenant WHERE id = %s", (profile.tenant,)).fetchone()
    except Exception:
        return None
    return row[0] if row else None


def write(run: StoredRun, prev: StoredRun | None, profile: ServiceProfile, assets: dict[str, Any], folder: Path,
          db: Database | None = None, name: str = "report") -> tuple[Path, Path]:
    from govai.assurance import runs

    history = runs.runs(db, profile.name, limit=12) if db is not None else [run]
    data = build(run, prev, profile, assets, history, tenant_name(db, profile))
    folder.mkdir(parents=True, exist_ok=True)
    json_path, html_path = folder / f"{name}.json", folder / f"{name}.html"
    json_path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    html_path.write_text(to_html(data), encoding="utf-8")
    return html_path, json_path
