"""Idle lock: after a configurable time without keyboard, mouse or touch input, lock the site."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

DEFAULT_IDLE_MINUTES = 10

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
}


class IdleWatcher(QObject):
    """Emits ``idle`` once per idle period without input.

    It filters the events of the top-level windows (input reaches a window before its
    widgets), not of the whole application: an application-wide Python filter is called for
    every event of every widget — thousands while a long form is built — and each call waits
    for the interpreter lock while the store worker runs Python.
    """

    idle = Signal()

    def __init__(self, parent: QObject | None = None, *, timeout_ms: int) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)

    def watch(self, app: QGuiApplication) -> None:
        """Follow input in every window that gets the focus (main window, dialogs, popups)."""
        app.focusWindowChanged.connect(self.watch_window)
        self.watch_window(app.focusWindow())

    def unwatch(self, app: QGuiApplication) -> None:
        app.focusWindowChanged.disconnect(self.watch_window)

    def watch_window(self, window: QWindow | None) -> None:
        if window is not None:
            window.installEventFilter(self)  # installing twice keeps one filter

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False
