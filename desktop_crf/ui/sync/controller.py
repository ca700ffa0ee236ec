"""Background sync for an unlocked site: when to run a round, and where each part runs.

A round has three parts on three threads, so that neither the GUI nor data entry ever waits
on the network:

1. ``plan_round`` on the store worker (reads the server URL and the device key);
2. ``run_round`` on a short-lived network thread; each of its store calls (read the outbox,
   store a receipt, apply a download) is one short transaction handed back to the store worker
   (a ``ThreadedSyncStore`` over ``StoreWorker.call_from_thread``), queued between the nurse's
   own saves;
3. ``record_round`` and ``sync_status`` on the store worker, then the state goes to the GUI.

When: as soon as the site unlocks, whenever Qt's network information says the machine came back
online, a few seconds after local changes while the server is reachable, every few minutes
while it is, and more often while it is not (each try is one request, for the device's state,
which also says whether this app may sync). That answer, not the operating system, decides
"online". The demo site never syncs.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

from desktop_crf.errors import KnownError
from desktop_crf.services.session import Session
from desktop_crf.services.sync import (
    DemoSiteNeverSyncs,
    NotEnrolled,
    RetryPolicy,
    RoundPlan,
    RoundResult,
    SyncFailed,
    SyncStatus,
    ThreadedSyncStore,
    background_retry,
    plan_round,
    record_round,
    run_round,
    sync_status,
    update_noticed,
)
from desktop_crf.ui.errors import show_error
from desktop_crf.ui.sync.indicator import SyncWording
from desktop_crf.ui.sync.state import SyncState
from desktop_crf.ui.worker import StoreWorker

log = logging.getLogger(__name__)

#: While the server answers: a round every few minutes.
ONLINE_INTERVAL_MS = 3 * 60_000
#: While it does not: one try a minute (one request).
OFFLINE_INTERVAL_MS = 60_000
#: After a local change while online: wait for the nurse to finish the form.
AFTER_CHANGE_MS = 10_000


class _Relay(QObject):
    """Lives in the GUI thread; the network thread emits on it (the call arrives queued)."""

    finished = Signal(object, object)  # RoundResult | None, Exception | None


class SyncController(QObject):
    """Runs sync rounds in the background for one unlocked session.

    Signals: ``state_changed(SyncState)`` for the indicator and panel; ``pulled(RoundResult)``
    when a round brought data or queries down (views reload; its ``changes`` say what
    changed: any subject); ``notice(str)`` for what the user is told once, without
    interrupting them (an update required or recommended).
    """

    state_changed = Signal(object)
    pulled = Signal(object)
    notice = Signal(str)

    def __init__(
        self,
        worker: StoreWorker,
        session: Session,
        *,
        online_interval_ms: int = ONLINE_INTERVAL_MS,
        offline_interval_ms: int = OFFLINE_INTERVAL_MS,
        after_change_ms: int = AFTER_CHANGE_MS,
        timeout: float = 15.0,
        retry: RetryPolicy | None = None,
        watch_network: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker, self._session = worker, session
        self._online_ms, self._offline_ms = online_interval_ms, offline_interval_ms
        self._timeout = timeout
        self._cancel = threading.Event()
        self._retry = retry or background_retry(self._cancel)
        self._thread: threading.Thread | None = None
        self._running = False
        self._again = False
        self._stopped = True
        self._dispose = False
        self._started = 0.0
        self._bug_reported = False
        self._told: set[str] = set()
        self._words = SyncWording(self)
        self.state = SyncState("demo" if session.site.demo else "starting")
        self._relay = _Relay(self)
        self._relay.finished.connect(self._network_done)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(after_change_ms)
        self._soon.timeout.connect(self.sync_now)
        self._network: QNetworkInformation | None = None
        if watch_network and not session.site.demo:
            self._watch_network()

    # -- control ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Begin: show the state at once, then try a round (the demo site only shows itself)."""
        if self._session.site.demo:
            self._set_state(SyncState("demo"))
            return
        self._stopped = False
        self.sync_now()

    def stop(self, wait_s: float = 20.0) -> None:
        """Stop timers and any round in flight (lock, logout, quit); nothing is lost: a round
        stops between two store transactions, and whatever it did not send stays pending."""
        self._stopped = True
        self._cancel.set()
        self._timer.stop()
        self._soon.stop()
        if self._network is not None:
            self._network.reachabilityChanged.disconnect(self._reachability_changed)
            self._network = None
        thread = self._thread
        if thread is not None and wait_s > 0:
            thread.join(wait_s)

    def dispose(self) -> None:
        """Delete this controller once no round is in flight (its thread reports to it)."""
        self.stop(wait_s=0)
        if self._thread is None or not self._thread.is_alive():
            self.deleteLater()
        else:
            self._dispose = True

    def sync_now(self) -> None:
        """Run a round now (the "Sync now" action, the timers, network back online)."""
        if self._stopped or self._session.site.demo:
            return
        if self._running:
            self._again = True
            return
        self._timer.stop()
        self._soon.stop()
        self._running = True
        self._again = False
        self._set_state(replace(self.state, mode="syncing"))
        session = self._session
        self._submit(lambda: plan_round(session), on_done=self._planned, on_error=self._not_planned)

    def local_change(self) -> None:
        """Data were saved here: send them soon if the server is reachable."""
        if not self._stopped and self.state.mode == "online" and not self._soon.isActive():
            self._soon.start()

    def refresh_status(self) -> None:
        """Re-read pending changes, conflicts and queries (after a save or a resolution)."""
        if self._session.site.demo:
            return
        session = self._session
        self._submit(
            lambda: sync_status(session),
            on_done=lambda status: self._set_state(replace(self.state, status=status)),
            on_error=lambda _exc: None,
        )

    def set_reachability(self, online: bool) -> None:
        """The operating system says the network went away or came back."""
        if online:
            self.sync_now()
        elif not self._running and self.state.mode == "online":
            self._set_state(replace(self.state, mode="offline"))

    # -- the round -------------------------------------------------------------------------

    def _planned(self, plan: RoundPlan) -> None:
        if self._stopped:
            self._running = False
            return
        store = ThreadedSyncStore(
            self._session, run=self._worker.call_from_thread, cancel=self._cancel
        )
        relay, retry, timeout = self._relay, self._retry, self._timeout
        self._started = time.perf_counter()

        def network() -> None:
            result: RoundResult | None = None
            error: Exception | None = None
            try:
                result = run_round(plan, store, retry=retry, timeout=timeout)
            except Exception as exc:  # reported in the GUI thread, never lost
                error = exc
            with contextlib.suppress(RuntimeError):  # the app closed: nobody to tell
                relay.finished.emit(result, error)

        self._thread = threading.Thread(target=network, name="sync-round", daemon=True)
        self._thread.start()

    def _not_planned(self, exc: BaseException) -> None:
        self._running = False
        if isinstance(exc, DemoSiteNeverSyncs):
            self._set_state(SyncState("demo"))
        elif isinstance(exc, NotEnrolled):
            self._fetch_status("not_enrolled", str(exc), None)
        else:
            self._set_state(replace(self.state, mode="error", message=str(exc)))
            self._schedule(self._offline_ms)

    @Slot(object, object)
    def _network_done(self, result: RoundResult | None, error: Exception | None) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            # It has only to return: let it drop its references to our Qt objects while we
            # still hold them (PySide must not free a Qt wrapper on another thread).
            thread.join(1.0)
        if self._stopped:
            self._running = False
            if self._dispose:
                self.deleteLater()
            return
        ms = (time.perf_counter() - self._started) * 1000
        if error is None:
            mode, message = "online", None
            assert result is not None
            log.info(
                "sync round in %.0f ms: %d entries sent, %d entries and %d queries received",
                ms,
                result.uploaded_entries,
                result.pulled_entries,
                result.pulled_queries,
            )
        elif isinstance(error, SyncFailed) and error.offline:
            mode, message = "offline", str(error)
            log.info("sync round in %.0f ms: server not reachable", ms)
        elif isinstance(error, SyncFailed) and error.update_required:
            mode, message = "update_required", str(error)
            log.warning("sync round refused: the server needs another version of the app")
        else:
            mode, message = "error", str(error)
            log.warning("sync round stopped after %.0f ms: %s", ms, type(error).__name__)
            if not isinstance(error, KnownError) and not self._bug_reported:
                self._bug_reported = True  # once per session: the next rounds would repeat it
                show_error(error)
        session = self._session

        def record() -> SyncStatus:
            record_round(session, error, result)
            return sync_status(session)

        self._submit(
            record,
            on_done=lambda status: self._recorded(mode, message, result, status),
            on_error=lambda _exc: self._recorded(mode, message, result, None),
        )

    def _recorded(
        self, mode: str, message: str | None, result: RoundResult | None, status: Any
    ) -> None:
        self._running = False
        self._set_state(
            SyncState(mode, status or self.state.status, message, result or self.state.last_result)
        )
        self._tell_once(self.state)
        if result is not None and result.changes is not None:
            self.pulled.emit(result)
        if self._again:
            self.sync_now()
        else:
            self._schedule(self._offline_ms if mode == "offline" else self._online_ms)

    def _tell_once(self, state: SyncState) -> None:
        """Say once that an update is required (per session) or recommended (per version,
        remembered on the site): a line in the status bar, never a dialog over a form."""
        status = state.status
        if state.mode == "update_required":
            topic = "required"
        elif status is not None and status.update_recommended:
            topic = f"recommended {status.update_recommended}"
        else:
            return
        text = self._words.notice_for(state)
        if topic in self._told or not text:
            return
        self._told.add(topic)
        self.notice.emit(text)
        if status is not None and status.update_recommended and state.mode != "update_required":
            session, version = self._session, status.update_recommended
            self._submit(
                lambda: update_noticed(session, version), on_done=lambda _: None,
                on_error=lambda _exc: None,
            )  # fmt: skip

    def _fetch_status(self, mode: str, message: str | None, result: RoundResult | None) -> None:
        session = self._session
        self._submit(
            lambda: sync_status(session),
            on_done=lambda status: self._set_state(SyncState(mode, status, message, result)),
            on_error=lambda _exc: self._set_state(SyncState(mode, None, message, result)),
        )

    def _schedule(self, interval_ms: int) -> None:
        if not self._stopped:
            self._timer.start(interval_ms)

    def _submit(self, fn: Callable[[], Any], *, on_done: Any, on_error: Any) -> None:
        """Run on the store worker; the answer is dropped if this controller is gone."""
        self._worker.submit(fn, on_done=on_done, on_error=on_error, owner=self)

    def _set_state(self, state: SyncState) -> None:
        self.state = state
        self.state_changed.emit(state)

    # -- the operating system's view of the network ------------------------------------------

    def _watch_network(self) -> None:
        if QNetworkInformation.instance() is None and not QNetworkInformation.loadDefaultBackend():
            return  # no backend on this platform: the timers and the probe do the work
        info = QNetworkInformation.instance()
        if info is None:
            return
        self._network = info
        info.reachabilityChanged.connect(self._reachability_changed)

    @Slot(QNetworkInformation.Reachability)
    def _reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        online = reachability in (
            QNetworkInformation.Reachability.Online,
            QNetworkInformation.Reachability.Site,
            QNetworkInformation.Reachability.Unknown,
        )
        self.set_reachability(online)
