"""The store worker: one background thread that runs service calls one at a time.

The database connection belongs to this thread's work queue, so the GUI thread never waits on
SQLite, the KDF or the disk. Results and errors come back to the GUI thread by a queued signal.
(Anki's ``CollectionOp`` on a single-worker executor is the model.)

The thread is a plain Python thread that holds no Qt object: every callable is kept in a table
and let go of on the GUI thread, and the one relay that carries answers back is never deleted.
Dropping the last reference to a PySide object on another thread makes PySide disconnect its
signals there, under a Qt lock that the GUI thread may hold while it waits for the interpreter
lock: a deadlock we met (a progress dialog closed on the GUI thread while the store thread let
go of a per-call relay).
"""

from __future__ import annotations

import itertools
import queue
import threading
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot

IDLE_EXIT_S = 30.0  # an idle store thread ends; the next call starts a new one


class _Relay(QObject):
    """Carries answers from the store thread to the GUI thread. One for the whole process,
    made by the first worker and never deleted, so no thread but the GUI's ever lets go of it;
    its slot belongs to the GUI thread, so answers arrive queued and in order."""

    answered = Signal(object, int, object, object)  # calls, ticket, result, exception

    @Slot(object, int, object, object)
    def deliver(self, calls: _Calls, ticket: int, result: Any, error: BaseException | None) -> None:
        calls.answered(ticket, result, error)


_RELAY: _Relay | None = None


def _relay() -> _Relay:
    global _RELAY
    if _RELAY is None:
        _RELAY = _Relay()
        _RELAY.answered.connect(_RELAY.deliver)
    return _RELAY


@dataclass
class _Pending:
    fn: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    owner: QObject | None


class _Calls:
    """The calls of one worker, held apart from the worker (a QObject) so the store thread
    refers to no Qt object but the process-wide relay."""

    def __init__(self, worker: StoreWorker) -> None:
        self.pending: dict[int, _Pending] = {}
        self._worker = weakref.ref(worker)
        self._relay = _relay()

    def run(self, ticket: int) -> None:  # on the store thread
        """Run one queued call. The callable stays in ``pending`` (the GUI thread lets go of
        it); only plain results and exceptions cross back."""
        fn = self.pending[ticket].fn
        result: Any = None
        error: BaseException | None = None
        try:
            result = fn()
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            error = exc
        del fn
        self._relay.answered.emit(self, ticket, result, error)

    def answered(self, ticket: int, result: Any, error: BaseException | None) -> None:
        pending = self.pending.pop(ticket)
        worker = self._worker()
        if worker is not None and shiboken6.isValid(worker):
            worker._answered(pending, result, error, idle=not self.pending)


class _BlockingCall:
    """A call queued by a thread that then waits for its result (see ``call_from_thread``)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn: Callable[[], Any] | None = fn
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        fn, self.fn = self.fn, None
        try:
            self.result = fn() if fn is not None else None
        except BaseException as exc:  # re-raised in the waiting thread
            self.error = exc
        finally:
            self.done.set()


class _StoreThread:
    """The queue and its one thread, started on demand and ended when idle."""

    def __init__(self, run_ticket: Callable[[int], None], idle_exit_s: float) -> None:
        self._run_ticket = run_ticket
        self._idle_exit_s = idle_exit_s
        self._queue: queue.SimpleQueue[int | _BlockingCall] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._outstanding = 0
        self._idle = threading.Condition(self._lock)

    def put(self, job: int | _BlockingCall) -> None:
        with self._lock:
            self._outstanding += 1
            self._queue.put(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="store", daemon=True)
                self._thread.start()

    def wait_idle(self, timeout_s: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._outstanding == 0, timeout_s)

    def _loop(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=self._idle_exit_s)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            try:
                if isinstance(job, _BlockingCall):
                    job.run()
                else:
                    self._run_ticket(job)
            finally:
                del job
                with self._idle:
                    self._outstanding -= 1
                    if self._outstanding == 0:
                        self._idle.notify_all()


class StoreWorker(QObject):
    """Runs callables on a single background thread, in submission order.

    ``busy_changed(True)`` is emitted only when a call has been running for ``busy_after_ms``,
    so quick calls never flash a busy indicator.
    """

    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        busy_after_ms: int = 300,
        idle_exit_s: float = IDLE_EXIT_S,
    ) -> None:
        super().__init__(parent)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(busy_after_ms)
        self._busy_timer.timeout.connect(lambda: self.busy_changed.emit(True))
        self._tickets = itertools.count(1)
        self._calls = _Calls(self)
        self._thread = _StoreThread(self._calls.run, idle_exit_s)

    @property
    def pending(self) -> int:
        """Calls submitted whose answers have not reached the GUI thread yet."""
        return len(self._calls.pending)

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
        ticket = next(self._tickets)
        self._calls.pending[ticket] = _Pending(fn, on_done, on_error, owner)
        if not self._busy_timer.isActive():
            self._busy_timer.start()
        self._thread.put(ticket)

    def _answered(
        self, pending: _Pending, result: Any, error: BaseException | None, *, idle: bool
    ) -> None:
        if idle:
            self._busy_timer.stop()
            self.busy_changed.emit(False)
        callback = pending.on_done if error is None else pending.on_error
        owner = pending.owner or getattr(callback, "__self__", None)
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return  # the view that asked was closed meanwhile: nobody to show it to
        if callback is not None:
            callback(result if error is None else error)
        elif error is not None:
            raise error

    def call_from_thread(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the store thread and wait for its result.

        For background threads (the network side of a sync round) that need the database in
        short steps: the call queues behind the GUI's calls, so it never runs concurrently with
        them. Never call this from the GUI thread or from the store thread itself.
        """
        call = _BlockingCall(fn)
        self._thread.put(call)
        call.done.wait()
        if call.error is not None:
            raise call.error
        return call.result

    def wait_idle(self, msecs: int = 30_000) -> bool:
        """Block until queued calls finish (shutdown and tests only)."""
        return self._thread.wait_idle(msecs / 1000)
