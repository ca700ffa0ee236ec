"""What keeps the patient inside the kiosk, as far as an application can: every keyboard
shortcut Qt sees, Escape, the function keys, any key with Ctrl, Alt or Meta, and context menus
are swallowed for the whole application while the kiosk is shown; the kiosk window refuses to
close. What the operating system handles itself (Ctrl+Alt+Del, Alt+Tab, the Windows key, edge
swipes) never reaches Qt: ``docs/tablet.md`` says how a site locks those.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

_SWALLOWED_EVENTS = {
    QEvent.Type.Shortcut,
    QEvent.Type.ContextMenu,
    QEvent.Type.WhatsThis,
    QEvent.Type.QueryWhatsThis,
}
_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
#: Keys that a patient may use in the kiosk (a keyboard instead of the touch screen).
_ALLOWED_KEYS = {
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
    Qt.Key.Key_Space,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Backspace,
    Qt.Key.Key_Delete,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_Shift,
}


def swallowed_key(event: QKeyEvent) -> bool:
    """Whether a key press must not reach the app: with Ctrl/Alt/Meta, or a key that is not
    text or plain navigation (Escape, F1–F35, Menu, media keys…)."""
    if event.modifiers() & _MODIFIERS:
        return True
    key = Qt.Key(event.key())
    if key in _ALLOWED_KEYS:
        return False
    text = event.text()
    return not (text and text.isprintable())


class KioskLockdown(QObject):
    """An application-wide event filter, installed while a kiosk is shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.swallowed = 0  # how many events it kept from the app (tests read it)
        self._app: QApplication | None = None

    def install(self, app: QApplication) -> None:
        if self._app is None:
            self._app = app
            app.installEventFilter(self)

    def remove(self) -> None:
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    @property
    def active(self) -> bool:
        return self._app is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride:
            # accepted: Qt delivers the key as a plain key press, never as a shortcut
            event.accept()
            if isinstance(event, QKeyEvent) and swallowed_key(event):
                self.swallowed += 1
                return True
            return False
        if kind in _SWALLOWED_EVENTS:
            self.swallowed += 1
            event.accept()
            return True
        keys = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)
        if kind in keys and isinstance(event, QKeyEvent) and swallowed_key(event):
            if kind == QEvent.Type.KeyPress:
                self.swallowed += 1
            return True
        return False
