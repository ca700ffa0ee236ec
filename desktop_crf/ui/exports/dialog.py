"""The "Export data" dialog (investigators and monitors): what to export (ODM Snapshot, ODM
Transactional with the audit trail, CSV for analysis, a subject's casebook), for the whole
site or one subject, and where; then the export runs on the store worker with a progress
dialog that can cancel it (:class:`ExportRun`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop_crf.ui.common.inputs import ComboBox
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.exports.run import ExportRun, ExportWording

# each kind: (code, file suffix, whether it needs a subject)
KINDS = (
    ("odm", ".xml", False),
    ("odm-transactional", ".xml", False),
    ("csv", ".zip", False),
    ("casebook", ".pdf", True),
)


class ExportDialog(QDialog):
    """Asks what, for whom and where; ``run`` is the export started. ``run_finished(ok,
    text)`` once it ended."""

    run_finished = Signal(bool, str)

    def __init__(self, ctx: UiContext, subjects: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ExportDialog")
        self.setWindowTitle(self.tr("Export data"))
        self.ctx = ctx
        self.words = ExportWording(self)
        self.run: ExportRun | None = None
        self.kind = ComboBox()
        self.kind.setObjectName("exportKind")
        for code, _suffix, _needs in KINDS:
            self.kind.addItem(self.words.kind(code), code)
        self.subject = ComboBox()
        self.subject.setObjectName("exportSubject")
        self.subject.addItem(self.tr("The whole site"), None)
        for subject_id in subjects:
            self.subject.addItem(subject_id, subject_id)
        self.path = QLineEdit()
        self.path.setObjectName("exportPath")
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.path)
        where.addWidget(browse)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setObjectName("exportAbout")
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Export"), self.kind)
        form.addRow(self.tr("Subjects"), self.subject)
        form.addRow(self.tr("File"), where)
        form.addRow(self.about)
        form.addRow(self.status)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start.setObjectName("startExport")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.subject.currentIndexChanged.connect(self._suggest_path)
        self._kind_changed()

    def _selected(self) -> tuple[str, str, bool]:
        return KINDS[max(self.kind.currentIndex(), 0)]

    def _kind_changed(self) -> None:
        code, _suffix, needs_subject = self._selected()
        self.about.setText(self.words.about(code))
        if needs_subject and self.subject.currentData() is None and self.subject.count() > 1:
            self.subject.setCurrentIndex(1)
        self._suggest_path()

    def _suggest_path(self) -> None:
        code, suffix, _needs = self._selected()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        scope = self.subject.currentData() or self.ctx.site.site_code
        name = f"{code}-{scope}-{date.today().isoformat()}{suffix}"
        current = Path(self.path.text()) if self.path.text() else Path(folder or Path.home())
        self.path.setText(str((current.parent if current.suffix else current) / name))

    def _choose(self) -> None:
        _code, suffix, _needs = self._selected()
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export to"), self.path.text(), f"*{suffix}"
        )
        if chosen:
            self.path.setText(chosen)

    def export(self) -> None:
        """Start the export chosen (nothing runs while one is still running)."""
        code, suffix, needs_subject = self._selected()
        subject = self.subject.currentData()
        if needs_subject and subject is None:
            self.status.setText(self.tr("Choose the subject whose casebook to print."))
            return
        text = self.path.text().strip()
        if not text:
            self.status.setText(self.tr("Choose the file to write."))
            return
        path = Path(text)
        if not path.suffix:
            path = path.with_suffix(suffix)
        self.start.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))
        self.run = ExportRun(self.ctx.ops, self.words, parent=self)
        self.run.finished.connect(self._finished)
        self.run.start(code, path, subject)

    def _finished(self, ok: bool, text: str) -> None:
        self.start.setEnabled(True)
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color: #b3261e")
        self.run_finished.emit(ok, text)

    def options(self) -> dict[str, Any]:
        """What is chosen (for tests and the log)."""
        code, _suffix, _needs = self._selected()
        return {"kind": code, "subject": self.subject.currentData(), "path": self.path.text()}
