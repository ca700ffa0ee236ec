"""What every printed document shares: A4 pages drawn with QPdfWriter, each headed with a title
and where it comes from and footed with "printed by … at …" and "page x of y".

A document is laid out twice with the same measurements: once to count its pages, once to draw
them. Its own code puts lines and table rows on a ``Pages``, which breaks the pages; the words of
the head and foot are the document's (``Frame``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from desktop_crf.errors import ChineseFontMissing
from desktop_crf.printing.nones import NoneKeeper

_RESOLUTION = 300
_MARGINS_MM = QMarginsF(15, 18, 15, 16)
GREY = QColor(90, 90, 90)
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

#: A table cell: its text, its font and whether it is grey.
Cell = tuple[str, QFont, bool]
#: Heights measured, by text, font size, bold and width: both passes measure alike.
Sizes = dict[tuple[str, float, bool, float], float]


@dataclass(frozen=True)
class Frame:
    """The words around every page: the title and where from above, who printed it below."""

    title: str
    where: str
    printed: str
    #: "Page {0} of {1}", filled with the page and the number of pages
    page_of: str


@dataclass(frozen=True)
class Pdf:
    """How the file is written: its title, PDF version and the files attached inside it."""

    title: str
    version: QPagedPaintDevice.PdfVersion | None = None
    attachments: Sequence[tuple[str, bytes, str]] = ()  # file name, content, MIME type


def render(
    pdf: Pdf, frame: Frame, draw: Callable[[Pages], None], *, write: Callable[[bytes], object]
) -> None:
    """Lay ``draw``'s content out on pages (to count them), then draw it; write the PDF."""
    sizes: Sizes = {}
    measuring = _null_buffer()  # the measuring pass's writer draws nothing
    pages = Pages(None, _writer(measuring, pdf), frame, total=0, sizes=sizes).run(draw)
    # every text the document draws has been measured (the foot's only by the font's height)
    check_fonts([text for text, *_ in sizes] + [frame.printed, frame.page_of])
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _writer(buffer, pdf)
    for name, content, mime in pdf.attachments:
        writer.addFileAttachment(name, QByteArray(content), mime)
    painter = QPainter(writer)
    try:
        drawn = Pages(painter, writer, frame, total=pages, sizes=sizes).run(draw)
    finally:
        painter.end()
    buffer.close()
    if drawn != pages:  # the two passes measure alike; a difference is a bug
        raise RuntimeError(f"{pdf.title} laid out on {pages} pages but drawn on {drawn}")
    write(bytes(data.data()))


#: Chinese characters: radicals, punctuation, kana and bopomofo, enclosed signs and units
#: (㎎), the ideographs with their extensions and compatibility forms, the full-width forms (a
#: Chinese colon, say) and the supplementary ideographs of rare names.
_CHINESE = re.compile(
    "[\u2e80-\u2fff\u3000-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U000323af]"
)


def check_fonts(texts: Iterable[str]) -> None:
    """Refuse a document with Chinese text on a computer with no font that has it: Qt would
    leave those characters out of the PDF without a word."""
    if any(_CHINESE.search(text) for text in texts) and not QFontDatabase.families(
        QFontDatabase.WritingSystem.SimplifiedChinese
    ):
        raise ChineseFontMissing()


def _writer(buffer: QBuffer, pdf: Pdf) -> QPdfWriter:
    writer = QPdfWriter(buffer)
    writer.setResolution(_RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(_MARGINS_MM, QPageLayout.Unit.Millimeter)
    if pdf.version is not None:
        writer.setPdfVersion(pdf.version)
    writer.setTitle(pdf.title)
    writer.setCreator("desktop-crf")
    return writer


def _null_buffer() -> QBuffer:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    return buffer


_FONTS: dict[tuple[float, bool], QFont] = {}


def font(size: float, *, bold: bool = False) -> QFont:
    """The font of a size and weight (made once: QFont is implicitly shared)."""
    found = _FONTS.get((size, bold))
    if found is None:
        found = _FONTS[(size, bold)] = _make_font(size, bold)
    return found


def _make_font(size: float, bold: bool) -> QFont:
    made = QFont(_FAMILIES)
    # no "fi" ligatures: a word searched or copied from the PDF must be the word written
    made.setFeature(QFont.Tag("liga"), 0)
    made.setPointSizeF(size)
    made.setBold(bold)
    return made


class Pages:
    """Lays a document out top to bottom, breaking pages; draws only with a painter."""

    def __init__(
        self,
        painter: QPainter | None,
        device: QPdfWriter,
        frame: Frame,
        *,
        total: int,
        sizes: Sizes,
    ) -> None:
        self.painter, self.device, self.frame, self.total = painter, device, frame, total
        self.width = float(device.width())
        self.height = float(device.height())
        self.page = 1
        self.top = 0.0
        self.y = 0.0
        self.keeper = NoneKeeper()
        self.sizes = sizes
        self.metrics: dict[tuple[float, bool], QFontMetricsF] = {}
        self.footer = self.measure("x", font(7.5), self.width)

    def run(self, draw: Callable[[Pages], None]) -> int:
        """Draw the document's content between a first page's head and a last page's foot."""
        self._start_page()
        draw(self)
        self._end_page()
        self.keeper.settle()
        return self.page

    # -- pages ---------------------------------------------------------------------------

    def _start_page(self) -> None:
        self.y = 0.0
        self.line(self.frame.title, font(9, bold=True), advance=False)
        self.line(self.frame.where, font(8), align_right=True)
        self.rule()
        self.top = self.y

    def _end_page(self) -> None:
        footer_font = font(7.5)
        y = self.height - self.footer
        if self.painter is not None:
            self.painter.setPen(QPen(GREY))
            self.painter.setFont(footer_font)
            printed = self.frame.printed
            self.painter.drawText(QRectF(0, y, self.width * 0.75, self.footer), _FLAGS, printed)
            self.painter.drawText(
                QRectF(0, y, self.width, self.footer),
                int(Qt.AlignmentFlag.AlignRight),
                self.frame.page_of.format(self.page, self.total),
            )

    def new_page(self) -> None:
        """End this page and start the next."""
        self._end_page()
        if self.painter is not None:
            self.device.newPage()
        self.page += 1
        self._start_page()

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` fits on this one."""
        if self.y + height > self.height - 2.2 * self.footer and self.y > self.top:
            self.new_page()

    # -- drawing primitives ----------------------------------------------------------------

    def measure(self, text: str, font: QFont, width: float) -> float:
        """How high ``text`` stands in ``font``, wrapped at ``width``."""
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

    def line(
        self,
        text: str,
        font: QFont,
        *,
        grey: bool = False,
        indent: float = 0.0,
        align_right: bool = False,
        advance: bool = True,
    ) -> float:
        """A paragraph across the page (on a new page if it does not fit); its height."""
        width = self.width - indent
        height = self.measure(text, font, width)
        if advance:
            self.need(height)
        if self.painter is not None:
            self.painter.setFont(font)
            self.painter.setPen(QPen(GREY if grey else QColor(0, 0, 0)))
            align = Qt.AlignmentFlag.AlignRight if align_right else Qt.AlignmentFlag.AlignLeft
            flags = int(Qt.TextFlag.TextWordWrap) | int(align)
            self.painter.drawText(QRectF(indent, self.y, width, height), flags, text)
        if advance:
            self.y += height
        return height

    def rule(self) -> None:
        """A grey line across the page."""
        self.y += 8
        if self.painter is not None:
            self.painter.setPen(QPen(GREY, 2))
            self.painter.drawLine(0, int(self.y), int(self.width), int(self.y))
        self.y += 14

    def gap(self, size: float = 18) -> None:
        self.y += size

    def row(self, cells: Sequence[Cell], widths: Sequence[float]) -> None:
        """One table row; cells wrap in their column, the row as high as its tallest cell."""
        self.keeper.settle()
        spans = [w * self.width for w in widths]
        heights = [
            self.measure(text, font, span - 12)
            for (text, font, _g), span in zip(cells, spans, strict=True)
        ]
        height = max(heights) + 6
        self.need(height)
        if self.painter is not None:
            x = 0.0
            for (text, font, grey), span in zip(cells, spans, strict=True):
                self.painter.setFont(font)
                self.painter.setPen(QPen(GREY if grey else QColor(0, 0, 0)))
                self.painter.drawText(QRectF(x, self.y + 3, span - 12, height), _FLAGS, text)
                x += span
            self.painter.setPen(QPen(QColor(215, 215, 215), 1))
            self.painter.drawLine(0, int(self.y + height), int(self.width), int(self.y + height))
        self.y += height
