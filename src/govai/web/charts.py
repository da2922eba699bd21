"""Usage and outcome figures from the audit trail, drawn as server-rendered SVG (no script).

Every chart has a title and a text description for assistive technology, and the page shows
the same figures as a table beside it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

OUTCOMES = ("answered", "abstained", "refused", "blocked", "error")
# GOV.UK Design System colours, each with enough contrast against white.
COLOURS = {"answered": "#00703c", "abstained": "#1d70b8", "refused": "#6f3c97", "blocked": "#d4351c",
           "error": "#505a5f"}
BAR = "#1d70b8"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = 'font-family="GDS Transport, arial, sans-serif"'


@dataclass
class Summary:
    days: list[date]
    by_day: dict[date, Counter[str]] = field(default_factory=dict)
    totals: Counter[str] = field(default_factory=Counter)
    latency: dict[date, list[float]] = field(default_factory=dict)
    top_sources: list[tuple[str, int]] = field(default_factory=list)
    guard_verdicts: list[tuple[str, int]] = field(default_factory=list)
    held: int = 0
    requests: int = 0

    def percentile(self, day: date, q: float) -> float | None:
        values = sorted(self.latency.get(day, []))
        if not values:
            return None
        index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
        return values[index]

    def overall(self, q: float) -> float | None:
        values = sorted(v for vs in self.latency.values() for v in vs)
        if not values:
            return None
        return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def summarise(rows: list[tuple[str, datetime, str, str]], start: date, days: int) -> Summary:
    summary = Summary(days=[start + timedelta(days=i) for i in range(days)])
    sources: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    for _service, at, outcome, payload_text in rows:
        day = at.date()
        if day not in summary.days:
            continue
        try:
            payload: dict[str, Any] = json.loads(payload_text)
        except (TypeError, ValueError):
            payload = {}
        summary.requests += 1
        summary.by_day.setdefault(day, Counter())[outcome] += 1
        summary.totals[outcome] += 1
        if "held_for_review" in (payload.get("flags") or []):
            summary.held += 1
        sources.update(payload.get("citations") or [])
        total_ms = 0.0
        for step in payload.get("steps") or []:
            total_ms += float(step.get("ms") or 0.0)
            detail = step.get("detail") or {}
            name = step.get("step")
            if name in ("screen_input", "check_output") and isinstance(detail.get("verdict"), str):
                verdicts[f"{name}: {detail['verdict']}"] += 1
            elif name == "screen_sources" and detail.get("dropped"):
                verdicts["screen_sources: dropped"] += len(detail["dropped"])
        summary.latency.setdefault(day, []).append(total_ms)
    summary.top_sources = sources.most_common(10)
    summary.guard_verdicts = verdicts.most_common(12)
    return summary


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="govai-chart" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" focusable="false">'
            f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")


def _label(day: date) -> str:
    return day.strftime("%d/%m")


def stacked_days(summary: Summary, t: Any) -> Markup:
    """Answers per day, stacked by outcome."""
    width, height, left, bottom, top = 720, 300, 48, 44, 16
    plot_w, plot_h = width - left - 16, height - bottom - top
    peak = max([sum(c.values()) for c in summary.by_day.values()] + [1])
    step = plot_w / max(len(summary.days), 1)
    bar = max(2.0, step * 0.7)
    body = [_axis(left, top, plot_w, plot_h, peak)]
    for i, day in enumerate(summary.days):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        counts = summary.by_day.get(day, Counter())
        for outcome in OUTCOMES:
            n = counts.get(outcome, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{COLOURS[outcome]}">'
                        f'<title>{escape(_label(day))}: {escape(t("outcome." + outcome))} {n}</title></rect>')
        if len(summary.days) <= 16 or i % max(1, len(summary.days) // 8) == 0:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" '
                        f'fill="{TEXT}" {FONT}>{escape(_label(day))}</text>')
    lx = left
    for outcome in OUTCOMES:
        body.append(f'<rect x="{lx}" y="{height - 14}" width="12" height="12" fill="{COLOURS[outcome]}"/>')
        label = t("outcome." + outcome)
        body.append(f'<text x="{lx + 16}" y="{height - 4}" font-size="12" fill="{TEXT}" {FONT}>{escape(label)}</text>')
        lx += 24 + 8 * len(label)
    desc = t("metrics.outcomes_desc", total=summary.requests,
             parts=", ".join(f"{t('outcome.' + o)} {summary.totals.get(o, 0)}" for o in OUTCOMES))
    return _svg(width, height, t("metrics.outcomes_title"), desc, body, "chart-outcomes")


def _axis(left: float, top: float, plot_w: float, plot_h: float, peak: float, unit: str = "") -> str:
    parts = []
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        value = peak * frac
        shown = f"{value:.0f}" if peak >= 4 or value == int(value) else f"{value:.1f}"
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="{TEXT}" {FONT}>'
                     f'{shown}{unit}</text>')
    return "".join(parts)


def latency_days(summary: Summary, t: Any) -> Markup:
    """Median and 95th-percentile time to answer per day (bars: median; ticks: 95th)."""
    width, height, left, bottom, top = 720, 260, 56, 44, 16
    plot_w, plot_h = width - left - 16, height - bottom - top
    p95 = {d: summary.percentile(d, 0.95) for d in summary.days}
    p50 = {d: summary.percentile(d, 0.5) for d in summary.days}
    peak = max([v for v in p95.values() if v is not None] + [1.0])
    step = plot_w / max(len(summary.days), 1)
    bar = max(2.0, step * 0.5)
    body = [_axis(left, top, plot_w, plot_h, peak, " ms")]
    for i, day in enumerate(summary.days):
        x = left + i * step + (step - bar) / 2
        if p50[day] is not None:
            h = plot_h * p50[day] / peak  # type: ignore[operator]
            body.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                        f'fill="{BAR}"><title>{escape(_label(day))}: {escape(t("metrics.median"))} '
                        f'{p50[day]:.0f} ms</title></rect>')
        if p95[day] is not None:
            y = top + plot_h - plot_h * p95[day] / peak  # type: ignore[operator]
            body.append(f'<line x1="{x - 2:.1f}" y1="{y:.1f}" x2="{x + bar + 2:.1f}" y2="{y:.1f}" stroke="{TEXT}" '
                        f'stroke-width="3"><title>{escape(_label(day))}: {escape(t("metrics.p95"))} '
                        f'{p95[day]:.0f} ms</title></line>')
        if len(summary.days) <= 16 or i % max(1, len(summary.days) // 8) == 0:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" '
                        f'fill="{TEXT}" {FONT}>{escape(_label(day))}</text>')
    body.append(f'<rect x="{left}" y="{height - 14}" width="12" height="12" fill="{BAR}"/>')
    body.append(f'<text x="{left + 16}" y="{height - 4}" font-size="12" fill="{TEXT}" {FONT}>'
                f'{escape(t("metrics.median"))}</text>')
    body.append(f'<line x1="{left + 150}" y1="{height - 8}" x2="{left + 166}" y2="{height - 8}" stroke="{TEXT}" '
                f'stroke-width="3"/>')
    body.append(f'<text x="{left + 172}" y="{height - 4}" font-size="12" fill="{TEXT}" {FONT}>'
                f'{escape(t("metrics.p95"))}</text>')
    median, high = summary.overall(0.5), summary.overall(0.95)
    desc = t("metrics.latency_desc", median=f"{median:.0f}" if median is not None else "-",
             p95=f"{high:.0f}" if high is not None else "-")
    return _svg(width, height, t("metrics.latency_title"), desc, body, "chart-latency")


def bars(items: list[tuple[str, int]], title: str, t: Any) -> Markup:
    """Horizontal bars with their labels (top sources, guard verdicts)."""
    row, label_w, width = 26, 330, 720
    height = max(1, len(items)) * row + 8
    peak = max([n for _, n in items] + [1])
    body = []
    for i, (label, n) in enumerate(items):
        y = 4 + i * row
        w = (width - label_w - 60) * n / peak
        shown = label if len(label) <= 48 else "…" + label[-47:]
        body.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="{TEXT}" {FONT}>'
                    f'{escape(shown)}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" height="{row - 8}" fill="{BAR}"/>')
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12" fill="{TEXT}" {FONT}>{n}</text>')
    if not items:
        body.append(f'<text x="8" y="20" font-size="13" fill="{TEXT}" {FONT}>{escape(t("metrics.none"))}</text>')
    desc = "; ".join(f"{label}: {n}" for label, n in items) or t("metrics.none")
    ident = "chart-" + "".join(ch for ch in title.lower() if ch.isalnum())[:20]
    return _svg(width, height, title, desc, body, ident)
