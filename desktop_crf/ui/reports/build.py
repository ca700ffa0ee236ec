"""The dashboard's charts built from a study summary, in the user's language.

Public names: :func:`arm_names`, :func:`survival_chart`, :func:`marker_chart`,
:func:`enrolment_chart`, :func:`visits_chart`, :func:`queries_chart`, :func:`p_value_text`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop_crf.ui.reports.specs import (
    ARM_COLOURS,
    BarChart,
    BarSeries,
    ProportionChart,
    ProportionSeries,
    StepCurve,
    SurvivalChart,
)
from forms.kaplan_meier import KaplanMeier
from forms.summary import StudySummary
from forms.summary.efficacy import EndpointCurves, MarkerSeries
from forms.survival_curves import DAYS_PER_YEAR, Scale
from forms.text import Language


def arm_names(summary: StudySummary, language: Language) -> dict[str, str]:
    """Arm code → its label in ``language``."""
    return {a.code: a.label.get(language) for a in summary.study.arms}


def p_value_text(p: float | None) -> str:
    """A p-value as it is reported: three decimals, or "< 0.001"."""
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _steps(
    curve: KaplanMeier, scale: Scale
) -> tuple[tuple[tuple[float, float, float, float], ...], tuple[tuple[float, float], ...]]:
    def on_scale(s: float, low: float, high: float) -> tuple[float, float, float]:
        return (1 - s, 1 - high, 1 - low) if scale == "cumulative" else (s, low, high)

    first = 0.0 if scale == "cumulative" else 1.0
    steps = [(0.0, first, first, first)]
    censored = []
    for step in curve.steps:
        x = step.time / DAYS_PER_YEAR
        y, low, high = on_scale(step.survival, step.lower, step.upper)
        if step.events:
            steps.append((x, y, low, high))
        if step.censored:
            censored.append((x, y))
    if curve.steps and curve.last_time / DAYS_PER_YEAR > steps[-1][0]:
        last = steps[-1]
        steps.append((curve.last_time / DAYS_PER_YEAR, last[1], last[2], last[3]))
    return tuple(steps), tuple(censored)


def survival_chart(
    curves: EndpointCurves, summary: StudySummary, language: Language
) -> SurvivalChart:
    """Kaplan–Meier curves of one endpoint, an arm each, with its log-rank p-value."""
    translate = QCoreApplication.translate
    names = arm_names(summary, language)
    comparison = curves.comparison
    drawn = []
    for index, arm in enumerate(comparison.arms):
        steps, censored = _steps(arm.curve, comparison.scale)
        legend = translate("Reports", "{0}: n = {1}, events {2}").format(
            names.get(arm.arm, arm.arm), arm.curve.subjects, arm.curve.events
        )
        drawn.append(
            StepCurve(
                names.get(arm.arm, arm.arm),
                ARM_COLOURS[index % len(ARM_COLOURS)],
                steps if arm.curve.steps else (),
                censored,
                arm.at_risk,
                legend,
                arm.arm,
            )
        )
    test = comparison.log_rank
    note = ""
    if test is not None and test.p_value is not None:
        note = translate("Reports", "Log-rank p = {0}").format(p_value_text(test.p_value))
    if curves.start == "radical_treatment":
        x_label = translate("Reports", "Years since the radical treatment")
    else:
        x_label = translate("Reports", "Years since the first dose")
    if comparison.scale == "cumulative":
        y_label = translate("Reports", "Cumulative incidence")
    else:
        y_label = translate("Reports", "Event-free probability")
    return SurvivalChart(
        curves.label.get(language),
        x_label,
        y_label,
        translate("Reports", "Number at risk"),
        tuple(t / DAYS_PER_YEAR for t in comparison.ticks),
        tuple(drawn),
        note,
        translate("Reports", "No enrolled subject has a start date yet."),
    )


def marker_chart(
    marker: MarkerSeries, summary: StudySummary, language: Language
) -> ProportionChart:
    """One hepatitis B marker per arm over the visits, with Wilson 95% intervals."""
    translate = QCoreApplication.translate
    names = arm_names(summary, language)
    series = []
    weeks = [p.week for p in marker.points]
    measured = [p.week for p in marker.points if any(x.total for _a, x in p.arms)]
    for index, arm in enumerate(summary.study.arms):
        points = tuple(
            (p.week, x.estimate, x.lower or 0.0, x.upper or 0.0)
            for p in marker.points
            for code, x in p.arms
            if code == arm.code and x.estimate is not None
        )
        series.append(
            ProportionSeries(names[arm.code], ARM_COLOURS[index % len(ARM_COLOURS)], points)
        )
    return ProportionChart(
        marker.label.get(language),
        translate("Reports", "Week"),
        translate("Reports", "Proportion of subjects"),
        tuple(series),
        max(measured or weeks or [1.0]),
        translate("Reports", "Wilson 95% intervals"),
        translate("Reports", "No result recorded yet."),
    )


def enrolment_chart(summary: StudySummary, language: Language) -> BarChart:
    """Enrolled subjects per arm, against the study's target."""
    translate = QCoreApplication.translate
    names = arm_names(summary, language)
    enrolment = summary.enrolment
    note = translate("Reports", "{0} of {1} enrolled ({2:.0f}%)").format(
        enrolment.enrolled, enrolment.target, 100 * enrolment.enrolled / enrolment.target
    )
    values = tuple(float(a.enrolled) for a in enrolment.arms)
    return BarChart(
        translate("Reports", "Enrolment by arm"),
        tuple(names[a.arm] for a in enrolment.arms),
        (BarSeries(translate("Reports", "Enrolled"), ARM_COLOURS[0], values),),
        note=note,
        empty_text=translate("Reports", "No subject enrolled yet."),
    )


def visits_chart(summary: StudySummary, language: Language) -> BarChart:
    """Each scheduled visit that fell due: done in window, early, late, missed, overdue."""
    translate = QCoreApplication.translate
    due = [v for v in summary.visits.visits if v.due]
    kinds = (
        (translate("Reports", "In window"), "#009E73", "in_window"),
        (translate("Reports", "Early"), "#56B4E9", "early"),
        (translate("Reports", "Late"), "#E69F00", "late"),
        (translate("Reports", "Missed"), "#D55E00", "missed"),
        (translate("Reports", "Overdue"), "#CC79A7", "overdue"),
    )
    series = tuple(
        BarSeries(label, colour, tuple(float(getattr(v, what)) for v in due))
        for label, colour, what in kinds
    )
    rate = summary.visits.rate
    note = translate("Reports", "{0:.0f}% in window").format(rate * 100) if rate is not None else ""
    return BarChart(
        translate("Reports", "Visit compliance"),
        tuple(_short(v.label.get(language)) for v in due),
        series,
        stacked=True,
        note=note,
        empty_text=translate("Reports", "No visit has fallen due yet."),
    )


def _short(label: str) -> str:
    """ "Week 12" → "W12", "第12周" stays: the axis has little room."""
    return label.replace("Week ", "W").replace("Survival follow-up, year ", "Y")


def queries_chart(summary: StudySummary) -> BarChart:
    """Open queries by age band."""
    translate = QCoreApplication.translate
    ageing = summary.queries
    bands = (
        translate("Reports", "≤ 7 days"),
        translate("Reports", "8–14 days"),
        translate("Reports", "15–30 days"),
        translate("Reports", "> 30 days"),
    )
    note = ""
    if ageing.oldest_days is not None:
        note = translate("Reports", "Oldest: {0} days").format(ageing.oldest_days)
    return BarChart(
        translate("Reports", "Open queries by age"),
        bands,
        (
            BarSeries(
                translate("Reports", "Open"), "#CC79A7", tuple(float(b) for b in ageing.bands)
            ),
        ),
        note=note,
        empty_text=translate("Reports", "No open query."),
    )
