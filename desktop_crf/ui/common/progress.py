"""The progress of one long store call (an export, an import), with a Cancel that stops it.

The dialog is window-modal and shows only after 300 ms, so a quick call flashes nothing. The
call gets ``callback()`` as its ``progress(done, total)``: on the store thread it only emits a
queued signal, or raises the call's own cancellation error once Cancel was pressed or the
window it belongs to was closed, so that the call stops between two steps and its transaction
rolls back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Relay(QObject):
    """Carries the progress from the store worker. It has no parent: whatever window the
    progress belongs to may be closed and freed while the call still reports, and the relay
    stays until ``end()`` (a signal of a freed object would crash the store thread)."""

    progressed = Signal(int, int)  # from the store worker, queued to the GUI thread


class StoreProgress(QObject):
    """``dialog`` is the progress dialog; ``callback()`` the call's progress function;
    ``end()`` closes it once the call answered (done, refused or cancelled)."""

    def __init__(
        self,
        text: str,
        parent: QWidget,
        *,
        name: str,
        cancelled: Callable[[], BaseException],
        label: Callable[[int, int], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()
        self._cancelled, self._label = cancelled, label
        self.dialog = QProgressDialog(text, self.tr("Cancel"), 0, 0, parent)
        self.dialog.setObjectName(name)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel.set)
        cancel = self.cancel
        self.destroyed.connect(lambda _gone=None: cancel.set())  # its window closed: stop
        self._relay = _Relay()
        self._relay.progressed.connect(self._show)

    def callback(self) -> Callable[[int, int], None]:
        """The call's ``progress(done, total)`` (runs on the store worker)."""
        relay, cancel, cancelled = self._relay, self.cancel, self._cancelled

        def progress(done: int, total: int) -> None:
            if cancel.is_set():
                raise cancelled()
            relay.progressed.emit(done, total)

        return progress

    def _show(self, done: int, total: int) -> None:
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, max(total, 1)))
        if self._label is not None:
            self.dialog.setLabelText(self._label(done, total))

    def end(self) -> None:
        self._relay.deleteLater()
        self.dialog.canceled.disconnect()
        self.dialog.close()
        self.dialog.deleteLater()
        self.deleteLater()
