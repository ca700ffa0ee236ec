"""The subject casebook as a PDF, drawn with QPdfWriter.

A4, fonts embedded by Qt (the Chinese labels need a CJK font on the machine: Noto Sans CJK on
Linux, the system's on Windows and macOS), every page headed with the subject, study and site
and footed with "printed by … at …" and "page x of y". The pages are laid out twice: once to
count them, once to draw them, with the same measurements.

The subject's Transactional ODM is attached inside the PDF (``addFileAttachment``). That is
why the file is PDF 1.6 and not PDF/A: the only PDF/A level Qt writes (PDF/A-1b) forbids
embedded files.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import IO

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from desktop_crf.services.casebook import Casebook, FormPage, QueryLine, VisitPart

_RESOLUTION = 300
_MARGINS_MM = QMarginsF(15, 18, 15, 16)
_GREY = QColor(90, 90, 90)
#: Latin text in a Latin font, Chinese in a CJK one (Qt picks, glyph by glyph, the first family
#: that has it). Digits drawn from a CJK font lose their text in some PDF readers' copy/search.
_FAMILIES = [
    "Noto Sans",
    "DejaVu Sans",
    "Segoe UI",
    "Helvetica Neue",
    "Arial",
    "Noto Sans CJK SC",
    "Microsoft YaHei",
    "PingFang SC",
]
_FLAGS = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)


def render_casebook(book: Casebook, odm: bytes, out: IO[bytes]) -> None:
    """Draw ``book`` as a PDF into ``out``, with ``odm`` attached."""
    sizes: dict[tuple[str, float, bool, float], float] = {}  # both passes measure alike
    pages = _Flow(None, book, total=0, sizes=sizes).run()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _writer(buffer, book)
    writer.addFileAttachment(f"{book.subject_id}-odm.xml", QByteArray(odm), "application/xml")
    painter = QPainter(writer)
    try:
        drawn = _Flow(painter, book, total=pages, device=writer, sizes=sizes).run()
    finally:
        painter.end()
    buffer.close()
    if drawn != pages:  # the two passes measure alike; a difference is a bug
        raise RuntimeError(f"casebook laid out on {pages} pages but drawn on {drawn}")
    out.write(bytes(data.data()))


def _writer(buffer: QBuffer, book: Casebook) -> QPdfWriter:
    writer = QPdfWriter(buffer)
    writer.setResolution(_RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(_MARGINS_MM, QPageLayout.Unit.Millimeter)
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_1_6)
    writer.setTitle(f"Casebook {book.subject_id} — {book.study_id}")
    writer.setCreator("desktop-crf")
    return writer


_FONTS: dict[tuple[float, bool], QFont] = {}


def _font(size: float, *, bold: bool = False) -> QFont:
    """The font of a size and weight (made once: QFont is implicitly shared)."""
    found = _FONTS.get((size, bold))
    if found is None:
        found = _FONTS[(size, bold)] = _make_font(size, bold)
    return found


def _make_font(size: float, bold: bool) -> QFont:
    font = QFont(_FAMILIES)
    # no "fi" ligatures: a word searched or copied from the PDF must be the word written
    font.setFeature(QFont.Tag("liga"), 0)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


#: PySide6 6.12 drops references to None it never took: its void setters (QFont.setBold,
#: QFont.setPointSizeF, some QPainter calls…) each release one. A long casebook would bring
#: None's count to zero and crash the interpreter, so the layout gives back, for good, what was
#: lost after every line it draws (nothing, once PySide6 is fixed).
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _NoneKeeper:
    def __init__(self) -> None:
        self.count = sys.getrefcount(None)

    def settle(self) -> None:
        for _ in range(self.count - sys.getrefcount(None)):
            _incref(None)
        self.count = sys.getrefcount(None)


class _Flow:
    """Lays the casebook out top to bottom, breaking pages; draws only with a painter."""

    def __init__(
        self,
        painter: QPainter | None,
        book: Casebook,
        *,
        total: int,
        device: QPdfWriter | None = None,
        sizes: dict[tuple[str, float, bool, float], float] | None = None,
    ) -> None:
        self.painter, self.book, self.total = painter, book, total
        self._buffer = _null_buffer()  # the measuring pass's writer draws nothing
        self.device = device or _writer(self._buffer, book)
        self.width = float(self.device.width())
        self.height = float(self.device.height())
        self.page = 1
        self.top = 0.0
        self.y = 0.0
        self.keeper = _NoneKeeper()
        self.sizes = {} if sizes is None else sizes
        self.metrics: dict[tuple[float, bool], QFontMetricsF] = {}
        self.footer = self._measure("x", _font(7.5), self.width)

    # -- pages ---------------------------------------------------------------------------

    def run(self) -> int:
        self._start_page()
        self._cover()
        for visit in self.book.visits:
            self._visit(visit)
        self._appendix()
        self._end_page()
        self.keeper.settle()
        return self.page

    def _start_page(self) -> None:
        title = f"Casebook · 病例报告 — {self.book.subject_id}"
        where = f"{self.book.study_id} · site {self.book.site}"
        self.y = 0.0
        self._line(title, _font(9, bold=True), grey=False, advance=False)
        self._line(where, _font(8), align_right=True)
        self._rule()
        self.top = self.y

    def _end_page(self) -> None:
        footer_font = _font(7.5)
        height = self._measure("x", footer_font, self.width)
        y = self.height - height
        if self.painter is not None:
            self.painter.setPen(QPen(_GREY))
            self.painter.setFont(footer_font)
            printed = f"Printed by {self.book.printed_by} at {self.book.printed_at} (UTC)"
            self.painter.drawText(QRectF(0, y, self.width * 0.75, height), _FLAGS, printed)
            self.painter.drawText(
                QRectF(0, y, self.width, height),
                int(Qt.AlignmentFlag.AlignRight),
                f"Page {self.page} of {self.total}",
            )

    def _bottom(self) -> float:
        return self.height - 2.2 * self.footer

    def _need(self, height: float) -> None:
        """Start a new page unless ``height`` fits on this one."""
        if self.y + height > self._bottom() and self.y > self.top:
            self._end_page()
            if self.painter is not None:
                self.device.newPage()
            self.page += 1
            self._start_page()

    # -- drawing primitives ----------------------------------------------------------------

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
        indent: float = 0.0,
        align_right: bool = False,
        advance: bool = True,
    ) -> float:
        width = self.width - indent
        height = self._measure(text, font, width)
        if advance:
            self._need(height)
        if self.painter is not None:
            self.painter.setFont(font)
            self.painter.setPen(QPen(_GREY if grey else QColor(0, 0, 0)))
            flags = int(Qt.TextFlag.TextWordWrap) | int(
                Qt.AlignmentFlag.AlignRight if align_right else Qt.AlignmentFlag.AlignLeft
            )
            self.painter.drawText(QRectF(indent, self.y, width, height), flags, text)
        if advance:
            self.y += height
        return height

    def _rule(self) -> None:
        self.y += 8
        if self.painter is not None:
            self.painter.setPen(QPen(_GREY, 2))
            self.painter.drawLine(0, int(self.y), int(self.width), int(self.y))
        self.y += 14

    def _gap(self, size: float = 18) -> None:
        self.y += size

    def _row(self, cells: list[tuple[str, QFont, bool]], widths: list[float]) -> None:
        """One table row; cells wrap in their column, the row as high as its tallest cell."""
        self.keeper.settle()
        spans = [w * self.width for w in widths]
        heights = [
            self._measure(text, font, span - 12)
            for (text, font, _g), span in zip(cells, spans, strict=True)
        ]
        height = max(heights) + 6
        self._need(height)
        if self.painter is not None:
            x = 0.0
            for (text, font, grey), span in zip(cells, spans, strict=True):
                self.painter.setFont(font)
                self.painter.setPen(QPen(_GREY if grey else QColor(0, 0, 0)))
                self.painter.drawText(QRectF(x, self.y + 3, span - 12, height), _FLAGS, text)
                x += span
            self.painter.setPen(QPen(QColor(215, 215, 215), 1))
            self.painter.drawLine(0, int(self.y + height), int(self.width), int(self.y + height))
        self.y += height

    # -- content -------------------------------------------------------------------------

    def _cover(self) -> None:
        book = self.book
        self._line(f"Subject {book.subject_id}", _font(16, bold=True))
        self._line(book.study_title.en, _font(10))
        self._line(book.study_title.zh, _font(10), grey=True)
        self._gap()
        subject = book.subject
        for label, field in (
            ("Status · 状态", "status"),
            ("Arm · 组别", "arm"),
            ("Screened on · 筛选日期", "screened_on"),
            ("Enrolled on · 入组日期", "enrolled_on"),
            ("Anchor date · 基线日期", "anchor_date"),
            ("NA drug · 核苷（酸）类药物", "na_drug"),
            ("Consent · 知情同意", "consent_date"),
            ("Study version · 方案版本", "study_version"),
        ):
            self._row(
                [(label, _font(9), True), (str(subject.get(field) or "—"), _font(9), False)],
                [0.35, 0.65],
            )
        self._queries(book.subject_queries)
        self._gap(30)

    def _visit(self, visit: VisitPart) -> None:
        repeat = f" #{visit.event_repeat}" if visit.event_repeat > 1 else ""
        self._need(220)
        self._gap(24)
        self._line(f"{visit.label.en}{repeat}  ·  {visit.label.zh}", _font(13, bold=True))
        self._line(f"{visit.event}{repeat}", _font(8), grey=True)
        for page in visit.forms:
            self._form(page)

    def _form(self, page: FormPage) -> None:
        self._need(160)
        self._gap(12)
        status = {"complete": "complete · 已完成", "draft": "draft · 草稿"}.get(
            page.status or "", page.status or "—"
        )
        self._line(f"{page.label.en} · {page.label.zh}", _font(11, bold=True))
        self._line(f"{page.form} — {status}", _font(8), grey=True)
        if not page.values:
            self._line("No values recorded · 无数据", _font(9), grey=True)
        for value in page.values:
            label = f"{value.label.en}\n{value.label.zh}"
            if value.repeat is not None:
                label = f"[{value.repeat}] {label}"
            shown = value.value
            if value.decoded is not None:
                shown += f"  ({value.decoded.en} · {value.decoded.zh})"
            self._row(
                [
                    (label, _font(8.5), False),
                    (shown, _font(9), False),
                    (value.unit or "", _font(8.5), True),
                ],
                [0.48, 0.38, 0.14],
            )
        self._signature(page)
        self._queries(page.queries)

    def _signature(self, page: FormPage) -> None:
        sig = page.signature
        if sig is None:
            self._line("Not signed · 未签名", _font(8.5), grey=True)
            return
        state = "valid" if sig.get("state") == "valid" else "BROKEN: the form changed after it"
        text = (
            f"Signed by {sig['signer_name']} ({sig['signer']}) at {sig['signed_at']} — "
            f'"{sig["meaning"]}" — content SHA-256 {sig["content_hash"]} — signature {state}'
        )
        self._gap(6)
        self._line(text, _font(8.5, bold=True))

    def _queries(self, queries: tuple[QueryLine, ...]) -> None:
        for query in queries:
            self._gap(4)
            self._line(
                f"Query ({query.status}) on {query.where}, opened {query.opened}: {query.text}",
                _font(8.5),
            )
            for answer in query.answers:
                self._line(f"Answer: {answer}", _font(8.5), grey=True, indent=40)

    def _appendix(self) -> None:
        self._end_page()
        if self.painter is not None:
            self.device.newPage()
        self.page += 1
        self._start_page()
        self._line("Appendix: audit trail · 附录：稽查轨迹", _font(13, bold=True))
        self._line(
            "Every change recorded for this subject, oldest first; each entry's hash chains "
            "to its device's previous entry (the attached ODM file carries them all).",
            _font(8.5),
            grey=True,
        )
        self._gap()
        small, tiny = _font(7.5), _font(7)
        self._row(
            [
                ("Time (UTC) · entry", small, True),
                ("User · action", small, True),
                ("Where", small, True),
                ("Old → new · reason", small, True),
            ],
            [0.2, 0.2, 0.25, 0.35],
        )
        for entry in self.book.trail:
            where = " / ".join(str(entry[k]) for k in ("event", "form", "item") if entry.get(k))
            change = ""
            if entry.get("old") is not None or entry.get("new") is not None:
                change = f"{_text(entry.get('old'))} → {_text(entry.get('new'))}"
                if entry.get("unit"):
                    change += f" {entry['unit']}"
            if entry.get("reason"):
                change += f"\nReason: {entry['reason']}"
            self._row(
                [
                    (f"{entry['ts']}\n{entry['device']}#{entry['seq']}", tiny, False),
                    (f"{entry['user']} ({entry['role']})\n{entry['action']}", tiny, False),
                    (where, tiny, False),
                    (change, tiny, False),
                ],
                [0.2, 0.2, 0.25, 0.35],
            )


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _null_buffer() -> QBuffer:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    return buffer


Renderer = Callable[[Casebook, bytes, IO[bytes]], None]
