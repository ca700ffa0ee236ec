"""The kiosk window: full screen, no frame, never closed by the patient; a header with the
questionnaire's title, the progress and the staff button; the notice of a wording that is not
EORTC's official one; and the patient's screens, one at a time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.ui.tablet.flow import Screen
from desktop_crf.ui.tablet.lockdown import swallowed_key
from desktop_crf.ui.tablet.pages import (
    MessagePage,
    Page,
    QuestionPage,
    ReviewPage,
    WelcomePage,
    button,
    label,
)
from desktop_crf.ui.tablet.staff_page import StaffPage
from desktop_crf.ui.tablet.style import STYLE


class KioskWindow(QWidget):
    """Emits ``staff_requested`` when the staff button is tapped; ``close()`` does nothing
    until the controller calls ``release()``."""

    staff_requested = Signal()

    def __init__(self, staff_user: str) -> None:
        super().__init__(
            None,
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.setObjectName("KioskWindow")
        self.setWindowTitle("desktop-crf")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setStyleSheet(STYLE)
        self._may_close = False
        self.close_refused = 0

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = QFrame()
        header.setObjectName("kioskHeader")
        row = QHBoxLayout(header)
        row.setContentsMargins(48, 8, 24, 0)
        self.title = label(name="heading", wrap=False)
        self.progress = label(name="progress", wrap=False)
        self.staff_button = button(name="staff")
        self.staff_button.clicked.connect(self.staff_requested)
        row.addWidget(self.title, 1)
        row.addWidget(self.progress)
        row.addSpacing(24)
        row.addWidget(self.staff_button)
        outer.addWidget(header)

        self.stack = QStackedWidget()
        self.welcome = WelcomePage()
        self.question = QuestionPage()
        self.review = ReviewPage()
        self.thanks = MessagePage("thanks", with_button=True)
        self.hand_back = MessagePage("hand_back", with_button=False)
        self.staff = StaffPage(staff_user)
        self.pages: dict[Screen, Page] = {
            Screen.WELCOME: self.welcome,
            Screen.QUESTION: self.question,
            Screen.REVIEW: self.review,
            Screen.THANKS: self.thanks,
            Screen.HAND_BACK: self.hand_back,
            Screen.STAFF: self.staff,
        }
        for page in self.pages.values():
            self.stack.addWidget(page)
        outer.addWidget(self.stack, 1)
        self.notice = label(name="notice")
        self.notice.hide()
        outer.addWidget(self.notice)

    # -- showing ------------------------------------------------------------------------------

    def show_screen(self, screen: Screen) -> None:
        page = self.pages[screen]
        self.stack.setCurrentIndex(list(self.pages).index(screen))
        self.staff_button.setVisible(screen is not Screen.STAFF)
        if screen is Screen.STAFF:
            self.staff.reset()
            self.staff.secret_edit.setFocus()
        else:
            page.setFocus()

    def set_title(self, title: str) -> None:
        self.title.setText(title)

    def set_progress(self, text: str) -> None:
        self.progress.setText(text)
        self.progress.setVisible(bool(text))

    def set_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))

    def retranslate(self) -> None:
        self.staff_button.setText(self.tr("Staff"))
        for page in self.pages.values():
            retranslate = getattr(page, "retranslate", None)
            if retranslate is not None:
                retranslate()

    # -- staying locked -----------------------------------------------------------------------

    def release(self) -> None:
        """The tablet is back with staff: the window may close now."""
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close:
            event.accept()
            return
        self.close_refused += 1  # Alt+F4, the window manager, a stray close(): all refused
        event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if swallowed_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.accept()
