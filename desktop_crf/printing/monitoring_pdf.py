"""The monitor's reports as PDFs, drawn with QPdfWriter like the casebook: the monitoring visit
report (with its signature), the query report (each query with its history) and the SDV report.

A4, fonts embedded by Qt (Noto Sans CJK for Chinese on Linux), every page headed with the
report, study and site and footed with "printed by … at …" and "page x of y"; laid out twice
(count, then draw) with the same measurements. Words are the user's language (``tr``); visit,
form and item names come from the study's definitions in that language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from desktop_crf.printing.casebook_pdf import _FLAGS, _MARGINS_MM, _font, _NoneKeeper, _null_buffer
from desktop_crf.services.monitoring import Printed, QueryReport, SdvReport, VisitReport
from desktop_crf.services.queries import Query
from desktop_crf.services.sdv import Counts

_GREY = QColor(90, 90, 90)
_RESOLUTION = 300


class Names(Protocol):
    """The words for the study's codes in the reader's language (the UI's ``Labels``)."""

    def visit(self, event: str | None, repeat: int | None = 1) -> str: ...

    def form(self, form: str | None) -> str: ...

    def item(self, form: str | None, item: str | None) -> str: ...

    def value(self, form: str | None, item: str | None, value: str | None) -> str: ...

    def place(self, where: Mapping[str, Any]) -> str: ...


# -- what a page holds: a few kinds of block -------------------------------------------------


@dataclass(frozen=True)
class _Block:
    kind: str  # heading, text, note, table
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()


@dataclass
class _Doc:
    title: str
    printed: Printed
    blocks: list[_Block] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.blocks.append(_Block("heading", text))

    def text(self, text: str) -> None:
        self.blocks.append(_Block("text", text))

    def note(self, text: str) -> None:
        self.blocks.append(_Block("note", text))

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        if rows:
            self.blocks.append(
                _Block("table", rows=(tuple(header), *map(tuple, rows)), widths=tuple(widths))
            )
        else:
            self.note(QCoreApplication.translate("MonitoringPdf", "None."))


# -- the three reports ---------------------------------------------------------------------


def render_visit_report(report: VisitReport, out: IO[bytes], labels: Names) -> None:
    """The monitoring visit report: the visit, its summary, the remarks and the signature."""
    visit, summary = report.visit, report.summary
    doc = _Doc(
        QCoreApplication.translate("MonitoringPdf", "Monitoring visit report"), report.printed
    )
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Monitoring visit report"))
    period = QCoreApplication.translate("MonitoringPdf", "{0} to {1}").format(
        _time(visit.started_at),
        _time(visit.closed_at) or QCoreApplication.translate("MonitoringPdf", "open"),
    )
    doc.table(
        ("", ""),
        [
            (QCoreApplication.translate("MonitoringPdf", "Monitor"), visit.started_by),
            (QCoreApplication.translate("MonitoringPdf", "Visit"), period),
            (QCoreApplication.translate("MonitoringPdf", "Purpose"), visit.purpose or "—"),
            (
                QCoreApplication.translate("MonitoringPdf", "Done"),
                QCoreApplication.translate(
                    "MonitoringPdf",
                    "{0} values verified in {1} forms; {2} queries raised, {3} closed",
                ).format(
                    summary.values_verified,
                    len(summary.verified),
                    len(summary.raised),
                    len(summary.closed),
                ),
            ),
        ],
        (0.25, 0.75),
    )
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Verified against the source"))
    doc.table(
        (
            QCoreApplication.translate("MonitoringPdf", "Subject"),
            QCoreApplication.translate("MonitoringPdf", "Visit"),
            QCoreApplication.translate("MonitoringPdf", "Form"),
            QCoreApplication.translate("MonitoringPdf", "Values"),
        ),
        [(s, labels.visit(e, r), labels.form(f), str(n)) for s, e, r, f, n in summary.verified],
        (0.2, 0.3, 0.38, 0.12),
    )
    for title, steps in (
        (QCoreApplication.translate("MonitoringPdf", "Queries raised"), summary.raised),
        (QCoreApplication.translate("MonitoringPdf", "Queries closed"), summary.closed),
        (QCoreApplication.translate("MonitoringPdf", "Queries reopened"), summary.reopened),
    ):
        doc.heading(title)
        doc.table(
            (
                QCoreApplication.translate("MonitoringPdf", "Subject"),
                QCoreApplication.translate("MonitoringPdf", "Where"),
                QCoreApplication.translate("MonitoringPdf", "Text"),
                QCoreApplication.translate("MonitoringPdf", "When"),
            ),
            [(s.subject, labels.place(s.place), s.text, _time(s.at)) for s in steps],
            (0.18, 0.27, 0.37, 0.18),
        )
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Changed since verified"))
    doc.table(
        (
            QCoreApplication.translate("MonitoringPdf", "Subject"),
            QCoreApplication.translate("MonitoringPdf", "Visit"),
            QCoreApplication.translate("MonitoringPdf", "Form"),
            QCoreApplication.translate("MonitoringPdf", "Item"),
        ),
        [
            (s, labels.visit(e, r), labels.form(f), labels.item(f, i))
            for s, e, r, f, i in summary.changed
        ],
        (0.2, 0.25, 0.28, 0.27),
    )
    doc.text(
        QCoreApplication.translate(
            "MonitoringPdf",
            "Queries open at the site: {0}; answered and waiting for the monitor: {1}.",
        ).format(summary.open_queries, summary.answered_waiting)
    )
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Remarks"))
    doc.text(visit.remarks or "—")
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Signature"))
    signature = visit.signature
    if signature is None:
        doc.note(QCoreApplication.translate("MonitoringPdf", "Not signed."))
    else:
        state = (
            QCoreApplication.translate("MonitoringPdf", "valid")
            if report.signature_valid
            else QCoreApplication.translate("MonitoringPdf", "BROKEN: the report changed after it")
        )
        doc.text(
            QCoreApplication.translate(
                "MonitoringPdf", 'Signed by {0} ({1}) at {2} — "{3}" — signature {4}'
            ).format(
                signature.get("signer_name"),
                signature.get("signer"),
                _time(str(signature.get("signed_at"))),
                signature.get("meaning"),
                state,
            )
        )
        doc.note(
            QCoreApplication.translate("MonitoringPdf", "Content SHA-256: {0}").format(
                signature.get("content_hash")
            )
        )
    _render(doc, out)


def render_query_report(report: QueryReport, out: IO[bytes], labels: Names) -> None:
    """Every query of the site (or one subject) with its answers and history."""
    title = QCoreApplication.translate("MonitoringPdf", "Query report")
    doc = _Doc(title, report.printed)
    doc.heading(title if report.subject is None else f"{title} — {report.subject}")
    counts = {s: sum(q.status == s for q in report.queries) for s in ("open", "answered", "closed")}
    doc.note(
        QCoreApplication.translate(
            "MonitoringPdf", "{0} queries: {1} open, {2} answered, {3} closed."
        ).format(len(report.queries), counts["open"], counts["answered"], counts["closed"])
    )
    for query in report.queries:
        doc.heading(_query_title(query, labels.place(query.place)))
        doc.text(query.text or "")
        history = [
            (
                QCoreApplication.translate("MonitoringPdf", "opened"),
                query.opened_by or "",
                _time(query.opened_at),
                "",
            )
        ]
        history += [
            (
                QCoreApplication.translate("MonitoringPdf", "answer"),
                a.by or "",
                _time(a.at),
                a.text or "",
            )
            for a in query.answers
        ]
        history += [
            (
                QCoreApplication.translate("MonitoringPdf", "closed")
                if h.status == "closed"
                else QCoreApplication.translate("MonitoringPdf", "reopened"),
                h.by or "",
                _time(h.at),
                h.text or "",
            )
            for h in query.history
        ]
        history.sort(key=lambda row: row[2])
        doc.table(
            (
                QCoreApplication.translate("MonitoringPdf", "Step"),
                QCoreApplication.translate("MonitoringPdf", "By"),
                QCoreApplication.translate("MonitoringPdf", "When"),
                QCoreApplication.translate("MonitoringPdf", "Text"),
            ),
            history,
            (0.14, 0.16, 0.2, 0.5),
        )
    _render(doc, out)


def render_sdv_report(report: SdvReport, out: IO[bytes], labels: Names) -> None:
    """SDV progress per subject, values changed since verified, critical data never verified."""
    doc = _Doc(
        QCoreApplication.translate("MonitoringPdf", "Source data verification report"),
        report.printed,
    )
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Source data verification report"))
    total = report.total
    doc.text(_progress_line(total))
    doc.note(
        QCoreApplication.translate(
            "MonitoringPdf", "Other data: at least {0} % to verify (the study's sample)."
        ).format(report.sample_percent)
    )
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Per subject"))
    doc.table(
        (
            QCoreApplication.translate("MonitoringPdf", "Subject"),
            QCoreApplication.translate("MonitoringPdf", "Values"),
            QCoreApplication.translate("MonitoringPdf", "Verified"),
            QCoreApplication.translate("MonitoringPdf", "Critical verified"),
            QCoreApplication.translate("MonitoringPdf", "Changed"),
        ),
        [
            (
                s,
                str(c.values),
                _percent(c.verified, c.values),
                _percent(c.critical_verified, c.critical),
                str(c.changed),
            )
            for s, c in sorted(report.subjects.items())
        ],
        (0.24, 0.14, 0.2, 0.26, 0.16),
    )
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Changed since verified"))
    doc.table(
        (
            QCoreApplication.translate("MonitoringPdf", "Subject"),
            QCoreApplication.translate("MonitoringPdf", "Where"),
            QCoreApplication.translate("MonitoringPdf", "Value"),
            QCoreApplication.translate("MonitoringPdf", "Changed by"),
            QCoreApplication.translate("MonitoringPdf", "When"),
        ),
        [
            (
                c.key.subject_id,
                labels.place(
                    {**c.key.audit_place(), "item": c.item, "group_repeat": c.group_repeat}
                ),
                labels.value(c.key.form, c.item, c.value),
                c.changed_by,
                _time(c.changed_at),
            )
            for c in report.changed
        ],
        (0.16, 0.38, 0.14, 0.14, 0.18),
    )
    doc.heading(QCoreApplication.translate("MonitoringPdf", "Critical data not verified yet"))
    doc.table(
        (
            QCoreApplication.translate("MonitoringPdf", "Subject"),
            QCoreApplication.translate("MonitoringPdf", "Visit"),
            QCoreApplication.translate("MonitoringPdf", "Form"),
            QCoreApplication.translate("MonitoringPdf", "Values"),
            QCoreApplication.translate("MonitoringPdf", "Entered since"),
        ),
        [
            (
                d.key.subject_id,
                labels.visit(d.key.event, d.key.event_repeat),
                labels.form(d.key.form),
                str(d.to_verify),
                _time(d.since),
            )
            for d in report.due
        ],
        (0.18, 0.24, 0.3, 0.1, 0.18),
    )
    _render(doc, out)


def _progress_line(total: Counts) -> str:
    return QCoreApplication.translate(
        "MonitoringPdf",
        "{0} values entered, {1} verified ({2}); critical data {3} of {4} verified ({5}); "
        "{6} changed since verified.",
    ).format(
        total.values,
        total.verified,
        _percent(total.verified, total.values),
        total.critical_verified,
        total.critical,
        _percent(total.critical_verified, total.critical),
        total.changed,
    )


def _percent(part: int, whole: int) -> str:
    return "—" if whole == 0 else f"{100 * part / whole:.0f} %"


def _query_title(query: Query, place: str) -> str:
    number = (
        f"#{query.id}"
        if query.id is not None
        else QCoreApplication.translate("MonitoringPdf", "not sent yet")
    )
    status = {
        "open": QCoreApplication.translate("MonitoringPdf", "open"),
        "answered": QCoreApplication.translate("MonitoringPdf", "answered"),
        "closed": QCoreApplication.translate("MonitoringPdf", "closed"),
    }.get(query.status, query.status)
    return " · ".join(p for p in (number, str(query.subject or ""), place, status) if p)


def _time(stamp: str | None) -> str:
    """A UTC stamp as a person reads it: date and minutes (UTC)."""
    if not stamp:
        return ""
    return stamp[:16].replace("T", " ")


# -- drawing ------------------------------------------------------------------------------


def _render(doc: _Doc, out: IO[bytes]) -> None:
    sizes: dict[tuple[str, float, bool, float], float] = {}
    pages = _Pages(None, doc, total=0, sizes=sizes).run()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _writer(buffer, doc)
    painter = QPainter(writer)
    try:
        drawn = _Pages(painter, doc, total=pages, device=writer, sizes=sizes).run()
    finally:
        painter.end()
    buffer.close()
    if drawn != pages:  # the two passes measure alike; a difference is a bug
        raise RuntimeError(f"report laid out on {pages} pages but drawn on {drawn}")
    out.write(bytes(data.data()))


def _writer(buffer: QBuffer, doc: _Doc) -> QPdfWriter:
    writer = QPdfWriter(buffer)
    writer.setResolution(_RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(_MARGINS_MM, QPageLayout.Unit.Millimeter)
    writer.setTitle(f"{doc.title} — {doc.printed.site.site_code}")
    writer.setCreator("desktop-crf")
    return writer


class _Pages:
    """Lays the blocks out top to bottom, breaking pages; draws only with a painter."""

    def __init__(
        self,
        painter: QPainter | None,
        doc: _Doc,
        *,
        total: int,
        device: QPdfWriter | None = None,
        sizes: dict[tuple[str, float, bool, float], float] | None = None,
    ) -> None:
        self.painter, self.doc, self.total = painter, doc, total
        self._buffer = _null_buffer()
        self.device = device or _writer(self._buffer, doc)
        self.width = float(self.device.width())
        self.height = float(self.device.height())
        self.page, self.top, self.y = 1, 0.0, 0.0
        self.keeper = _NoneKeeper()
        self.sizes = {} if sizes is None else sizes
        self.metrics: dict[tuple[float, bool], QFontMetricsF] = {}
        self.footer = self._measure("x", _font(7.5), self.width)

    def run(self) -> int:
        self._start_page()
        for block in self.doc.blocks:
            self._block(block)
        self._end_page()
        self.keeper.settle()
        return self.page

    def _block(self, block: _Block) -> None:
        if block.kind == "heading":
            self._need(self._measure(block.text, _font(12, bold=True), self.width) * 3)
            self.y += 22
            self._line(block.text, _font(12, bold=True))
            self.y += 6
        elif block.kind == "text":
            self._line(block.text, _font(9.5))
            self.y += 6
        elif block.kind == "note":
            self._line(block.text, _font(8.5), grey=True)
            self.y += 6
        else:
            header, *rows = block.rows
            if any(header):
                self._row(header, block.widths, bold=True)
            for row in rows:
                self._row(row, block.widths)

    def _start_page(self) -> None:
        site = self.doc.printed.site
        self.y = 0.0
        self._line(self.doc.title, _font(9, bold=True), advance=False)
        where = f"{site.study_id} · {site.site_code}"
        self._line(where, _font(8), align_right=True)
        self.y += 8
        if self.painter is not None:
            self.painter.setPen(QPen(_GREY, 2))
            self.painter.drawLine(0, int(self.y), int(self.width), int(self.y))
        self.y += 14
        self.top = self.y

    def _end_page(self) -> None:
        font = _font(7.5)
        y = self.height - self.footer
        if self.painter is not None:
            self.painter.setPen(QPen(_GREY))
            self.painter.setFont(font)
            printed = QCoreApplication.translate(
                "MonitoringPdf", "Printed by {0} at {1} (UTC)"
            ).format(self.doc.printed.printed_by, _time(self.doc.printed.printed_at))
            self.painter.drawText(QRectF(0, y, self.width * 0.75, self.footer), _FLAGS, printed)
            self.painter.drawText(
                QRectF(0, y, self.width, self.footer),
                int(Qt.AlignmentFlag.AlignRight),
                QCoreApplication.translate("MonitoringPdf", "Page {0} of {1}").format(
                    self.page, self.total
                ),
            )

    def _need(self, height: float) -> None:
        if self.y + height > self.height - 2.2 * self.footer and self.y > self.top:
            self._end_page()
            if self.painter is not None:
                self.device.newPage()
            self.page += 1
            self._start_page()

    def _measure(self, text: str, font: QFont, width: float) -> float:
        key = (text, font.pointSizeF(), font.bold(), width)
        height = self.sizes.get(key)
        if height is None:
            self.keeper.settle()
            metrics = self.metrics.get(key[1:3])
            if metrics is None:
                metrics = self.metrics[key[1:3]] = QFontMetricsF(font, self.device)
            height = metrics.boundingRect(QRectF(0, 0, width, 1e6), _FLAGS, text).height()
            self.sizes[key] = height
        return height

    def _line(
        self,
        text: str,
        font: QFont,
        *,
        grey: bool = False,
        align_right: bool = False,
        advance: bool = True,
    ) -> None:
        height = self._measure(text, font, self.width)
        if advance:
            self._need(height)
        if self.painter is not None:
            self.painter.setFont(font)
            self.painter.setPen(QPen(_GREY if grey else QColor(0, 0, 0)))
            align = Qt.AlignmentFlag.AlignRight if align_right else Qt.AlignmentFlag.AlignLeft
            flags = int(Qt.TextFlag.TextWordWrap) | int(align)
            self.painter.drawText(QRectF(0, self.y, self.width, height), flags, text)
        if advance:
            self.y += height

    def _row(self, cells: Sequence[str], widths: Sequence[float], *, bold: bool = False) -> None:
        self.keeper.settle()
        font = _font(8.5, bold=bold)
        spans = [w * self.width for w in widths]
        height = max(self._measure(c, font, s - 12) for c, s in zip(cells, spans, strict=True)) + 6
        self._need(height)
        if self.painter is not None:
            x = 0.0
            self.painter.setFont(font)
            for text, span in zip(cells, spans, strict=True):
                self.painter.setPen(QPen(_GREY if bold else QColor(0, 0, 0)))
                self.painter.drawText(QRectF(x, self.y + 3, span - 12, height), _FLAGS, text)
                x += span
            self.painter.setPen(QPen(QColor(215, 215, 215), 1))
            self.painter.drawLine(0, int(self.y + height), int(self.width), int(self.y + height))
        self.y += height


#: How a report is drawn: the report, the file, the words for the study's codes.
Renderer = Callable[[Any, IO[bytes], Names], None]
