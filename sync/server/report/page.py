"""The sponsor's study report as one self-contained HTML page: inline CSS and SVG, no script,
no font, image or style sheet fetched from anywhere.

Public names: :func:`render_page`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from forms.summary import StudySummary
from forms.summary.sites import SiteRow
from forms.survival_curves import Estimate
from sync.server.report.svg import ARM_COLOURS, bars_svg, proportion_svg, survival_svg

_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:#202124;margin:24px auto;max-width:1360px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid
#dadce0;padding-bottom:4px}.muted{color:#5f6368}
.tiles{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.tile{background:#f8f9fa;
border-radius:6px;padding:10px 14px;min-width:150px;flex:1}.tile b{display:block;font-size:24px}
.alert{color:#b00020}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));
gap:16px}figure{margin:0;background:#fff;border:1px solid #e8eaed;border-radius:6px;
padding:8px}figcaption{font-weight:600;margin:0 0 4px}svg.chart{width:100%;height:auto;
font-size:11px}svg .grid{stroke:#e3e3e3}svg .axis{stroke:#444}svg .tick{fill:#5f6368}
svg .strong{font-weight:600}svg .km{fill:none;stroke-width:2}svg .band{opacity:.16}
svg .censor{stroke-width:1.5}svg .trend{fill:none;stroke-width:2}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid #e0e0e0;
padding:3px 8px;text-align:left}th{background:#f1f3f4}td.n{text-align:right}
"""


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, cls: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for value in row:
            number = isinstance(value, int | float) and not isinstance(value, bool)
            text = "—" if value is None else str(value)
            cells.append(f'<td class="n">{text}</td>' if number else f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(headers)}" class="muted">None.</td></tr>')
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _tile(value: str, caption: str, *, alert: bool = False) -> str:
    klass = ' class="alert"' if alert else ""
    return f'<div class="tile"><b{klass}>{escape(value)}</b>{escape(caption)}</div>'


def _tiles(summary: StudySummary) -> str:
    enrolment, visits, queries = summary.enrolment, summary.visits, summary.queries
    saes = summary.safety.saes
    overdue_saes = sum(1 for s in saes if s.state == "overdue")
    rate = visits.rate
    tiles = [
        _tile(
            f"{enrolment.enrolled} / {enrolment.target}",
            f"enrolled of the target ({100 * enrolment.enrolled / enrolment.target:.0f}%)",
        ),
        _tile(
            str(enrolment.screening),
            f"in screening, {len(summary.screening.failed)} failing a criterion",
        ),
        _tile("—" if rate is None else f"{rate * 100:.0f}%", "of visits due done in window"),
        _tile(str(len(visits.overdue)), "visits overdue", alert=bool(visits.overdue)),
        _tile(
            str(queries.open),
            f"open queries, {queries.bands[-1]} older than 30 days",
            alert=bool(queries.bands[-1]),
        ),
        _tile(str(len(saes)), f"SAEs, {overdue_saes} overdue", alert=bool(overdue_saes)),
    ]
    return '<div class="tiles">' + "".join(tiles) + "</div>"


def _days(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def _sites(rows: Sequence[SiteRow]) -> str:
    headers = [
        "Site", "Enrolled", "Screening", "Screen failures", "Visits entered",
        "Entry lag, median (days)", "Entry lag, 90th pct (days)", "Open queries",
        "Open > 30 days", "Oldest query (days)", "SAEs on time", "SAEs late", "SAEs overdue",
        "SAEs within clock", "Computers", "Last change set received (UTC)",
    ]  # fmt: skip
    body = [
        [
            r.site,
            r.enrolled,
            r.screening,
            r.screen_failed,
            r.visits_entered,
            _days(r.entry_lag_median),
            r.entry_lag_p90,
            r.open_queries,
            r.queries_over_30_days,
            r.oldest_query_days,
            r.saes_on_time,
            r.saes_late,
            r.saes_overdue,
            r.saes_pending,
            r.devices,
            r.last_seen.strftime("%Y-%m-%d %H:%M") if r.last_seen else None,
        ]
        for r in rows
    ]
    return _table(headers, body, cls="sites")


def _estimate(value: Estimate | None) -> str:
    if value is None:
        return "—"
    return f"{value.value * 100:.1f}% ({value.lower * 100:.1f}–{value.upper * 100:.1f})"


def _efficacy(summary: StudySummary, names: dict[str, str]) -> str:
    figures, landmarks = [], []
    for curves in summary.curves:
        test = curves.comparison.log_rank
        p = (
            "—"
            if test is None or test.p_value is None
            else ("< 0.001" if test.p_value < 0.001 else f"{test.p_value:.3f}")
        )
        figures.append(
            f'<figure class="km-figure"><figcaption>{escape(curves.label.en)} '
            f'<span class="muted">log-rank p = {p}</span></figcaption>'
            f"{survival_svg(curves, names)}</figure>"
        )
        for arm in curves.comparison.arms:
            for mark in arm.landmarks:
                landmarks.append(
                    [
                        curves.label.en,
                        names.get(arm.arm, arm.arm),
                        mark.years,
                        _estimate(mark.estimate),
                        mark.at_risk,
                    ]
                )
    for marker in summary.markers:
        figures.append(
            f"<figure><figcaption>{escape(marker.label.en)} "
            '<span class="muted">Wilson 95% intervals</span></figcaption>'
            f"{proportion_svg(marker, names)}</figure>"
        )
    table = _table(["Endpoint", "Arm", "Year", "Estimate (95% CI)", "At risk"], landmarks)
    return '<div class="grid">' + "".join(figures) + "</div><h3>Landmark estimates</h3>" + table


def _operations(summary: StudySummary, names: dict[str, str]) -> str:
    enrolment = summary.enrolment
    arms = bars_svg(
        [names.get(a.arm, a.arm) for a in enrolment.arms],
        [("Enrolled", ARM_COLOURS[0], [float(a.enrolled) for a in enrolment.arms])],
        label="Enrolment by arm",
    )
    due = [v for v in summary.visits.visits if v.due]
    kinds = (("In window", "#009E73", "in_window"), ("Early", "#56B4E9", "early"),
             ("Late", "#E69F00", "late"), ("Missed", "#D55E00", "missed"),
             ("Overdue", "#CC79A7", "overdue"))  # fmt: skip
    visits = bars_svg(
        [v.oid.removeprefix("SE.") for v in due],
        [(label, colour, [float(getattr(v, what)) for v in due]) for label, colour, what in kinds],
        stacked=True,
        label="Visit compliance",
    )
    ageing = bars_svg(
        ["≤ 7 days", "8–14 days", "15–30 days", "> 30 days"],
        [("Open", "#CC79A7", [float(b) for b in summary.queries.bands])],
        label="Open queries by age",
    )
    return (
        '<div class="grid">'
        f"<figure><figcaption>Enrolment by arm</figcaption>{arms}</figure>"
        f"<figure><figcaption>Visit compliance</figcaption>{visits}</figure>"
        f"<figure><figcaption>Open queries by age</figcaption>{ageing}</figure></div>"
    )


def _safety(summary: StudySummary, names: dict[str, str]) -> str:
    safety = summary.safety
    headers = ["CTCAE term"]
    for arm in summary.study.arms:
        headers += [
            f"{arm.code}: subjects",
            f"{arm.code}: events",
            f"{arm.code}: events by grade 1 · 2 · 3 · 4 · 5",
        ]
    rows = []
    for row in safety.rows:
        cells: list[Any] = [row.term]
        for cell in row.arms:
            grades = " · ".join(str(n) for n in cell.by_grade)
            if cell.ungraded:
                grades += f" + {cell.ungraded} not graded"
            cells += [cell.subjects, cell.events, grades]
        rows.append(cells)
    threshold = (
        "every grade" if safety.min_grade <= 1
        else f"grade {safety.min_grade} and above; {safety.below_threshold} below not counted"
    )  # fmt: skip
    incidence = ", ".join(
        f"{names.get(arm, arm)}: {p.successes}/{p.total}"
        + (f" ({p.estimate * 100:.0f}%)" if p.estimate is not None else "")
        for arm, p in safety.subjects_with_ae
    )
    saes = [
        [
            s.site,
            s.subject_id,
            s.arm,
            s.term,
            s.grade,
            s.aware_at.strftime("%Y-%m-%d %H:%M") if s.aware_at else None,
            s.reported_at.strftime("%Y-%m-%d %H:%M") if s.reported_at else None,
            s.state.replace("_", " "),
        ]
        for s in safety.saes
    ]
    return (
        f'<p class="muted">AEs counted: {escape(threshold)}. Subjects with an AE: '
        f"{escape(incidence)}.</p>"
        + _table(headers, rows)
        + "<h3>Serious adverse events and their 24-hour clock</h3>"
        + _table(["Site", "Subject", "Arm", "Term", "Grade", "Aware", "Reported", "Clock"], saes)
    )


def _data_quality(summary: StudySummary) -> str:
    criteria = sorted(summary.screening.criteria, key=lambda c: (-c.failed, c.id))
    failures = [[c.id, c.kind, c.failed, c.unknown, c.text.en] for c in criteria if c.failed]
    overdue = [
        [o.site, o.subject_id, o.arm, o.label.en, o.latest.isoformat(), o.days_overdue]
        for o in summary.visits.overdue[:200]
    ]
    return (
        "<h3>Screen failures by criterion</h3>"
        + _table(["Criterion", "Kind", "Screen failures", "Not known yet", "Text"], failures)
        + "<h3>Overdue visits</h3>"
        + _table(["Site", "Subject", "Arm", "Visit", "Window closed", "Days overdue"], overdue)
    )


def render_page(summary: StudySummary, sites: Sequence[SiteRow]) -> str:
    """The whole report of ``summary`` with one row per site."""
    study = summary.study
    names = {a.code: a.label.en for a in study.arms}
    arms = "; ".join(f"{a.code}: {a.label.en}" for a in study.arms)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(study.id)} study report</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(study.id)} — study report</h1>"
        f'<p class="muted">{escape(study.title.en)}<br>Protocol version {escape(study.version)}'
        f" · sponsor {escape(study.sponsor)} · {len(sites)} sites · {summary.subjects} subjects"
        f" · data as held by the server on {summary.now.strftime('%Y-%m-%d %H:%M %Z')}"
        f"<br>Arms: {escape(arms)}</p>"
        + _tiles(summary)
        + "<h2>Sites</h2>"
        + _sites(sites)
        + "<h2>Efficacy</h2>"
        + _efficacy(summary, names)
        + "<h2>Enrolment, visits and queries</h2>"
        + _operations(summary, names)
        + "<h2>Safety</h2>"
        + _safety(summary, names)
        + "<h2>Screening and overdue visits</h2>"
        + _data_quality(summary)
        + '<h2>Methods</h2><p class="muted">Kaplan–Meier estimates (Kaplan and Meier 1958) '
        "with Greenwood variances (1926) and 95% limits on the log(−log) scale; arms compared "
        "by the log-rank test; proportions with Wilson score intervals (1927). A year is 365.25 "
        "days. Every figure is computed from the entries the server holds.</p>"
        "</body></html>"
    )
