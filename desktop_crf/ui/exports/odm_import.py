"""The "Import study data" dialog (the site's admin, on an empty site): a CDISC ODM 1.3.2 file
of the same study sets the site up, a Snapshot with each subject's current values or a
Transactional file with the whole history and its reasons for change. The import runs on the
store worker in one transaction with a progress dialog whose Cancel rolls it back; the file is
validated as it is read, and a file that breaks the schema, does not verify or is of another
study is refused with its line, nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.model import Changes
from desktop_crf.services.odm_import import (
    ImportCancelled,
    ImportResult,
    OdmFileRefused,
    Progress,
    SiteNotEmpty,
    import_odm,
)
from desktop_crf.services.session import Session
from desktop_crf.ui.audit.table import AuditWording
from desktop_crf.ui.common.dialogs import error_line
from desktop_crf.ui.common.progress import StoreProgress
from desktop_crf.ui.context import UiContext


@dataclass(frozen=True)
class Imported:
    """An import's result with what it changed: every subject of the site is new."""

    result: ImportResult
    changes: Changes = field(default_factory=lambda: Changes(kind="subject"))


class OdmImportDialog(QDialog):
    """Asks for the file, imports it, says what came in. ``import_finished(ok, text)`` once
    an import ended: written, refused or cancelled."""

    import_finished = Signal(bool, str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OdmImportDialog")
        self.setWindowTitle(self.tr("Import study data (CDISC ODM)"))
        self.setMinimumWidth(560)
        self.ctx = ctx
        self.progress: QProgressDialog | None = None  # shown while an import runs
        self._store_progress: StoreProgress | None = None
        self.running = False
        about = QLabel(
            self.tr(
                "Sets up this site, while it holds no subjects, from a CDISC ODM 1.3.2 file of "
                "the same study: a Snapshot gives each subject's current values; a "
                "Transactional file gives the whole history with who, when and why. The file "
                "is checked as it is read; if anything in it is wrong, nothing is written."
            )
        )
        about.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        self.path.setPlaceholderText(self.tr("The ODM file (.xml)"))
        browse = QPushButton(self.tr("Choose…"))
        browse.setObjectName("importChoose")
        browse.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.status = QLabel()
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.error = error_line("importError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start.setObjectName("startImport")
        self.start.setEnabled(False)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        self.path.textChanged.connect(self._path_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(where)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _path_changed(self) -> None:
        self.start.setEnabled(bool(self.path.text().strip()) and not self.running)

    def _choose(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the ODM file to import"),
            self.path.text() or folder,
            self.tr("CDISC ODM files (*.xml);;All files (*)"),
        )
        if chosen:
            self.path.setText(chosen)

    def run_import(self) -> None:
        """Import the file named (nothing runs while an import is still running)."""
        if self.running:
            return
        text = self.path.text().strip()
        if not text:
            self._say_error(self.tr("Choose the ODM file to import."))
            return
        path = Path(text)
        if not path.is_file():
            self._say_error(
                self.tr("There is no file {0}. Choose the ODM file to import.").format(text)
            )
            return
        self.running = True
        self.start.setEnabled(False)
        self.error.hide()
        self.status.setText(self.tr("Importing {0}…").format(path.name))
        progress = StoreProgress(
            self.tr("Importing {0}…").format(path.name),
            self,
            name="importProgress",
            cancelled=ImportCancelled,
        )
        self.progress = progress.dialog
        self._store_progress = progress
        report = progress.callback()
        self.ctx.ops.write(
            lambda s: _import(s, path, report),
            initiator=self,
            on_done=self._done,
            on_error=self._failed,
        )

    def _end(self) -> None:
        self.running = False
        self._path_changed()
        progress, self._store_progress = self._store_progress, None
        self.progress = None
        if progress is not None:
            progress.end()

    def _done(self, imported: Imported) -> None:
        self._end()
        result = imported.result
        kind = (
            self.tr("Transactional: the whole history")
            if result.file_type == "Transactional"
            else self.tr("Snapshot: current values")
        )
        text = self.tr(
            "Imported {0} subjects and {1} audit entries from {2} ({3}). The import is "
            "recorded in the audit trail with the file's SHA-256: {4}"
        ).format(result.subjects, result.entries, result.path.name, kind, result.sha256)
        if result.not_replayed:
            actions = AuditWording(self)
            kept = ", ".join(
                f"{actions.action_text(action)} × {count}"
                for action, count in sorted(result.not_replayed.items())
            )
            text += "\n" + self.tr(
                "Kept in the file only (they belong to the trail it came from): {0}."
            ).format(kept)
        self.status.setText(text)
        self.import_finished.emit(True, text)

    def _failed(self, exc: KnownError) -> None:
        self._end()
        self.status.clear()
        text = self._words(exc)
        self._say_error(text)
        self.import_finished.emit(False, text)

    def _say_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _words(self, exc: KnownError) -> str:
        if isinstance(exc, ImportCancelled):
            return self.tr("Import cancelled. Nothing was written.")
        if isinstance(exc, SiteNotEmpty):
            return self.tr(
                "This site already holds subjects: an ODM file is imported only into an empty "
                "site. Create a new site and import into it. Nothing was written."
            )
        if isinstance(exc, OdmFileRefused):
            if exc.line:
                return self.tr(
                    "The file was not imported: line {0}: {1}. Nothing was written."
                ).format(exc.line, exc.why)
            return self.tr("The file was not imported: {0}. Nothing was written.").format(exc.why)
        return str(exc)


def _import(session: Session, path: Path, report: Progress) -> Imported:
    """The service call (runs on the store worker)."""
    return Imported(import_odm(session, path, progress=report))
