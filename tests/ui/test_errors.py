"""One path for errors: a known error's message, a bug's crash report — from a store call, a
Qt slot or another thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from desktop_crf.errors import InvalidInput
from desktop_crf.ui.errors import error_display, install_excepthook

pytestmark = [pytest.mark.gui, pytest.mark.qt_no_exception_capture]


@pytest.fixture
def display(qapp, tmp_path, monkeypatch) -> Iterator[object]:
    monkeypatch.setenv("DESKTOP_CRF_LOG_DIR", str(tmp_path / "logs"))
    shown = error_display()
    shown.crash_box = shown.last_box = None
    restore = install_excepthook()
    yield shown
    restore()
    for box in (shown.crash_box, shown.last_box):
        if box is not None and shiboken6.isValid(box):
            box.close()


def test_a_bug_in_a_slot_shows_the_crash_report(qtbot, display, tmp_path) -> None:
    button = QPushButton("go")
    qtbot.addWidget(button)

    def broken() -> None:
        raise RuntimeError("a bug in a slot")

    button.clicked.connect(broken)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: display.crash_box is not None and display.crash_box.isVisible())
    box = display.crash_box
    assert "Nothing saved before was lost" in box.text()
    assert "RuntimeError: a bug in a slot" in box.detailedText()
    assert "broken" in box.detailedText()  # the stack, to send
    assert str(tmp_path / "logs") in box.informativeText()  # where the log is


def test_a_bug_on_another_thread_is_reported_on_the_gui_thread(qtbot, display) -> None:
    def work() -> None:
        raise ValueError("a bug on a thread")

    thread = threading.Thread(target=work, name="background")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: display.crash_box is not None and display.crash_box.isVisible())
    assert "ValueError: a bug on a thread" in display.crash_box.detailedText()


def test_a_second_bug_is_added_to_the_open_report(qtbot, display) -> None:
    display.report_bug(KeyError("first"))
    display.report_bug(KeyError("second"))
    details = display.crash_box.detailedText()
    assert "first" in details
    assert "second" in details


def test_a_known_error_shows_its_message_not_a_crash_report(qtbot, display) -> None:
    display.show(InvalidInput("The anchor date must be written YYYY-MM-DD."))
    assert display.crash_box is None
    assert display.last_box is not None
    assert display.last_box.isVisible()
    assert display.last_box.text() == "The anchor date must be written YYYY-MM-DD."


def test_a_second_known_error_while_the_first_box_is_the_active_window(qtbot, display) -> None:
    """A message box is never the parent of the next one: replacing the first (closed, freed)
    must not take the second with it (seen once in CI as 'QMessageBox already deleted')."""
    display.show(InvalidInput("First message."))
    first = display.last_box
    first.activateWindow()
    qtbot.waitUntil(lambda: first.isActiveWindow(), timeout=2000)
    display.show(InvalidInput("Second message."))
    second = display.last_box
    assert shiboken6.isValid(second)
    assert second.isVisible()
    assert second.parent() is not first
    assert second.text() == "Second message."
    first.close()
    qtbot.wait(10)
    assert shiboken6.isValid(second)


def test_every_known_error_stays_on_screen_until_closed(qtbot, display) -> None:
    for text in ("One.", "Two.", "Three."):
        display.show(InvalidInput(text))
        qtbot.wait(1)
    boxes = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "knownErrorBox" and w.isVisible()
    ]
    assert sorted(box.text() for box in boxes) == ["One.", "Three.", "Two."]
    for box in boxes:
        box.close()
