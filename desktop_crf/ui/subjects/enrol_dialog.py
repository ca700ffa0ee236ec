"""Enrolment: arm, nucleos(t)ide analogue, anchor date, consent date and version. The service
refuses a subject whose saved screening data do not show every criterion satisfied."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.services.eligibility import enrol_eligible
from desktop_crf.services.subjects import Enrolment, consent_on_file
from desktop_crf.ui.common.dialogs import error_line, ok_cancel
from desktop_crf.ui.common.inputs import ComboBox
from desktop_crf.ui.context import UiContext
from forms.study import Study


class EnrolDialog(QDialog):
    enrolled = Signal()

    def __init__(
        self, ctx: UiContext, subject_id: str, study: Study, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enrolDialog")
        self.ctx, self.subject_id, self.study = ctx, subject_id, study
        self.setWindowTitle(self.tr("Enrol {0}").format(subject_id))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.arm_box = ComboBox()
        self.arm_box.setObjectName("armBox")
        for arm in study.arms:
            self.arm_box.addItem(arm.label.get(ctx.language), arm.code)
        self.arm_box.currentIndexChanged.connect(self._arm_changed)
        self.drug_box = ComboBox()
        self.drug_box.setObjectName("drugBox")
        today = date.today().isoformat()
        self.anchor_edit = QLineEdit(today)
        self.anchor_edit.setObjectName("anchorEdit")
        self.consent_date_edit = QLineEdit()
        self.consent_date_edit.setObjectName("consentDateEdit")
        self.consent_date_edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.consent_version_edit = QLineEdit()
        self.consent_version_edit.setObjectName("consentVersionEdit")
        form.addRow(self.tr("Arm"), self.arm_box)
        form.addRow(self.tr("NA drug"), self.drug_box)
        form.addRow(study.anchor.label.get(ctx.language), self.anchor_edit)
        form.addRow(self.tr("Consent date"), self.consent_date_edit)
        form.addRow(self.tr("Consent version"), self.consent_version_edit)
        layout.addLayout(form)
        self.error_label = error_line("enrolError")
        layout.addWidget(self.error_label)
        ok_cancel(self, self.submit, self.tr("Enrol"))
        self._arm_changed()
        subject = subject_id
        ctx.ops.read(lambda s: consent_on_file(s, subject), self._consent_found, owner=self)

    def _consent_found(self, consent: tuple[str | None, str | None]) -> None:
        """The consent form's date and version, so they are not typed twice."""
        for edit, value in zip(
            (self.consent_date_edit, self.consent_version_edit), consent, strict=True
        ):
            if value and not edit.text():
                edit.setText(value)
                edit.setToolTip(self.tr("From the consent form"))

    def _arm_changed(self) -> None:
        self.drug_box.clear()
        code = self.arm_box.currentData()
        arm = next((a for a in self.study.arms if a.code == code), None)
        if arm is not None:
            self.drug_box.addItems(list(arm.na_drugs))

    def submit(self) -> None:
        enrolment = Enrolment(
            arm=str(self.arm_box.currentData()),
            anchor_date=self.anchor_edit.text().strip(),
            na_drug=self.drug_box.currentText() or None,
            consent_date=self.consent_date_edit.text().strip() or None,
            consent_version=self.consent_version_edit.text().strip() or None,
        )
        subject = self.subject_id
        self.ctx.ops.write(
            lambda s: enrol_eligible(s, subject, enrolment),
            initiator=self,
            on_done=lambda _c: self._done(),
            on_error=self.show_error,
        )

    def _done(self) -> None:
        self.accept()
        self.enrolled.emit()

    def show_error(self, exc: KnownError) -> None:
        self.error_label.setText(str(exc))
        self.error_label.show()
