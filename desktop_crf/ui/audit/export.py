"""Exporting the audit trail to CSV: the file chosen, the export run through ``ops`` with a
progress dialog that can cancel it, and what happened said in the user's words."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton, QWidget

from desktop_crf.errors import KnownError
from desktop_crf.services.audit_review import ExportCancelled, export_audit_csv
from desktop_crf.ui.audit.table import AuditWording
from desktop_crf.ui.common.progress import StoreProgress
from desktop_crf.ui.ops import Ops


class AuditExport(QObject):
    """``finished(ok, text)`` once the export ended: written, refused or cancelled."""

    finished = Signal(bool, str)

    def __init__(
        self, ops: Ops, button: QPushButton, words: AuditWording, *, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ops, self.button, self.words, self._parent = ops, button, words, parent
        self.progress: StoreProgress | None = None
        self.progress_dialog: QProgressDialog | None = None  # while an export runs

    def choose_file(self, site_code: str, filters: dict[str, Any]) -> None:
        """Ask where to write (Documents, a dated name), then export there."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"audit-trail-{site_code}-{date.today().isoformat()}.csv"
        path, _kind = QFileDialog.getSaveFileName(
            self._parent,
            self.tr("Export the audit trail"),
            str(Path(folder or Path.home()) / name),
            self.tr("CSV files (*.csv)"),
        )
        if path:
            self.export_to(Path(path), dict(filters))

    def export_to(self, path: Path, filters: dict[str, Any]) -> None:
        """Write the trail under ``filters`` to ``path`` on the store worker, with a progress
        dialog (shown after 300 ms) that can cancel it."""
        if not path.suffix:
            path = path.with_suffix(".csv")
        progress = StoreProgress(
            self.tr("Exporting the audit trail…"),
            self._parent,
            name="exportProgress",
            cancelled=ExportCancelled,
            label=lambda done, total: self.tr("Exporting the audit trail… {0} of {1}").format(
                done, total
            ),
        )
        self.progress, self.progress_dialog = progress, progress.dialog
        self.button.setEnabled(False)
        step = progress.callback()
        self.ops.write(
            lambda s: export_audit_csv(s, path, **filters, progress=step),
            initiator=self,
            on_done=lambda count: self._exported(count, path),
            on_error=self._failed,
        )

    def _end(self) -> None:
        self.button.setEnabled(True)
        progress, self.progress, self.progress_dialog = self.progress, None, None
        if progress is not None:
            progress.end()

    def _exported(self, count: int, path: Path) -> None:
        self._end()
        self.finished.emit(True, self.tr("Exported {0} entries to {1}.").format(count, str(path)))

    def _failed(self, exc: KnownError) -> None:
        self._end()
        self.finished.emit(False, self.words.export_error(exc))
