"""The pieces of a round the app runs on its own thread: the store calls handed to the thread
that owns the database, stopped by a lock, and what a round tells the views."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from desktop_crf.model import Changes
from desktop_crf.services.session import Session
from desktop_crf.services.sync import (
    RoundCancelled,
    RoundResult,
    ThreadedSyncStore,
    record_round,
)
from desktop_crf.store import sync_state
from desktop_crf.store.database import transaction


def test_each_call_runs_where_it_is_sent_until_the_round_is_cancelled(nurse: Session) -> None:
    ran: list[Callable[[], Any]] = []

    def run(fn: Callable[[], Any]) -> Any:
        ran.append(fn)
        return fn()

    cancel = threading.Event()
    store = ThreadedSyncStore(nurse, run=run, cancel=cancel)
    assert (store.acknowledged_seq(), store.pull_cursor()) == (0, 0)
    assert [e["seq"] for e in store.pending_entries(0, 2)] == [1, 2]
    assert len(ran) == 3
    cancel.set()  # the site locks: the round stops between two transactions
    with pytest.raises(RoundCancelled):
        store.apply_pulled([], 5)
    assert len(ran) == 3
    assert sync_state.pull_cursor(nurse.db) == 0  # nothing was applied


def test_a_round_that_pulled_something_says_any_subject_may_have_changed() -> None:
    assert RoundResult(uploaded_entries=3, uploaded_sets=1).changes is None
    assert RoundResult(pulled_entries=2).changes == Changes(kind="sync")
    assert RoundResult(pulled_queries=1).changes == Changes(kind="sync")
    assert Changes(kind="sync").concerns_subject("NB02-0001")
    assert RoundResult(4, 1, 2).summary() == (
        "uploaded 4 entries in 1 change sets; pulled 2 entries"
    )


def test_a_rounds_bookkeeping_is_recorded_and_every_other_write_stays_durable(
    nurse: Session,
) -> None:
    def synchronous() -> int:
        return int(nurse.db.execute("PRAGMA synchronous").fetchone()[0])

    assert synchronous() == 2  # FULL: what the site writes waits for the disk
    with transaction(nurse.db, durable=False):
        assert synchronous() == 1  # NORMAL: the time of the last round need not
    assert synchronous() == 2
    with pytest.raises(RuntimeError), transaction(nurse.db, durable=False):
        raise RuntimeError("a failed write")
    assert synchronous() == 2
    record_round(nurse, None)
    assert sync_state.last_success(nurse.db) is not None
    assert synchronous() == 2
