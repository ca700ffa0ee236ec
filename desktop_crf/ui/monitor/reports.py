"""Printing the monitor's reports to PDF: the file chosen, the report gathered and drawn on the
store worker (``services.monitoring.export_report``, an audit entry like every export), and
what happened said in the view's status line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, Any

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_crf.errors import KnownError
from desktop_crf.services import monitoring
from desktop_crf.services.odm_export import ExportResult
from desktop_crf.ui.context import UiContext


class ReportPrinter(QObject):
    """``finished(ok, text)`` once a report was written or refused."""

    finished = Signal(bool, str)

    def __init__(self, ctx: UiContext, *, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self._parent = ctx, parent

    def choose_file(self, kind: str, **options: Any) -> None:
        """Ask where to write (Documents, a dated name), then write the report there."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"{kind}-{self.ctx.site.site_code}-{date.today().isoformat()}.pdf"
        path, _kind = QFileDialog.getSaveFileName(
            self._parent,
            self.tr("Save the report as PDF"),
            str(Path(folder or Path.home()) / name),
            self.tr("PDF files (*.pdf)"),
        )
        if path:
            self.write_to(Path(path), kind, **options)

    def write_to(self, path: Path, kind: str, **options: Any) -> None:
        """Write the report ``kind`` to ``path`` on the store worker."""
        from desktop_crf.printing import monitoring_pdf  # Qt's PDF writer, loaded when printing

        if not path.suffix:
            path = path.with_suffix(".pdf")
        renderers: dict[str, monitoring_pdf.Renderer] = {
            "visit-report": monitoring_pdf.render_visit_report,
            "query-report": monitoring_pdf.render_query_report,
            "sdv-report": monitoring_pdf.render_sdv_report,
        }
        draw = renderers[kind]
        labels = self.ctx.labels

        def render(report: Any, out: IO[bytes]) -> None:
            draw(report, out, labels)

        self.ctx.ops.write(
            lambda s: monitoring.export_report(s, path, kind=kind, render=render, **options),
            initiator=self,
            on_done=self._written,
            on_error=self._failed,
        )

    def _written(self, result: ExportResult) -> None:
        self.finished.emit(True, self.tr("Saved {0}.").format(result.path))

    def _failed(self, exc: KnownError) -> None:
        self.finished.emit(False, str(exc))
