"""One chart widget: it paints its spec on screen, and the same painting goes into a PNG image
or a PDF (``QPdfWriter``), one chart or several to a file. No Qt Charts: it is deprecated and
ships only in PySide6-Addons, which the application does not install.

Public names: :class:`ChartWidget`, :func:`chart_image`, :func:`save_png`, :func:`save_pdf`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QPoint, QRectF, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPaintEvent, QPdfWriter
from PySide6.QtWidgets import QFileDialog, QMenu, QSizePolicy, QWidget

from desktop_crf.errors import KnownError
from desktop_crf.printing.nones import NoneKeeper
from desktop_crf.printing.pages import check_fonts
from desktop_crf.ui.errors import show_error
from desktop_crf.ui.reports.painting import paint_chart
from desktop_crf.ui.reports.specs import ChartSpec, texts

#: Charts are laid out for this size on a PDF page (device pixels at 96 dpi).
PDF_DPI = 96


def chart_image(spec: ChartSpec, size: QSize, *, scale: float = 1.0) -> QImage:
    """The chart laid out for ``size`` and drawn on a white image ``scale`` times as large
    (2: sharp on a high-density screen or in a document)."""
    keeper = NoneKeeper()  # drawn at every refresh of the dashboard
    image = QImage(size * scale, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        paint_chart(painter, QRectF(0, 0, size.width(), size.height()), spec)
    finally:
        painter.end()
        keeper.settle()
    return image


PNG_SIZE = QSize(900, 500)


def save_png(spec: ChartSpec, path: Path, size: QSize = PNG_SIZE, *, scale: float = 2.0) -> bool:
    """Write the chart as a PNG image; False if the file could not be written."""
    return bool(chart_image(spec, size, scale=scale).save(str(path.with_suffix(".png"))))


def save_pdf(specs: Sequence[ChartSpec], path: Path, *, title: str = "") -> bool:
    """Write the charts to a PDF, A4 landscape, two charts a page; False if it could not be
    written. Charts with Chinese text on a computer with no Chinese font are refused
    (``ChineseFontMissing``) before the file is made."""
    check_fonts([title, *texts(specs)])
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator("desktop-crf")
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape,
        QMarginsF(12, 12, 12, 12),
        QPageLayout.Unit.Millimeter,
    )
    writer.setPageLayout(layout)
    painter = QPainter()
    if not painter.begin(writer):
        return False
    keeper = NoneKeeper()
    try:
        page = QRectF(writer.pageLayout().paintRectPixels(PDF_DPI))
        page.moveTo(0, 0)
        half = page.height() / 2
        for index, spec in enumerate(specs):
            if index and index % 2 == 0:
                writer.newPage()
            top = half * (index % 2)
            paint_chart(painter, QRectF(0, top, page.width(), half - 8), spec)
    finally:
        painter.end()
        keeper.settle()
    return path.exists() and path.stat().st_size > 0


class ChartWidget(QWidget):
    """Shows one chart; right-click saves it as PNG or PDF when ``may_export``.

    The chart is drawn once into an image of the widget's size, which paints copy: a
    dashboard can draw its charts one at a time, each in its own turn of the event loop.
    Emits ``saved(path)`` after a file was written."""

    saved = Signal(str)

    def __init__(self, spec: ChartSpec, *, may_export: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChartWidget")
        self.spec = spec
        self.may_export = may_export
        self._image: QImage | None = None
        self._image_size = QSize()
        self._stale = True
        self.setMinimumSize(QSize(420, 300))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def set_spec(self, spec: ChartSpec, *, render: bool = True) -> None:
        """Show ``spec``: drawn now (``render``), or at the next paint; until then the
        widget keeps showing the chart it had."""
        self.spec = spec
        self._stale = True
        if render:
            self.render_now()

    def render_now(self) -> None:
        """Draw the chart into the widget's image (a paint then only copies it)."""
        if self._stale or self._image is None or self._image_size != self.size():
            ratio = self.devicePixelRatioF()
            self._image = chart_image(self.spec, self.size(), scale=ratio)
            self._image.setDevicePixelRatio(ratio)
            self._image_size = self.size()
            self._stale = False
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, 360)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None or self._image_size != self.size():
            self.render_now()
        painter = QPainter(self)
        try:
            assert self._image is not None
            painter.drawImage(0, 0, self._image)
        finally:
            painter.end()

    def _menu(self, at: QPoint) -> None:
        if not self.may_export:
            return
        menu = QMenu(self)
        png = menu.addAction(self.tr("Save chart as PNG…"))
        pdf = menu.addAction(self.tr("Save chart as PDF…"))
        chosen = menu.exec(self.mapToGlobal(at))
        if chosen is png:
            self.ask_and_save("png")
        elif chosen is pdf:
            self.ask_and_save("pdf")

    def ask_and_save(self, kind: str) -> None:
        """Ask where, then write the chart there."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = Path(folder or Path.home()) / f"chart.{kind}"
        wanted = self.tr("PNG images (*.png)") if kind == "png" else self.tr("PDF files (*.pdf)")
        path, _kind = QFileDialog.getSaveFileName(
            self, self.tr("Save the chart"), str(name), wanted
        )
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> bool:
        """Write the chart to ``path``: a PDF for ``.pdf``, else a PNG laid out as on screen
        at twice its pixels."""
        if path.suffix.lower() == ".pdf":
            try:
                written = save_pdf([self.spec], path)
            except KnownError as exc:  # no font for its Chinese
                show_error(exc, self)
                return False
        else:
            written = save_png(self.spec, path.with_suffix(".png"), self.size())
        if written:
            self.saved.emit(str(path))
        return written
