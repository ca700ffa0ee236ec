"""The "Export data" dialog (investigators and monitors): what to export (ODM Snapshot, ODM
Transactional with the audit trail, CSV for analysis, a subject's casebook), for the whole
site or one subject, optionally only the visits done between two dates (by the visit date
recorded on each visit's form: what a data manager asks for), and where; then the export
runs on the store worker with a progress dialog that can cancel it (:class:`ExportRun`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox,
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

from desktop_crf.ui.common.inputs import ComboBox, DateEdit
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
        self.ranged = QCheckBox(self.tr("Only the visits done between"))
        self.ranged.setObjectName("exportRanged")
        today = QDate.currentDate()
        self.visits_from = DateEdit(today.addMonths(-3))
        self.visits_from.setObjectName("exportFrom")
        self.visits_to = DateEdit(today)
        self.visits_to.setObjectName("exportTo")
        for edit in (self.visits_from, self.visits_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        dates = QHBoxLayout()
        dates.addWidget(self.ranged)
        dates.addWidget(self.visits_from)
        dates.addWidget(QLabel(self.tr("and")))
        dates.addWidget(self.visits_to)
        dates.addStretch(1)
        self.range_about = QLabel(
            self.tr(
                "A visit counts by the visit date recorded on its visit form, both days "
                "included; the running logs (adverse events, end of study) have no visit date "
                "and are left out."
            )
        )
        self.range_about.setWordWrap(True)
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
        form.addRow(self.tr("Visits"), dates)
        form.addRow(self.range_about)
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
        self.ranged.toggled.connect(self._range_changed)
        self.visits_from.dateChanged.connect(self._suggest_path)
        self.visits_to.dateChanged.connect(self._suggest_path)
        self._kind_changed()

    def _selected(self) -> tuple[str, str, bool]:
        return KINDS[max(self.kind.currentIndex(), 0)]

    def _kind_changed(self) -> None:
        code, _suffix, needs_subject = self._selected()
        self.about.setText(self.words.about(code))
        if needs_subject and self.subject.currentData() is None and self.subject.count() > 1:
            self.subject.setCurrentIndex(1)
        self.ranged.setEnabled(not needs_subject)  # a casebook is the subject's whole course
        self._range_changed()

    def _range_changed(self) -> None:
        on = self.ranged.isEnabled() and self.ranged.isChecked()
        self.visits_from.setEnabled(on)
        self.visits_to.setEnabled(on)
        self.range_about.setVisible(on)
        self._suggest_path()

    def visit_range(self) -> tuple[date, date] | None:
        """The visit dates chosen, or None for every visit."""
        if not (self.ranged.isEnabled() and self.ranged.isChecked()):
            return None
        start, end = self.visits_from.date(), self.visits_to.date()
        return (
            date(start.year(), start.month(), start.day()),
            date(end.year(), end.month(), end.day()),
        )

    def _suggest_path(self) -> None:
        code, suffix, _needs = self._selected()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        scope = self.subject.currentData() or self.ctx.site.site_code
        visits = self.visit_range()
        when = date.today().isoformat() if visits is None else f"{visits[0]}_{visits[1]}"
        name = f"{code}-{scope}-{when}{suffix}"
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
        visits = self.visit_range()
        if visits is not None and visits[0] > visits[1]:
            self.status.setText(
                self.tr("The first day of the range is after the last: give the earlier first.")
            )
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
        self.run.start(code, path, subject, visits)

    def _finished(self, ok: bool, text: str) -> None:
        self.start.setEnabled(True)
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color: #b3261e")
        self.run_finished.emit(ok, text)

    def options(self) -> dict[str, Any]:
        """What is chosen (for tests and the log)."""
        code, _suffix, _needs = self._selected()
        return {
            "kind": code,
            "subject": self.subject.currentData(),
            "visits": self.visit_range(),
            "path": self.path.text(),
        }
