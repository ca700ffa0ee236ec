"""The store worker on its own: order, errors, closed owners, and which thread lets go of what."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

import pytest
from PySide6.QtCore import QObject

from desktop_crf.ui.collector import GuiThreadCollector
from desktop_crf.ui.worker import StoreWorker


class _Token:
    """Records the thread that freed it."""

    freed_on: ClassVar[list[str]] = []

    def __del__(self) -> None:
        _Token.freed_on.append(threading.current_thread().name)


def test_results_arrive_on_the_gui_thread_in_submission_order(qtbot) -> None:
    worker = StoreWorker()
    seen: list[tuple[int, str, str]] = []
    for n in range(20):
        worker.submit(
            lambda n=n: (n, threading.current_thread().name),
            on_done=lambda r: seen.append((*r, threading.current_thread().name)),
        )
    qtbot.waitUntil(lambda: len(seen) == 20, timeout=5000)
    assert [n for n, _, _ in seen] == list(range(20))
    assert {ran for _, ran, _ in seen} == {"store"}
    assert {delivered for _, _, delivered in seen} == {threading.main_thread().name}


def test_an_error_reaches_on_error_with_its_traceback(qtbot) -> None:
    worker = StoreWorker()
    errors: list[BaseException] = []

    def fail() -> None:
        raise ValueError("ALT must be a number")

    worker.submit(
        fail, on_done=lambda _r: errors.append(AssertionError("done")), on_error=errors.append
    )
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError)
    assert "in fail" in errors[0].__traceback_text__  # type: ignore[attr-defined]


def test_the_answer_to_a_closed_owner_is_dropped(qtbot) -> None:
    worker = StoreWorker()
    owner = QObject()
    seen: list[object] = []
    gate = threading.Event()
    worker.submit(lambda: gate.wait(5), on_done=seen.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _valid(owner), timeout=5000)
    gate.set()
    assert worker.wait_idle(5000)
    worker.submit(lambda: "after", on_done=seen.append)
    qtbot.waitUntil(lambda: seen == ["after"], timeout=5000)


def test_callables_are_let_go_of_on_the_gui_thread(qtbot) -> None:
    """A callable may hold views; PySide must never free a Qt wrapper on the store thread."""
    worker = StoreWorker()
    _Token.freed_on.clear()
    done: list[int] = []
    for n in range(50):
        token = _Token()
        worker.submit(lambda token=token, n=n: n, on_done=done.append)
        del token
    qtbot.waitUntil(lambda: len(done) == 50, timeout=5000)
    qtbot.waitUntil(lambda: len(_Token.freed_on) == 50, timeout=5000)
    assert set(_Token.freed_on) == {threading.main_thread().name}


def test_call_from_thread_runs_between_the_gui_calls_and_returns_or_raises(qtbot) -> None:
    worker = StoreWorker()
    order: list[str] = []
    answers: list[object] = []

    def background() -> None:
        answers.append(worker.call_from_thread(lambda: order.append("thread") or 42))
        with pytest.raises(KeyError):
            worker.call_from_thread(lambda: {}["missing"])
        answers.append("raised")

    worker.submit(lambda: order.append("gui"))
    thread = threading.Thread(target=background)
    thread.start()
    thread.join(5)
    assert answers == [42, "raised"]
    assert order == ["gui", "thread"]
    assert worker.wait_idle(5000)


def test_an_idle_store_thread_ends_and_the_next_call_starts_another(qtbot) -> None:
    worker = StoreWorker(idle_exit_s=0.05)
    threads: list[threading.Thread] = []
    worker.submit(threading.current_thread, on_done=threads.append)
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not threads[0].is_alive(), timeout=5000)
    worker.submit(threading.current_thread, on_done=threads.append)
    qtbot.waitUntil(lambda: len(threads) == 2, timeout=5000)
    assert threads[1] is not threads[0]


def _valid(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_garbage_is_collected_on_the_gui_thread_only(qtbot) -> None:
    """A cycle holding a view must be freed by the GUI thread, never by whichever thread
    happens to allocate (the store thread, a sync round)."""
    enabled_before = gc.isenabled()  # off already under the suite's own collector
    collector = GuiThreadCollector(interval_ms=10)
    collector.start()
    try:
        assert not gc.isenabled()
        _Token.freed_on.clear()
        worker = StoreWorker()

        def make_cycles() -> None:
            for _ in range(1000):  # well over the first generation's threshold
                cycle: list[object] = [_Token()]
                cycle.append(cycle)

        worker.submit(make_cycles)
        assert worker.wait_idle(5000)
        qtbot.waitUntil(lambda: len(_Token.freed_on) == 1000, timeout=5000)
        assert set(_Token.freed_on) == {threading.main_thread().name}
    finally:
        collector.stop()
    assert gc.isenabled() == enabled_before
