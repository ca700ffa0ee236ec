"""What a chart shows, as plain values: the dashboard builds these from a study summary (with
the words translated) and :mod:`desktop_crf.ui.reports.painting` draws them. No Qt here, so
what a chart holds is tested without painting it.

Kinds: :class:`SurvivalChart` (Kaplan–Meier steps per arm, confidence band, censoring marks
and the numbers at risk under the axis), :class:`ProportionChart` (a proportion per arm over
the visits, with its interval) and :class:`BarChart` (grouped or stacked bars).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass

#: Okabe–Ito colours, told apart by readers with colour-vision deficiency.
ARM_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
STATE_COLOURS = ("#009E73", "#E69F00", "#D55E00", "#999999", "#0072B2")


@dataclass(frozen=True)
class StepCurve:
    """One arm's curve: ``steps`` are (x, y, lower, upper) from x = 0, each holding until the
    next; ``censored`` the (x, y) of censoring marks; ``at_risk`` one count per tick;
    ``legend`` its key above the plot, ``short`` its name in the numbers at risk."""

    label: str
    colour: str
    steps: tuple[tuple[float, float, float, float], ...]
    censored: tuple[tuple[float, float], ...]
    at_risk: tuple[int, ...]
    legend: str = ""
    short: str = ""


@dataclass(frozen=True)
class SurvivalChart:
    """Kaplan–Meier curves on [0, 1] against years, with the numbers at risk at ``ticks``."""

    title: str
    x_label: str
    y_label: str
    at_risk_label: str
    ticks: tuple[float, ...]
    curves: tuple[StepCurve, ...]
    note: str = ""
    empty_text: str = ""


@dataclass(frozen=True)
class ProportionSeries:
    """One arm's proportion at each x: (x, estimate, lower, upper)."""

    label: str
    colour: str
    points: tuple[tuple[float, float, float, float], ...]


@dataclass(frozen=True)
class ProportionChart:
    """Proportions (0–1) with their intervals against ``x`` (weeks)."""

    title: str
    x_label: str
    y_label: str
    series: tuple[ProportionSeries, ...]
    x_max: float
    note: str = ""
    empty_text: str = ""


@dataclass(frozen=True)
class BarSeries:
    label: str
    colour: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class BarChart:
    """Bars per category: side by side, or ``stacked``; ``target`` draws a reference line."""

    title: str
    categories: tuple[str, ...]
    series: tuple[BarSeries, ...]
    stacked: bool = False
    target: float | None = None
    target_label: str = ""
    note: str = ""
    empty_text: str = ""
    value_suffix: str = ""
    labels: tuple[str, ...] = field(default=())


ChartSpec = SurvivalChart | ProportionChart | BarChart


def has_data(spec: ChartSpec) -> bool:
    """Whether the chart has anything to draw (else it shows its ``empty_text``)."""
    if isinstance(spec, SurvivalChart):
        return any(c.steps for c in spec.curves)
    if isinstance(spec, ProportionChart):
        return any(s.points for s in spec.series)
    return any(v for s in spec.series for v in s.values)


def texts(value: object) -> Iterator[str]:
    """Every text that ``value`` (a chart, one of its parts, or a sequence of them) holds:
    what a printed chart needs a font for."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        for part in value:
            yield from texts(part)
    elif is_dataclass(value) and not isinstance(value, type):
        for each in fields(value):
            yield from texts(getattr(value, each.name))
