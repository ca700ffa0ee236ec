"""One export on the store worker: the service call, a progress dialog (shown after 300 ms)
whose Cancel stops it, and what happened said in the user's words. Nothing of Qt is kept alive
on the store thread: the progress callback only emits a queued signal, or raises
``ExportCancelled`` once cancel was pressed or the view is gone."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop_crf.errors import KnownError
from desktop_crf.services.casebook import export_casebook
from desktop_crf.services.csv_export import export_csv
from desktop_crf.services.export_files import ExportCancelled, ExportFailed
from desktop_crf.services.odm_export import ExportResult, export_odm
from desktop_crf.services.session import Session
from desktop_crf.ui.common.progress import StoreProgress
from desktop_crf.ui.ops import Ops


class ExportWording(QObject):
    """Every text of the export room, translated."""

    def kind(self, code: str) -> str:
        return {
            "odm": self.tr("CDISC ODM 1.3.2 — current values (Snapshot)"),
            "odm-transactional": self.tr(
                "CDISC ODM 1.3.2 — every change with its audit record (Transactional)"
            ),
            "csv": self.tr("CSV for analysis (zip with R, SAS and SPSS scripts)"),
            "casebook": self.tr("Subject casebook (PDF)"),
        }.get(code, code)

    def about(self, code: str) -> str:
        return {
            "odm": self.tr(
                "Every subject's values as entered, with each form's status and signature."
            ),
            "odm-transactional": self.tr(
                "Every change, signature and query with who, when and why. Anyone can check "
                "that the file was not altered: crf odm verify FILE."
            ),
            "csv": self.tr(
                "One CSV per form, a data dictionary in English and Chinese, read scripts for "
                "R, SAS and SPSS, and the SHA-256 of every file."
            ),
            "casebook": self.tr(
                "Every visit and form of one subject with values, signatures and queries, the "
                "audit trail as an appendix, and the subject's ODM attached."
            ),
        }.get(code, "")

    def done(self, code: str, result: ExportResult) -> str:
        return self.tr("Written: {0} (SHA-256 {1}…). The export is in the audit trail.").format(
            str(result.path), result.sha256[:16]
        )

    def error(self, exc: BaseException) -> str:
        if isinstance(exc, ExportCancelled):
            return self.tr("Export cancelled. No file was made.")
        if not isinstance(exc, ExportFailed):
            return str(exc)
        texts = {
            "not_writable": self.tr(
                "Nothing was exported: the folder {0} cannot be written. Choose another folder "
                "(for example Documents). No file was made."
            ),
            "no_folder": self.tr(
                "Nothing was exported: the folder {0} does not exist. Choose another folder. "
                "No file was made."
            ),
            "disk_full": self.tr(
                "Nothing was exported to {0}: the disk is full. Free some space or choose "
                "another drive. No file was made."
            ),
        }
        other = self.tr("Nothing was exported to {0}: {1}. No file was made.")
        return texts.get(exc.kind, other).format(str(exc.folder), exc.detail)


class ExportRun(QObject):
    """``finished(ok, text)`` once the export ended: written, refused or cancelled."""

    finished = Signal(bool, str)

    def __init__(self, ops: Ops, words: ExportWording, *, parent: QWidget) -> None:
        super().__init__(parent)
        self.ops, self.words, self._parent = ops, words, parent
        self.progress: StoreProgress | None = None
        self.dialog: QProgressDialog | None = None  # the progress dialog while one runs

    def start(
        self,
        code: str,
        path: Path,
        subject: str | None,
        visits: tuple[date, date] | None = None,
    ) -> None:
        progress = StoreProgress(
            self.tr("Exporting…"), self._parent, name="exportProgress", cancelled=ExportCancelled
        )
        self.progress, self.dialog = progress, progress.dialog
        step = progress.callback()
        self.ops.write(
            lambda s: _export(s, code, path, subject, visits, step),
            initiator=self,
            on_done=lambda result: self._done(code, result),
            on_error=self._failed,
        )

    def _end(self) -> None:
        progress, self.progress, self.dialog = self.progress, None, None
        if progress is not None:
            progress.end()

    def _done(self, code: str, result: ExportResult) -> None:
        self._end()
        self.finished.emit(True, self.words.done(code, result))

    def _failed(self, exc: KnownError) -> None:
        self._end()
        self.finished.emit(False, self.words.error(exc))


def _export(
    session: Session,
    code: str,
    path: Path,
    subject: str | None,
    visits: tuple[date, date] | None,
    progress: Any,
) -> ExportResult:
    """The service call of each kind (runs on the store worker)."""
    start, end = visits or (None, None)
    if code == "csv":
        return export_csv(
            session, path, subject=subject, visits_from=start, visits_to=end, progress=progress
        )
    if code == "casebook":
        from desktop_crf.printing.casebook_pdf import render_casebook

        assert subject is not None
        return export_casebook(session, subject, path, render=render_casebook, progress=progress)
    transactional = code == "odm-transactional"
    return export_odm(
        session,
        path,
        transactional=transactional,
        subject=subject,
        visits_from=start,
        visits_to=end,
        progress=progress,
    )
