"""Drawing a chart spec with ``QPainter`` into any rectangle of any paint device: the widget on
screen, a PNG image, a PDF page. Sizes are in device pixels, fonts in pixels, so a chart looks
the same on each.

Public names: :func:`paint_chart`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from desktop_crf.ui.reports.specs import (
    BarChart,
    ChartSpec,
    ProportionChart,
    SurvivalChart,
    has_data,
)

_AXIS, _GRID, _TEXT, _MUTED = "#444444", "#e3e3e3", "#202124", "#5f6368"
_PAD = 10.0


def _font(painter: QPainter, pixels: float, *, bold: bool = False) -> None:
    font = QFont(painter.font())
    font.setPixelSize(max(8, round(pixels)))
    font.setBold(bold)
    painter.setFont(font)


def _text(painter: QPainter, rect: QRectF, flags: Qt.AlignmentFlag, text: str) -> None:
    painter.drawText(rect, int(flags), text)


def _title(painter: QPainter, rect: QRectF, title: str, note: str) -> QRectF:
    """Draw the title (and the note, right-aligned); return the space left below."""
    painter.setPen(QColor(_TEXT))
    _font(painter, 15, bold=True)
    line = QRectF(rect.left() + _PAD, rect.top() + 6, rect.width() - 2 * _PAD, 22)
    _text(painter, line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    if note:
        _font(painter, 12)
        painter.setPen(QColor(_MUTED))
        _text(painter, line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, note)
    return QRectF(rect.left(), rect.top() + 32, rect.width(), rect.height() - 32)


def _nice_max(value: float) -> float:
    """A round axis maximum ≥ ``value`` (1, 2, 2.5 or 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _y_axis(painter: QPainter, plot: QRectF, top: float, *, percent: bool) -> None:
    _font(painter, 11)
    for i in range(5):
        value = top * i / 4
        y = plot.bottom() - plot.height() * i / 4
        painter.setPen(QPen(QColor(_GRID), 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(QColor(_MUTED))
        label = f"{value * 100:.0f}%" if percent else f"{value:g}"
        box = QRectF(plot.left() - 52, y - 8, 46, 16)
        _text(painter, box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
    painter.setPen(QPen(QColor(_AXIS), 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())


def _axis_label(painter: QPainter, plot: QRectF, x_label: str, y_label: str) -> None:
    _font(painter, 11)
    painter.setPen(QColor(_MUTED))
    below = QRectF(plot.left(), plot.bottom() + 18, plot.width(), 16)
    _text(painter, below, Qt.AlignmentFlag.AlignCenter, x_label)
    painter.save()
    # (QTransform.fromTranslate: a call named "translate" would look like a text to translate)
    turned = QTransform.fromTranslate(plot.left() - 54, plot.center().y()).rotate(-90)
    painter.setTransform(turned, True)
    _text(
        painter,
        QRectF(-plot.height() / 2, -16, plot.height(), 16),
        Qt.AlignmentFlag.AlignCenter,
        y_label,
    )
    painter.restore()


def _empty(painter: QPainter, rect: QRectF, text: str) -> None:
    _font(painter, 13)
    painter.setPen(QColor(_MUTED))
    _text(painter, rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)


_LINE = 17.0


def _legend(painter: QPainter, rect: QRectF, entries: list[tuple[str, str]]) -> QRectF:
    """Draw a colour key per entry, one a line, at the top of ``rect``; return what is left."""
    _font(painter, 11)
    y = rect.top()
    for text, colour in entries:
        x = rect.left() + 70
        painter.setPen(QPen(QColor(colour), 3))
        painter.drawLine(QPointF(x, y + 8), QPointF(x + 16, y + 8))
        painter.setPen(QColor(_TEXT))
        _text(painter, QRectF(x + 22, y, rect.width() - 112, 16), Qt.AlignmentFlag.AlignLeft, text)
        y += _LINE
    return QRectF(rect.left(), y + 4, rect.width(), rect.bottom() - y - 4)


# -- Kaplan–Meier -------------------------------------------------------------------------------


def _survival(painter: QPainter, rect: QRectF, spec: SurvivalChart) -> None:
    rect = _legend(painter, rect, [(c.legend or c.label, c.colour) for c in spec.curves])
    rows = len(spec.curves)
    table = 22 + 16 * rows
    plot = QRectF(rect.left() + 70, rect.top() + 6, rect.width() - 90, rect.height() - 52 - table)
    x_max = spec.ticks[-1] if spec.ticks and spec.ticks[-1] > 0 else 1.0

    def px(x: float) -> float:
        return plot.left() + plot.width() * min(x, x_max) / x_max

    def py(y: float) -> float:
        return plot.bottom() - plot.height() * y

    _y_axis(painter, plot, 1.0, percent=True)
    _font(painter, 11)
    for tick in spec.ticks:
        painter.setPen(QPen(QColor(_AXIS), 1))
        painter.drawLine(QPointF(px(tick), plot.bottom()), QPointF(px(tick), plot.bottom() + 4))
        painter.setPen(QColor(_MUTED))
        _text(
            painter,
            QRectF(px(tick) - 24, plot.bottom() + 4, 48, 14),
            Qt.AlignmentFlag.AlignCenter,
            f"{tick:g}",
        )
    _axis_label(painter, plot, spec.x_label, spec.y_label)
    for curve in spec.curves:
        colour = QColor(curve.colour)
        band, line = QPolygonF(), QPainterPath()
        for i, (x, y, _low, high) in enumerate(curve.steps):
            end = curve.steps[i + 1][0] if i + 1 < len(curve.steps) else x
            if i == 0:
                line.moveTo(px(x), py(y))
            else:
                line.lineTo(px(x), py(y))
            line.lineTo(px(end), py(y))
            band.append(QPointF(px(x), py(high)))
            band.append(QPointF(px(end), py(high)))
        for i in range(len(curve.steps) - 1, -1, -1):
            x, _y, low, _high = curve.steps[i]
            end = curve.steps[i + 1][0] if i + 1 < len(curve.steps) else x
            band.append(QPointF(px(end), py(low)))
            band.append(QPointF(px(x), py(low)))
        shade = QColor(colour)
        shade.setAlpha(40)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(shade)
        painter.drawPolygon(band)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(colour, 2.2))
        painter.drawPath(line)
        painter.setPen(QPen(colour, 1.5))
        for x, y in curve.censored:
            painter.drawLine(QPointF(px(x), py(y) - 4), QPointF(px(x), py(y) + 4))
    _at_risk(painter, rect, plot, spec, px)


def _at_risk(
    painter: QPainter,
    rect: QRectF,
    plot: QRectF,
    spec: SurvivalChart,
    px: Callable[[float], float],
) -> None:
    top = plot.bottom() + 40
    _font(painter, 11, bold=True)
    painter.setPen(QColor(_TEXT))
    _text(
        painter,
        QRectF(rect.left() + _PAD, top, 200, 16),
        Qt.AlignmentFlag.AlignLeft,
        spec.at_risk_label,
    )
    _font(painter, 11)
    for row, curve in enumerate(spec.curves):
        y = top + 18 + row * 16
        painter.setPen(QColor(curve.colour))
        label = QRectF(rect.left() + _PAD, y, plot.left() - rect.left() - 2 * _PAD, 16)
        elided = painter.fontMetrics().elidedText(
            curve.short or curve.label, Qt.TextElideMode.ElideRight, int(label.width())
        )
        _text(painter, label, Qt.AlignmentFlag.AlignLeft, elided)
        for tick, count in zip(spec.ticks, curve.at_risk, strict=False):
            _text(
                painter, QRectF(px(tick) - 24, y, 48, 16), Qt.AlignmentFlag.AlignCenter, str(count)
            )


# -- proportions over the visits ------------------------------------------------------------


def _proportions(painter: QPainter, rect: QRectF, spec: ProportionChart) -> None:
    rect = _legend(painter, rect, [(s.label, s.colour) for s in spec.series])
    plot = QRectF(rect.left() + 70, rect.top() + 6, rect.width() - 90, rect.height() - 52)
    top = _nice_max(max((p[3] for s in spec.series for p in s.points), default=1.0))
    top = min(top, 1.0)
    x_max = spec.x_max or 1.0

    def px(x: float) -> float:
        return plot.left() + plot.width() * x / x_max

    def py(y: float) -> float:
        return plot.bottom() - plot.height() * min(y, top) / top

    _y_axis(painter, plot, top, percent=True)
    step = 12 if x_max <= 96 else 24 if x_max <= 144 else 48
    _font(painter, 11)
    painter.setPen(QColor(_MUTED))
    for week in range(0, int(x_max) + 1, step):
        _text(
            painter,
            QRectF(px(week) - 20, plot.bottom() + 4, 40, 14),
            Qt.AlignmentFlag.AlignCenter,
            str(week),
        )
    _axis_label(painter, plot, spec.x_label, spec.y_label)
    count = len(spec.series)
    for index, series in enumerate(spec.series):
        colour = QColor(series.colour)
        shift = (index - (count - 1) / 2) * 4
        painter.setPen(QPen(colour, 2))
        points = [QPointF(px(x) + shift, py(est)) for x, est, _l, _h in series.points]
        for a, b in itertools.pairwise(points):
            painter.drawLine(a, b)
        painter.setPen(QPen(colour, 1.2))
        for (_x, _est, low, high), point in zip(series.points, points, strict=True):
            painter.drawLine(QPointF(point.x(), py(low)), QPointF(point.x(), py(high)))
            painter.drawLine(QPointF(point.x() - 3, py(low)), QPointF(point.x() + 3, py(low)))
            painter.drawLine(QPointF(point.x() - 3, py(high)), QPointF(point.x() + 3, py(high)))
        painter.setBrush(colour)
        for point in points:
            painter.drawEllipse(point, 3.2, 3.2)
        painter.setBrush(Qt.BrushStyle.NoBrush)


# -- bars -------------------------------------------------------------------------------------


def _bars(painter: QPainter, rect: QRectF, spec: BarChart) -> None:
    plot = QRectF(rect.left() + 70, rect.top() + 24, rect.width() - 90, rect.height() - 66)
    totals = [sum(s.values[i] for s in spec.series) for i in range(len(spec.categories))]
    highest = max(totals if spec.stacked else [v for s in spec.series for v in s.values] or [0])
    top = _nice_max(max(highest, spec.target or 0))
    _y_axis(painter, plot, top, percent=False)
    slot = plot.width() / max(1, len(spec.categories))
    groups = 1 if spec.stacked else max(1, len(spec.series))
    width = min(46.0, slot * 0.7 / groups)
    _font(painter, 11)
    for i, category in enumerate(spec.categories):
        centre = plot.left() + slot * (i + 0.5)
        base = plot.bottom()
        for j, series in enumerate(spec.series):
            value = series.values[i]
            height = plot.height() * value / top
            if spec.stacked:
                bar = QRectF(centre - width / 2, base - height, width, height)
                base -= height
            else:
                left = centre - width * groups / 2 + j * width
                bar = QRectF(left, plot.bottom() - height, width - 2, height)
            painter.fillRect(bar, QColor(series.colour))
            if value and not spec.stacked:
                painter.setPen(QColor(_TEXT))
                _text(
                    painter,
                    QRectF(bar.left() - 10, bar.top() - 15, bar.width() + 20, 14),
                    Qt.AlignmentFlag.AlignCenter,
                    f"{value:g}{spec.value_suffix}",
                )
        if spec.stacked and totals[i]:
            painter.setPen(QColor(_TEXT))
            _text(
                painter,
                QRectF(centre - 30, base - 15, 60, 14),
                Qt.AlignmentFlag.AlignCenter,
                f"{totals[i]:g}",
            )
        painter.setPen(QColor(_MUTED))
        label = painter.fontMetrics().elidedText(category, Qt.TextElideMode.ElideRight, int(slot))
        _text(
            painter,
            QRectF(centre - slot / 2, plot.bottom() + 4, slot, 14),
            Qt.AlignmentFlag.AlignCenter,
            label,
        )
    if spec.target is not None:
        y = plot.bottom() - plot.height() * spec.target / top
        painter.setPen(QPen(QColor(_AXIS), 1.2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        _text(
            painter,
            QRectF(plot.left() + 4, y - 15, plot.width() - 8, 14),
            Qt.AlignmentFlag.AlignRight,
            spec.target_label,
        )
    if len(spec.series) > 1 or spec.stacked:
        legend_y = rect.top() + 4
        x = plot.left()
        for series in spec.series:
            painter.fillRect(QRectF(x, legend_y + 3, 10, 10), QColor(series.colour))
            painter.setPen(QColor(_TEXT))
            advance = painter.fontMetrics().horizontalAdvance(series.label)
            _text(
                painter,
                QRectF(x + 14, legend_y, advance + 4, 16),
                Qt.AlignmentFlag.AlignLeft,
                series.label,
            )
            x += advance + 30


def paint_chart(painter: QPainter, rect: QRectF, spec: ChartSpec) -> None:
    """Draw ``spec`` in ``rect`` of the painter's device, on white."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(rect, QColor("#ffffff"))
    body = _title(painter, rect, spec.title, spec.note)
    if not has_data(spec):
        _empty(painter, body, spec.empty_text)
    elif isinstance(spec, SurvivalChart):
        _survival(painter, body, spec)
    elif isinstance(spec, ProportionChart):
        _proportions(painter, body, spec)
    else:
        _bars(painter, body, spec)
    painter.restore()
