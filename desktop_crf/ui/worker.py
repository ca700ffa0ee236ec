"""The store worker: one background thread that runs service calls one at a time.

The database connection belongs to this thread's work queue, so the GUI thread never waits on
SQLite, the KDF or the disk. Results and errors come back to the GUI thread by queued signals.
(Anki's ``CollectionOp`` on a single-worker executor is the model.)
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot


class _Relay(QObject):
    """Lives in the GUI thread; the runnable emits on it from the worker thread, and because
    the receiving slots belong to this GUI-thread object the calls arrive queued."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self, worker: StoreWorker, on_done: Any, on_error: Any, owner: QObject | None
    ) -> None:
        super().__init__(worker)
        self._worker, self._on_done, self._on_error = worker, on_done, on_error
        self.owner = owner
        self.succeeded.connect(self._succeeded)
        self.failed.connect(self._failed)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self._worker._finish(self, self._on_done, result)

    @Slot(object)
    def _failed(self, exc: Any) -> None:
        self._worker._finish(self, self._on_error, exc)


class _Call(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class _BlockingCall(QRunnable):
    """A call queued by a thread that then waits for its result (see ``call_from_thread``)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._fn()
        except BaseException as exc:  # re-raised in the waiting thread
            self.error = exc
        finally:
            self.done.set()


class StoreWorker(QObject):
    """Runs callables on a single background thread, in submission order.

    ``busy_changed(True)`` is emitted only when a call has been running for ``busy_after_ms``,
    so quick calls never flash a busy indicator.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, busy_after_ms: int = 300) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending = 0
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_after_ms)
        self._busy_timer.timeout.connect(lambda: self.busy_changed.emit(True))
        self._relays: set[_Relay] = set()

    def submit(
        self,
        fn: Callable[[], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
    ) -> None:
        """Queue ``fn``; its result goes to ``on_done`` (or its exception to ``on_error``) on
        the GUI thread, unless ``owner`` (default: the callback's object) was deleted."""
        relay = _Relay(self, on_done, on_error, owner)
        self._relays.add(relay)
        self._pending += 1
        if not self._busy_timer.isActive():
            self._busy_timer.start()
        self._pool.start(_Call(fn, relay))

    def _finish(self, relay: _Relay, callback: Callable[[Any], None] | None, value: Any) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        self._pending -= 1
        if self._pending == 0:
            self._busy_timer.stop()
            self.busy_changed.emit(False)
        owner = relay.owner or getattr(callback, "__self__", None)
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return  # the view that asked was closed meanwhile: nobody to show it to
        if callback is not None:
            callback(value)
        elif isinstance(value, BaseException):
            raise value

    def call_from_thread(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the store thread and wait for its result.

        For background threads (the network side of a sync round) that need the database in
        short steps: the call queues behind the GUI's calls, so it never runs concurrently with
        them. Never call this from the GUI thread or from the store thread itself.
        """
        call = _BlockingCall(fn)
        self._pool.start(call)
        call.done.wait()
        if call.error is not None:
            raise call.error
        return call.result

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until queued calls finish (shutdown and tests only)."""
        return self._pool.waitForDone(msecs)
