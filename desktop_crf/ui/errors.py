"""One path for errors: a known error's message, a bug's crash report.

A ``KnownError`` (wrong password, disk full, invalid value, server unreachable) says what to do;
it is shown as it is, in a message box that does not block the window. Anything else is a bug:
the crash report says that nothing saved was lost, gives the details to send, and where the log
is. ``install_excepthook`` routes every uncaught exception to the crash report, including those
that escape a Qt slot (PySide hands them to ``sys.excepthook``) and those of other threads.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_crf.errors import KnownError
from desktop_crf.logs import log_folder
from desktop_crf.services.failures import known_failure

log = logging.getLogger(__name__)


def details_of(exc: BaseException) -> str:
    """The traceback of ``exc``: the one the store worker kept, or its own."""
    kept = getattr(exc, "__traceback_text__", None)
    if isinstance(kept, str):
        return kept
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class ErrorDisplay(QObject):
    """Shows errors on the GUI thread; one per application (see ``error_display``)."""

    _from_thread = Signal(object)  # an exception raised on another thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_box: QMessageBox | None = None  # kept for tests and until it closes
        self.crash_box: QMessageBox | None = None
        self._open: set[QMessageBox] = set()  # every box on screen, held until it closes
        self._from_thread.connect(self._report_queued)

    def show(self, exc: BaseException, parent: QWidget | None = None) -> None:
        """A known error's message, or a bug's crash report."""
        known = known_failure(exc)  # a damaged page met while reading is no bug of ours
        if known is not None:
            self.show_known(known, parent)
        else:
            self.report_bug(exc, parent)

    def show_known(self, exc: KnownError, parent: QWidget | None = None) -> None:
        box = QMessageBox(_window_of(parent))
        box.setObjectName("knownErrorBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("ErrorDisplay", "desktop-crf"))
        box.setText(str(exc))
        self.last_box = box
        self._keep_open(box)

    def report_bug(self, exc: BaseException, parent: QWidget | None = None) -> None:
        """The crash report; from another thread it is queued to the GUI thread."""
        if QThread.currentThread() is not self.thread():
            self._from_thread.emit(exc)
            return
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        details = details_of(exc)
        box = self.crash_box
        if box is not None and shiboken6.isValid(box) and box.isVisible():  # one at a time
            box.setDetailedText(box.detailedText() + "\n" + details)
            return
        box = QMessageBox(_window_of(parent))
        box.setObjectName("crashReport")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(
            QCoreApplication.translate("ErrorDisplay", "desktop-crf: unexpected error")
        )
        box.setText(
            QCoreApplication.translate(
                "ErrorDisplay",
                "Something went wrong inside desktop-crf. Nothing saved before was lost. Please "
                "send the details below and the log to your data manager.",
            )
        )
        box.setInformativeText(
            QCoreApplication.translate("ErrorDisplay", "The log is in {0}").format(
                str(log_folder())
            )
        )
        box.setDetailedText(details)
        self.crash_box = box
        self._keep_open(box)

    def _keep_open(self, box: QMessageBox) -> None:
        """Open ``box`` and hold it until the user closes it: a later error does not take an
        earlier message off the screen."""
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # freed once it is closed
        self._open.add(box)
        box.finished.connect(lambda _result: self._open.discard(box))
        box.open()

    @Slot(object)
    def _report_queued(self, exc: BaseException) -> None:
        self.report_bug(exc)


_DISPLAY: ErrorDisplay | None = None


def error_display() -> ErrorDisplay:
    """The application's error display (made on first use, on the GUI thread)."""
    global _DISPLAY
    if _DISPLAY is None:
        _DISPLAY = ErrorDisplay(QApplication.instance())
    return _DISPLAY


def show_error(exc: BaseException, parent: QWidget | None = None) -> None:
    error_display().show(exc, parent)


Hook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def install_excepthook() -> Callable[[], None]:
    """Send uncaught exceptions (GUI thread, slots, other threads) to the crash report; return
    a function that puts the previous hooks back."""
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook
    display = error_display()

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_hook(kind, exc, tb)
            return
        exc.__traceback__ = tb
        display.report_bug(exc)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def restore() -> None:
        sys.excepthook = previous_hook
        threading.excepthook = previous_thread_hook

    return restore


def _window_of(widget: QWidget | None) -> QWidget | None:
    """The window a message box belongs to: never another message box, whose closing would
    take the new one with it."""
    window = QApplication.activeWindow() if widget is None else widget.window()
    while isinstance(window, QMessageBox):
        owner = window.parentWidget()
        window = owner.window() if owner is not None else None
    return window
