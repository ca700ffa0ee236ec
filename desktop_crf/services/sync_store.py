"""The sync client's store on this site's database: each of its calls is one short transaction
on the store's sync storage (``desktop_crf.store.sync_state``, ``store.pulled``,
``store.queries``), for the round that ``desktop_crf.services.sync`` runs.

``SiteSyncStore`` runs on the thread that owns the database (the CLI); ``ThreadedSyncStore``
hands each call to that thread from the thread a round runs on (the app).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.sync_errors import RoundCancelled
from desktop_crf.store import pulled, set_aside
from desktop_crf.store import sync_state as state
from desktop_crf.store.audit import entries_after, utc_now
from desktop_crf.store.database import transaction
from sync.changeset import SignedChangeSet

T = TypeVar("T")


class SiteSyncStore:
    """The client's ``SyncStore`` on an unlocked site: each call is one short transaction."""

    def __init__(self, session: Session) -> None:
        session.require(Permission.SYNC)
        self._session = session
        self._device = session.site.device

    def _tx(self) -> Any:
        return transaction(self._session.db, self._session.paths.database)

    def acknowledged_seq(self) -> int:
        return state.acknowledged_seq(self._session.db)

    def pending_entries(self, after_seq: int, limit: int) -> Sequence[Mapping[str, Any]]:
        return entries_after(self._session.db, self._device, after_seq, limit=limit)

    def entry_hash(self, seq: int) -> str | None:
        return state.entry_hash(self._session.db, self._device, seq)

    def record_receipt(self, receipt: Mapping[str, Any]) -> None:
        with self._tx():
            state.store_receipt(self._session.db, receipt)

    def quarantine(self, changeset: SignedChangeSet, code: str, reason: str) -> None:
        with self._tx():
            state.quarantine(self._session.db, changeset, code=code, reason=reason, at=utc_now())

    def pull_cursor(self) -> int:
        return state.pull_cursor(self._session.db)

    def apply_pulled(self, records: Sequence[Mapping[str, Any]], cursor: int) -> None:
        """Apply a page of the feed with its cursor in one transaction; a record that cannot
        be applied is set aside with the reason and the cursor moves on."""
        with self._tx():
            pulled.apply_pulled(self._session.db, records, cursor, device=self._device)

    def set_aside_unreported(self) -> Sequence[Mapping[str, Any]]:
        return [{"id": r.id, **r.report()} for r in set_aside.unreported(self._session.db)]

    def set_aside_reported(self, ids: Sequence[int]) -> None:
        with self._tx():
            set_aside.mark_reported(self._session.db, ids, at=utc_now())


class ThreadedSyncStore:
    """A ``SiteSyncStore`` for a round on another thread: ``run(fn)`` runs each call on the
    thread that owns the database and returns its result (the app's store worker), queued
    between other work. Once ``cancel`` is set (the site locks), every call raises
    ``RoundCancelled``: the round stops between two transactions, with nothing lost."""

    def __init__(
        self,
        session: Session,
        *,
        run: Callable[[Callable[[], Any]], Any],
        cancel: threading.Event,
    ) -> None:
        self._store = SiteSyncStore(session)
        self._run, self._cancel = run, cancel

    def _call(self, fn: Callable[[], T]) -> T:
        if self._cancel.is_set():
            raise RoundCancelled()
        return cast(T, self._run(fn))

    def acknowledged_seq(self) -> int:
        return self._call(self._store.acknowledged_seq)

    def pending_entries(self, after_seq: int, limit: int) -> Sequence[Mapping[str, Any]]:
        return self._call(lambda: self._store.pending_entries(after_seq, limit))

    def entry_hash(self, seq: int) -> str | None:
        return self._call(lambda: self._store.entry_hash(seq))

    def record_receipt(self, receipt: Mapping[str, Any]) -> None:
        self._call(lambda: self._store.record_receipt(receipt))

    def quarantine(self, changeset: SignedChangeSet, code: str, reason: str) -> None:
        self._call(lambda: self._store.quarantine(changeset, code, reason))

    def pull_cursor(self) -> int:
        return self._call(self._store.pull_cursor)

    def apply_pulled(self, records: Sequence[Mapping[str, Any]], cursor: int) -> None:
        self._call(lambda: self._store.apply_pulled(records, cursor))

    def set_aside_unreported(self) -> Sequence[Mapping[str, Any]]:
        return self._call(self._store.set_aside_unreported)

    def set_aside_reported(self, ids: Sequence[int]) -> None:
        self._call(lambda: self._store.set_aside_reported(ids))
