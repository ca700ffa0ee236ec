"""One path for calls, changes and errors (as Anki's ``CollectionOp``/``QueryOp`` and its
``operation_did_execute`` hook).

Every service call of a view goes through ``Ops``: ``read(fn, on_done)`` and
``write(fn, initiator=…)`` run ``fn(session)`` on the store worker, one call at a time, and
bring the answer back to the GUI thread. A write returns what it changed (a ``Changes``, or a
value with a ``changes`` attribute); ``Ops`` then emits the one app-wide ``changed(changes,
initiator)`` signal, and each open view redraws only what the change concerns. A sync round
that brought other computers' data is announced the same way (``notify``).

Errors take one path too: a known error goes to the caller's ``on_error`` when it has one
(a dialog that shows it in place), otherwise to the error display; a bug always goes to the
crash report. A read still queued when the user locked the site or quit meets ``Locked`` and
is dropped without a message: every view reloads at unlock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop_crf.errors import Cancelled, KnownError, Locked
from desktop_crf.model import Changes
from desktop_crf.services.session import Session
from desktop_crf.ui.errors import show_error
from desktop_crf.ui.worker import StoreWorker

T = TypeVar("T")
log = logging.getLogger(__name__)

#: A store call slower than this is written to the log (its name and time, never its data).
SLOW_CALL_MS = 250.0

OnError = Callable[[KnownError], None]


def changes_of(result: object) -> Changes | None:
    """What a write's result says it changed: a ``Changes``, or its ``changes`` attribute."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, Changes) else None


class Ops(QObject):
    """The views' way to the services for one unlocked session.

    Signals: ``changed(Changes, initiator)`` after every write that changed something, and
    after a sync round that brought changes (initiator None).
    """

    changed = Signal(object, object)

    def __init__(self, worker: StoreWorker, session: Session, parent: QObject | None = None):
        super().__init__(parent)
        self.worker = worker
        self._session = session

    @property
    def session(self) -> Session:
        """The session, for code that runs on the store thread (a sync round's store calls)."""
        return self._session

    def read(
        self,
        fn: Callable[[Session], T],
        on_done: Callable[[T], None],
        *,
        owner: QObject | None = None,
        on_error: OnError | None = None,
    ) -> None:
        """Run ``fn(session)`` on the store worker; its result goes to ``on_done`` on the GUI
        thread, unless ``owner`` (default: ``on_done``'s object) was deleted meanwhile."""
        holder = owner if owner is not None else getattr(on_done, "__self__", None)

        def read_failed(exc: BaseException) -> None:
            if isinstance(exc, Locked) and on_error is None:
                # queued before the user locked or quit: every view reloads at unlock
                log.info("read dropped: the site was locked")
                return
            self.failed(exc, on_error, holder)

        self.worker.submit(
            self._timed(fn),
            on_done=on_done,
            on_error=read_failed,
            owner=holder if isinstance(holder, QObject) else None,
        )

    def write(
        self,
        fn: Callable[[Session], T],
        *,
        initiator: QObject | None,
        on_done: Callable[[T], None] | None = None,
        on_error: OnError | None = None,
    ) -> None:
        """Run the change ``fn(session)``; announce what it changed to every view, then give
        the result to ``on_done`` (if ``initiator`` still exists)."""

        def done(result: T) -> None:
            changes = changes_of(result)
            if changes is not None:
                self.changed.emit(changes, initiator)
            if on_done is not None and _alive(initiator):
                on_done(result)

        self.worker.submit(
            self._timed(fn),
            on_done=done,
            on_error=lambda exc: self.failed(exc, on_error, initiator),
            owner=self,
        )

    def notify(self, changes: Changes, initiator: QObject | None = None) -> None:
        """Announce a change made elsewhere (a sync round brought other computers' data)."""
        self.changed.emit(changes, initiator)

    def failed(
        self, exc: BaseException, on_error: OnError | None, owner: object | None = None
    ) -> None:
        """A call's error: a known one to ``on_error`` (or shown), a bug to the crash report."""
        if isinstance(exc, KnownError):
            log.info("store call refused: %s", type(exc).__name__)
            if on_error is not None and _alive(owner):
                on_error(exc)
                return
            if isinstance(exc, Cancelled) and not _alive(owner):
                return  # stopped by closing its window: nothing to tell, nothing was written
        if not _alive(owner):
            owner = None
        show_error(exc, owner if isinstance(owner, QWidget) else None)

    def _timed(self, fn: Callable[[Session], T]) -> Callable[[], T]:
        session = self._session

        def call() -> T:
            started = time.perf_counter()
            try:
                return fn(session)
            finally:
                ms = (time.perf_counter() - started) * 1000
                if ms >= SLOW_CALL_MS:
                    log.info("slow store call %s: %.0f ms", _name(fn), ms)

        return call


def _alive(owner: object | None) -> bool:
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or type(fn).__name__
