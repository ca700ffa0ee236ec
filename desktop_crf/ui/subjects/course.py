"""A subject's course, changed from the subject's view: a screen failure (with the failed
criterion), a screening discarded (opened by mistake, nothing recorded), a withdrawal."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from desktop_crf.services.subjects import discard_screening, screen_fail, withdraw_subject
from desktop_crf.ui.ops import Ops
from desktop_crf.ui.subjects.status_dialogs import StatusDialog
from forms.eligibility import Eligibility
from forms.text import Language


class SubjectCourse(QWidget):
    """The buttons that change a subject's course, offered by status (and permission)."""

    def __init__(
        self, ops: Ops, subject_id: str, language: Language, *, may: bool, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ops, self.subject_id, self._language, self._may = ops, subject_id, language, may
        self.dialog: StatusDialog | None = None
        self._eligibility: Eligibility | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.fail_button = QPushButton(self.tr("Screen failure…"))
        self.fail_button.setObjectName("screenFailButton")
        self.fail_button.clicked.connect(self._screen_fail)
        self.discard_button = QPushButton(self.tr("Discard screening…"))
        self.discard_button.setObjectName("discardButton")
        self.discard_button.clicked.connect(self._discard)
        self.withdraw_button = QPushButton(self.tr("Withdraw…"))
        self.withdraw_button.setObjectName("withdrawButton")
        self.withdraw_button.clicked.connect(self._withdraw)
        for button in (self.fail_button, self.discard_button, self.withdraw_button):
            row.addWidget(button)
        row.addStretch(1)

    def show_status(self, status: str, eligibility: Eligibility | None) -> None:
        self._eligibility = eligibility
        screening = self._may and status == "screening"
        self.fail_button.setVisible(screening)
        self.discard_button.setVisible(screening)
        self.withdraw_button.setVisible(self._may and status == "enrolled")

    def _screen_fail(self) -> None:
        blocking = self._eligibility.blocking if self._eligibility else ()
        criteria = [(r.criterion.id, r.criterion.text.get(self._language)) for r in blocking]
        dialog = StatusDialog(
            self.tr("Screen failure of {0}").format(self.subject_id),
            self.tr("The subject will not be enrolled. Say why; name the criterion if one failed."),
            criteria=criteria,
            parent=self,
        )
        subject = self.subject_id
        dialog.accepted.connect(
            lambda: self.ops.write(
                lambda s: screen_fail(
                    s, subject, reason=dialog.reason(), criterion=dialog.criterion()
                ),
                initiator=self,
            )
        )
        self._open(dialog)

    def _discard(self) -> None:
        dialog = StatusDialog(
            self.tr("Discard the screening of {0}").format(self.subject_id),
            self.tr(
                "Only a screening opened by mistake, with nothing recorded, can be discarded. "
                "It stays in the audit trail."
            ),
            parent=self,
        )
        subject = self.subject_id
        dialog.accepted.connect(
            lambda: self.ops.write(
                lambda s: discard_screening(s, subject, reason=dialog.reason()), initiator=self
            )
        )
        self._open(dialog)

    def _withdraw(self) -> None:
        dialog = StatusDialog(
            self.tr("Withdraw {0}").format(self.subject_id),
            self.tr("The subject leaves the study. What was recorded stays."),
            with_date=True,
            parent=self,
        )
        subject = self.subject_id
        dialog.accepted.connect(
            lambda: self.ops.write(
                lambda s: withdraw_subject(s, subject, reason=dialog.reason(), day=dialog.day()),
                initiator=self,
            )
        )
        self._open(dialog)

    def _open(self, dialog: StatusDialog) -> None:
        self.dialog = dialog
        dialog.open()
