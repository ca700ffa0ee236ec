"""Which window is shown when: unlock → main window → (idle or Lock) → unlock again.

Owns the session, which only the store worker touches.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_crf.errors import KnownError
from desktop_crf.services import site
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import subject_rows
from desktop_crf.ui.idle import DEFAULT_IDLE_MINUTES, IdleWatcher
from desktop_crf.ui.main_window import MainWindow
from desktop_crf.ui.unlock_window import UnlockWindow
from desktop_crf.ui.worker import StoreWorker


class AppController(QObject):
    unlocked = Signal()
    locked = Signal()
    subjects_loaded = Signal(int)

    def __init__(
        self,
        root: Path,
        *,
        idle_minutes: float = DEFAULT_IDLE_MINUTES,
        language: str = "en",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.root = root
        self.language = language
        self.worker = StoreWorker(self)
        self.session: Session | None = None
        self.unlock_window: UnlockWindow | None = None
        self.main_window: MainWindow | None = None
        self._locked_user: str | None = None
        self.idle = IdleWatcher(self, timeout_ms=int(idle_minutes * 60_000))
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.idle.idle.connect(self.lock)

    # -- unlocking ------------------------------------------------------------------------

    def start(self) -> None:
        self._show_unlock()

    def _show_unlock(self) -> None:
        window = UnlockWindow(site.site_label(self.root), locked_user=self._locked_user)
        window.unlock_requested.connect(self._unlock)
        self.worker.busy_changed.connect(window.set_busy)
        self.unlock_window = window
        window.show()

    def _unlock(self, user: str, password: str) -> None:
        resume = self._locked_user is not None and user == self._locked_user
        root = self.root
        self.worker.submit(
            lambda: site.unlock(root, user, password, resume=resume),
            on_done=self._unlocked,
            on_error=self._unlock_failed,
        )

    def _unlock_failed(self, exc: BaseException) -> None:
        if self.unlock_window is None:
            return
        if isinstance(exc, KnownError):
            self.unlock_window.show_error(str(exc))
        else:
            self.unlock_window.show_error(self.tr("Unexpected error: {0}").format(exc))
            _crash_report(self.unlock_window, exc)

    def _unlocked(self, session: Session) -> None:
        self.session = session
        self._locked_user = None
        if self.unlock_window is not None:
            self.worker.busy_changed.disconnect(self.unlock_window.set_busy)
            self.unlock_window.close()
            self.unlock_window.deleteLater()
            self.unlock_window = None
        window = MainWindow(
            session.site, user=session.full_name, role=session.role, language=self.language
        )
        window.lock_requested.connect(self.lock)
        window.refresh_requested.connect(self.refresh_subjects)
        self.worker.busy_changed.connect(window.set_busy)
        self.main_window = window
        window.show()
        self.idle.start()
        self.unlocked.emit()
        self.refresh_subjects()

    # -- data -----------------------------------------------------------------------------

    def refresh_subjects(self) -> None:
        session = self.session
        if session is None:
            return
        self.worker.submit(
            lambda: subject_rows(session, today=date.today()),
            on_done=self._show_subjects,
            on_error=self.show_error,
        )

    def _show_subjects(self, rows: list[Any]) -> None:
        if self.main_window is not None and self.session is not None:
            self.main_window.set_subjects(rows)
            self.subjects_loaded.emit(len(rows))

    # -- locking --------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide all data at once, then close the connection and drop the key in the worker."""
        session, self.session = self.session, None
        if session is None:
            return
        self.idle.stop()
        if self.main_window is not None:
            self.main_window.clear()
            self.worker.busy_changed.disconnect(self.main_window.set_busy)
            self.main_window.close()
            self.main_window.deleteLater()
            self.main_window = None
        self._locked_user = session.user
        self.worker.submit(lambda: site.lock(session), on_error=self.show_error)
        self._show_unlock()
        self.locked.emit()

    def shutdown(self) -> None:
        """Log out, wait for the worker, and close the windows (the app is quitting)."""
        session, self.session = self.session, None
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        if session is not None:
            self.worker.submit(lambda: site.logout(session), on_error=lambda exc: None)
        self.worker.wait_idle()
        for window in (self.main_window, self.unlock_window):
            if window is not None:
                window.close()
                window.deleteLater()
        self.main_window = self.unlock_window = None

    # -- errors ---------------------------------------------------------------------------

    def show_error(self, exc: BaseException) -> None:
        parent = self.main_window or self.unlock_window
        if isinstance(exc, KnownError):
            QMessageBox.warning(parent, self.tr("desktop-crf"), str(exc))
        else:
            _crash_report(parent, exc)


def _crash_report(parent: QWidget | None, exc: BaseException) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QApplication.translate("AppController", "desktop-crf: unexpected error"))
    box.setText(
        QApplication.translate(
            "AppController",
            "Something went wrong inside desktop-crf. Nothing saved before was lost. Please send "
            "the details below to your data manager.",
        )
    )
    box.setDetailedText(getattr(exc, "__traceback_text__", repr(exc)))
    box.open()
