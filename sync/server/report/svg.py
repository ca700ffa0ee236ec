"""Charts of the sponsor's report as inline SVG: Kaplan–Meier curves per arm with their bands,
censoring marks and the numbers at risk under the axis; proportions over the visits with their
intervals; bars. Text is escaped; nothing refers to anything outside the page.

Public names: :data:`ARM_COLOURS`, :func:`survival_svg`, :func:`proportion_svg`,
:func:`bars_svg`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

from forms.summary.efficacy import EndpointCurves, MarkerSeries
from forms.survival_curves import DAYS_PER_YEAR

#: Okabe–Ito colours, as on the desktop dashboard.
ARM_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
_W, _LEFT, _RIGHT = 640.0, 64.0, 16.0


def _f(value: float) -> str:
    return f"{value:.1f}"


def _text(x: float, y: float, text: str, *, anchor: str = "middle", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}"{klass}>{escape(text)}</text>'


def _grid(y: float) -> str:
    return f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{_f(y)}" y2="{_f(y)}"/>'


def _y_axis(top: float, bottom: float, scale_max: float) -> list[str]:
    parts = []
    for i in range(5):
        value = scale_max * i / 4
        y = bottom - (bottom - top) * i / 4
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{_f(y)}" y2="{_f(y)}"/>'
        )
        parts.append(_text(_LEFT - 6, y + 4, f"{value * 100:.0f}%", anchor="end", cls="tick"))
    parts.append(f'<line class="axis" x1="{_LEFT}" x2="{_LEFT}" y1="{_f(top)}" y2="{_f(bottom)}"/>')
    parts.append(
        f'<line class="axis" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{_f(bottom)}" y2="{_f(bottom)}"/>'
    )
    return parts


def _legend(entries: Sequence[tuple[str, str]], y: float) -> list[str]:
    parts = []
    for index, (label, colour) in enumerate(entries):
        row = y + 16 * index
        parts.append(
            f'<line x1="{_LEFT}" x2="{_LEFT + 16}" y1="{_f(row - 4)}" y2="{_f(row - 4)}" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
        parts.append(_text(_LEFT + 22, row, label, anchor="start"))
    return parts


def _svg(height: float, parts: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W:.0f} {height:.0f}" '
        f'role="img" aria-label="{escape(label)}" class="chart">' + "".join(parts) + "</svg>"
    )


def survival_svg(curves: EndpointCurves, arm_names: Mapping[str, str]) -> str:
    """One endpoint's curves, an arm each, with the numbers at risk under the axis."""
    comparison = curves.comparison
    arms = comparison.arms
    legend = [
        (
            f"{arm_names.get(a.arm, a.arm)}: n = {a.curve.subjects}, events {a.curve.events}",
            ARM_COLOURS[i % len(ARM_COLOURS)],
        )
        for i, a in enumerate(arms)
    ]
    top = 14 + 16 * len(legend)
    bottom = top + 220
    x_max = comparison.ticks[-1] if comparison.ticks and comparison.ticks[-1] > 0 else 1.0
    cumulative = comparison.scale == "cumulative"

    def px(days: float) -> float:
        return _LEFT + (_W - _LEFT - _RIGHT) * min(days, x_max) / x_max

    def py(value: float) -> float:
        return bottom - (bottom - top) * value

    parts = _legend(legend, 12) + _y_axis(top, bottom, 1.0)
    for tick in comparison.ticks:
        parts.append(_text(px(tick), bottom + 14, f"{tick / DAYS_PER_YEAR:g}", cls="tick"))
    start = "radical treatment" if curves.start == "radical_treatment" else "first dose"
    parts.append(_text((_LEFT + _W - _RIGHT) / 2, bottom + 30, f"Years since the {start}"))
    for index, arm in enumerate(arms):
        colour = ARM_COLOURS[index % len(ARM_COLOURS)]
        first = 0.0 if cumulative else 1.0
        points = [(0.0, first, first, first)]
        marks = []
        for step in arm.curve.steps:
            s, low, high = step.survival, step.lower, step.upper
            value = (1 - s, 1 - high, 1 - low) if cumulative else (s, low, high)
            if step.events:
                points.append((step.time, *value))
            if step.censored:
                marks.append((step.time, value[0]))
        if not arm.curve.steps:
            continue
        points.append((arm.curve.last_time, *points[-1][1:]))
        line = f"M{_f(px(0))},{_f(py(first))}"
        upper: list[str] = []
        lower: list[str] = []
        for i, (x, y, low, high) in enumerate(points):
            end = points[i + 1][0] if i + 1 < len(points) else x
            line += f" L{_f(px(x))},{_f(py(y))} L{_f(px(end))},{_f(py(y))}"
            upper += [f"{_f(px(x))},{_f(py(high))}", f"{_f(px(end))},{_f(py(high))}"]
            # the lower edge goes back from right to left: each step from its end to its start
            lower[:0] = [f"{_f(px(end))},{_f(py(low))}", f"{_f(px(x))},{_f(py(low))}"]
        band = " ".join(upper + lower)
        parts.append(f'<polygon class="band" points="{band}" fill="{colour}"/>')
        parts.append(f'<path class="km" d="{line}" stroke="{colour}"/>')
        for x, y in marks:
            parts.append(
                f'<line class="censor" x1="{_f(px(x))}" x2="{_f(px(x))}" y1="{_f(py(y) - 4)}" '
                f'y2="{_f(py(y) + 4)}" stroke="{colour}"/>'
            )
    y = bottom + 52
    parts.append(_text(8, y, "Number at risk", anchor="start", cls="strong"))
    for index, arm in enumerate(arms):
        row = y + 16 * (index + 1)
        colour = ARM_COLOURS[index % len(ARM_COLOURS)]
        parts.append(f'<text x="8" y="{_f(row)}" fill="{colour}">{escape(arm.arm)}</text>')
        for tick, count in zip(comparison.ticks, arm.at_risk, strict=False):
            parts.append(
                f'<text x="{_f(px(tick))}" y="{_f(row)}" text-anchor="middle" '
                f'fill="{colour}">{count}</text>'
            )
    return _svg(y + 16 * len(arms) + 10, parts, curves.label.en)


def proportion_svg(marker: MarkerSeries, arm_names: Mapping[str, str]) -> str:
    """One marker's proportion per arm at each visit, with Wilson 95% intervals."""
    codes = [code for code, _p in marker.points[0].arms] if marker.points else []
    legend = [(arm_names.get(c, c), ARM_COLOURS[i % len(ARM_COLOURS)]) for i, c in enumerate(codes)]
    top = 14 + 16 * len(legend)
    bottom = top + 200
    uppers = [p.upper for point in marker.points for _c, p in point.arms if p.upper is not None]
    scale_max = min(1.0, _nice(max(uppers, default=1.0)))
    weeks = [pt.week for pt in marker.points if any(p.total for _c, p in pt.arms)]
    x_max = max(weeks, default=1.0) or 1.0

    def px(week: float) -> float:
        return _LEFT + (_W - _LEFT - _RIGHT) * week / x_max

    def py(value: float) -> float:
        return bottom - (bottom - top) * min(value, scale_max) / scale_max

    parts = _legend(legend, 12) + _y_axis(top, bottom, scale_max)
    step = 12 if x_max <= 96 else 24 if x_max <= 144 else 48
    for week in range(0, int(x_max) + 1, step):
        parts.append(_text(px(week), bottom + 14, str(week), cls="tick"))
    parts.append(_text((_LEFT + _W - _RIGHT) / 2, bottom + 30, "Week"))
    for index, code in enumerate(codes):
        colour = ARM_COLOURS[index % len(ARM_COLOURS)]
        shift = (index - (len(codes) - 1) / 2) * 4
        points = []
        for point in marker.points:
            found = dict(point.arms)[code]
            if found.estimate is None or found.lower is None or found.upper is None:
                continue
            x = px(point.week) + shift
            points.append(f"{_f(x)},{_f(py(found.estimate))}")
            parts.append(
                f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(py(found.lower))}" '
                f'y2="{_f(py(found.upper))}" stroke="{colour}"/>'
            )
            parts.append(
                f'<circle class="point" cx="{_f(x)}" cy="{_f(py(found.estimate))}" r="3" '
                f'fill="{colour}"><title>{escape(point.label.en)}: {found.successes}/'
                f"{found.total}</title></circle>"
            )
        if len(points) > 1:
            parts.append(f'<polyline class="trend" points="{" ".join(points)}" stroke="{colour}"/>')
    return _svg(bottom + 40, parts, marker.label.en)


def _nice(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(float(s * power) for s in (1, 2, 2.5, 5, 10) if value <= s * power)


def bars_svg(
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float]]],
    *,
    stacked: bool = False,
    label: str,
) -> str:
    """Bars per category (side by side, or stacked), each series (label, colour, values)."""
    top, bottom = 14 + (16 if len(series) > 1 else 0), 214.0
    totals = [sum(s[2][i] for s in series) for i in range(len(categories))]
    values = totals if stacked else [v for s in series for v in s[2]]
    scale_max = _nice(max(values, default=0) or 1)
    parts = []
    for i in range(5):
        y = bottom - (bottom - top) * i / 4
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{_f(y)}" y2="{_f(y)}"/>'
        )
        parts.append(_text(_LEFT - 6, y + 4, f"{scale_max * i / 4:g}", anchor="end", cls="tick"))
    if len(series) > 1:
        x = _LEFT
        for name, colour, _v in series:
            parts.append(f'<rect x="{_f(x)}" y="3" width="10" height="10" fill="{colour}"/>')
            parts.append(_text(x + 14, 12, name, anchor="start"))
            x += 24 + 7 * len(name)
    slot = (_W - _LEFT - _RIGHT) / max(1, len(categories))
    groups = 1 if stacked else max(1, len(series))
    width = min(40.0, slot * 0.7 / groups)
    for i, category in enumerate(categories):
        centre = _LEFT + slot * (i + 0.5)
        base = bottom
        for j, (name, colour, vals) in enumerate(series):
            height = (bottom - top) * vals[i] / scale_max
            if stacked:
                x, y = centre - width / 2, base - height
                base -= height
            else:
                x, y = centre - width * groups / 2 + j * width, bottom - height
            parts.append(
                f'<rect class="bar" x="{_f(x)}" y="{_f(y)}" width="{_f(width - 1)}" '
                f'height="{_f(height)}" fill="{colour}"><title>{escape(name)}: {vals[i]:g}'
                "</title></rect>"
            )
        parts.append(_text(centre, bottom + 14, category, cls="tick"))
        if totals[i]:
            parts.append(
                _text(
                    centre,
                    (
                        base
                        if stacked
                        else bottom - (bottom - top) * max(s[2][i] for s in series) / scale_max
                    )
                    - 4,
                    f"{totals[i]:g}",
                    cls="tick",
                )
            )
    parts.append(
        f'<line class="axis" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{bottom}" y2="{bottom}"/>'
    )
    return _svg(bottom + 24, parts, label)
