"""The unlock window: user name and password; the key derivation runs off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.model import SiteLabel
from desktop_crf.ui.common.inputs import ComboBox


class UnlockWindow(QWidget):
    """Emits ``unlock_requested(user, password)``; the controller runs the unlock and calls
    ``show_error`` or closes this window. Given several sites (``sites``: their labels, the
    current one at ``current``), it offers them in a list; ``site_chosen(index)`` asks for
    another one."""

    unlock_requested = Signal(str, str)
    language_changed = Signal(str)  # "en" or "zh_CN"
    site_chosen = Signal(int)

    def __init__(
        self,
        label: SiteLabel | None,
        *,
        locked_user: str | None = None,
        language: str = "en",
        sites: list[SiteLabel | None] | None = None,
        current: int = 0,
    ) -> None:
        super().__init__()
        self.setObjectName("UnlockWindow")
        self.setWindowTitle(self.tr("desktop-crf — unlock"))
        self.setMinimumWidth(420)
        self.resize(760, 560)
        page = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addStretch(1)
        self.language_box = ComboBox()
        self.language_box.setObjectName("unlockLanguageBox")
        self.language_box.setToolTip(self.tr("Language"))
        self.language_box.addItem("English", "en")
        self.language_box.addItem("中文", "zh_CN")
        self.language_box.setCurrentIndex(1 if language.startswith("zh") else 0)
        self.language_box.currentIndexChanged.connect(
            lambda: self.language_changed.emit(str(self.language_box.currentData()))
        )
        top.addWidget(self.language_box)
        page.addLayout(top)
        outer = QHBoxLayout()
        page.addLayout(outer, 1)
        card = QFrame()
        card.setObjectName("unlockCard")
        card.setMinimumWidth(380)
        card.setMaximumWidth(520)
        outer.addStretch(1)
        outer.addWidget(card, 2)
        outer.addStretch(1)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(32, 48, 32, 32)
        layout.setSpacing(14)

        title = QLabel(self._site_title(label))
        title.setObjectName("siteTitle")
        title.setWordWrap(True)
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        layout.addWidget(title)

        self.site_box = ComboBox()
        self.site_box.setObjectName("siteBox")
        for other in sites or []:
            self.site_box.addItem(self._site_title(other))
        self.site_box.setCurrentIndex(current)
        self.site_box.currentIndexChanged.connect(self.site_chosen)
        self.site_box.setVisible(len(sites or []) > 1)
        layout.addWidget(self.site_box)

        if locked_user:
            note = QLabel(self.tr("The site was locked. Enter your password to continue."))
            note.setWordWrap(True)
            layout.addWidget(note)

        form = QFormLayout()
        self.user_edit = QLineEdit(locked_user or "")
        self.user_edit.setObjectName("userEdit")
        self.user_edit.setPlaceholderText(self.tr("user name"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        layout.addLayout(form)

        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        layout.addWidget(self.busy)

        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.setMinimumHeight(44)
        self.unlock_button.clicked.connect(self._submit)
        self.password_edit.returnPressed.connect(self._submit)
        self.user_edit.returnPressed.connect(self.password_edit.setFocus)
        layout.addWidget(self.unlock_button)

        if label is not None and label.demo:
            hint = QLabel(
                self.tr(
                    "Demo site: sign in as admin, nurse, investigator or monitor with the "
                    "password demo-password."
                )
            )
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            hint.setStyleSheet("background: #fff4ce; padding: 8px; border-radius: 4px;")
            layout.addWidget(hint)
        layout.addStretch(1)
        (self.password_edit if locked_user else self.user_edit).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def _site_title(self, label: SiteLabel | None) -> str:
        if label is None:
            return self.tr("desktop-crf")
        name = f"{label.site_code} · {label.study_id}"
        if label.demo:
            return self.tr("DEMO — {0} (demonstration data, never synced)").format(name)
        return name

    def _submit(self) -> None:
        user, password = self.user_edit.text().strip(), self.password_edit.text()
        if not user or not password:
            self.show_error(self.tr("Enter your user name and password."))
            return
        self.set_busy(True)
        self.unlock_requested.emit(user, password)

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.user_edit.setEnabled(not busy)
        self.password_edit.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self.error_label.hide()

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.password_edit.clear()
        self.password_edit.setFocus()
        self.error_label.setText(message)
        self.error_label.show()
