"""The patient's kiosk with real widgets: one question per screen, every answer saved as it is
tapped and audited as the patient, the 1–7 scale, skipped questions, scores on finishing, no
way out but staff credentials, large touch targets in English and Chinese."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop_crf.model import FormKey
from desktop_crf.services import kiosk as kiosk_service
from desktop_crf.services.audit_review import audit_entries
from desktop_crf.services.data_entry import load_form
from desktop_crf.ui.tablet.controller import KioskController
from desktop_crf.ui.tablet.flow import Screen
from desktop_crf.ui.tablet.style import TEXT_PT, TOUCH_MIN
from forms.instruments import qlq_c30
from tests.helpers.sites import PASSWORDS, login
from tests.ui.tablet import TIMEOUT, answer, choose, close_kiosk, open_kiosk, tablet_site, tap

pytestmark = pytest.mark.gui


@pytest.fixture
def site(recurrence_site_template: Path, tmp_path: Path) -> tuple[Path, list[FormKey]]:
    return tablet_site(recurrence_site_template, tmp_path / "site", subjects=2)


@pytest.fixture
def kiosk(qtbot, site) -> Iterator[KioskController]:
    root, keys = site
    ctl = open_kiosk(qtbot, root, keys[0], show_initials=True)
    yield ctl
    close_kiosk(ctl)


def _stored(root: Path, key: FormKey) -> dict[str, str | None]:
    nurse = login(root, "nurse")
    try:
        form = load_form(nurse, key)
        return {item: form.value(group, item) for group, _r, item in form.values}
    finally:
        nurse.close()


def test_one_question_per_screen_each_answer_saved_when_tapped(qtbot, site, kiosk) -> None:
    root, keys = site
    window = kiosk.window
    assert window.welcome.for_label.text().endswith("P0")  # staff chose to show the initials
    choose(qtbot, kiosk, "en")
    assert window.question.question.text().startswith("1. Do you have any trouble")
    assert window.progress.text() == "1 of 30"
    answer(qtbot, kiosk, 2)
    assert window.progress.text() == "2 of 30"
    assert _stored(root, keys[0])["I.QLQ01"] == "2"  # saved before the next question showed
    tap(qtbot, kiosk, window.question.back_button)
    assert window.question.answer_buttons[2].isChecked()  # the saved answer, shown again
    answer(qtbot, kiosk, 3)  # changed: saved with the patient's reason
    stored = _stored(root, keys[0])
    assert (stored["I.QLQ01"], stored["I.QLQ_LANG"], stored["I.QLQ_OFFICIAL"]) == ("3", "en", "Y")
    nurse = login(root, "nurse")
    try:
        entries = audit_entries(nurse, subject=keys[0].subject_id, action="item.set")
    finally:
        nurse.close()
    assert {(e["user"], e["role"]) for e in entries} == {
        (f"patient:{keys[0].subject_id}", "patient")
    }
    assert [e["new"] for e in entries if e["item"] == "I.QLQ01"] == ["3", "2"]


def test_the_whole_questionnaire_then_thanks_then_hand_back(qtbot, site, kiosk) -> None:
    root, keys = site
    window = kiosk.window
    choose(qtbot, kiosk, "en")
    for item in range(1, 29):
        if item in (4, 17):
            tap(qtbot, kiosk, window.question.next_button)  # skipped
        else:
            answer(qtbot, kiosk, 1 + item % 4)
    assert window.question.question.text().startswith("29. ")
    assert sorted(window.question.answer_buttons) == list(range(1, 8))  # the 1–7 scale
    answer(qtbot, kiosk, 6)
    answer(qtbot, kiosk, 5)
    assert kiosk.flow.screen is Screen.REVIEW
    assert [b.text() for b in window.review.skipped_buttons] == ["Question 4", "Question 17"]
    tap(qtbot, kiosk, window.review.skipped_buttons[1], Screen.QUESTION)
    assert window.question.question.text().startswith("17. ")
    answer(qtbot, kiosk, 2)  # the last skipped one answered: back to the last screen
    assert kiosk.flow.screen is Screen.REVIEW
    assert [b.text() for b in window.review.skipped_buttons] == ["Question 4"]
    tap(qtbot, kiosk, window.review.finish_button, Screen.THANKS)
    assert window.thanks.button is not None
    tap(qtbot, kiosk, window.thanks.button, Screen.HAND_BACK)
    shown = " ".join(w.text() for w in window.findChildren(QLabel) if w.isVisible())
    assert "Please hand the tablet back" in shown
    assert "P0" not in shown  # nothing of the patient
    assert "Question" not in shown
    stored = _stored(root, keys[0])
    responses = qlq_c30.responses_from_values(stored)
    assert responses[4] is None
    assert responses[17] == 2
    for code, value in qlq_c30.score(responses).items():
        text = stored.get(f"I.QLQ_{code}")
        assert (None if text is None else float(text)) == value


def _press(qtbot, widget: QWidget, sequence: str) -> None:
    keys = QKeySequence(sequence)[0]
    qtbot.keyClick(widget, keys.key(), keys.keyboardModifiers())


def test_no_shortcut_no_close_no_context_menu_gets_out(qtbot, kiosk) -> None:
    window = kiosk.window
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    fired: list[str] = []
    for sequence in ("Ctrl+Q", "Ctrl+W", "Alt+F4", "Esc", "F1", "Ctrl+L", "Alt+Tab", "Ctrl+N"):
        shortcut = QShortcut(QKeySequence(sequence), elsewhere)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(lambda s=sequence: fired.append(s))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    before = kiosk.lockdown.swallowed
    for sequence in ("Ctrl+Q", "Ctrl+W", "Alt+F4", "Esc", "F1", "Ctrl+L", "Alt+Tab", "Ctrl+N"):
        _press(qtbot, window.welcome.language_buttons[0], sequence)
    assert fired == []
    assert kiosk.lockdown.swallowed >= before + 8
    assert not window.close()  # the close button, Alt+F4 from the window manager
    assert window.isVisible()
    assert window.close_refused == 1
    edit = QLineEdit(window.welcome)  # a control that has a context menu of its own
    edit.show()
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5))
    swallowed = kiosk.lockdown.swallowed
    QApplication.sendEvent(edit, menu)
    assert kiosk.lockdown.swallowed == swallowed + 1
    assert QApplication.activePopupWidget() is None
    assert kiosk.flow.screen is Screen.WELCOME
    kiosk.close()  # once staff took it back, the shortcuts work again
    _press(qtbot, elsewhere, "Ctrl+Q")
    assert not kiosk.lockdown.active


def test_leaving_needs_a_staff_password_or_pin_and_refusals_are_audited(qtbot, site, kiosk) -> None:
    root, keys = site
    window = kiosk.window
    tap(qtbot, kiosk, window.staff_button, Screen.STAFF)
    staff = window.staff
    assert staff.user_edit.text() == "nurse"
    for key in "999999":
        pad = next(k for k in staff.keys if k.property("key") == key)
        qtbot.mouseClick(pad, Qt.MouseButton.LeftButton)
    assert staff.secret_edit.text() == "999999"
    qtbot.mouseClick(staff.take_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(staff.error.isVisible, timeout=TIMEOUT)
    assert "not correct" in staff.error.text()
    qtbot.mouseClick(staff.password_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(staff.secret_edit, "wrong-password")
    qtbot.mouseClick(staff.take_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: staff.take_button.isEnabled(), timeout=TIMEOUT)
    assert window.isVisible()
    tap(qtbot, kiosk, staff.cancel_button, Screen.WELCOME)  # back to the patient
    nurse = login(root, "nurse")
    try:
        refused = audit_entries(nurse, action="kiosk.leave_refused")
    finally:
        nurse.close()
    assert [(e["role"], e["subject"]) for e in refused] == [("patient", keys[0].subject_id)] * 2
    assert {'"method": "pin"' in e["detail"] for e in refused} == {True, False}
    tap(qtbot, kiosk, window.staff_button, Screen.STAFF)
    qtbot.mouseClick(staff.password_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(staff.secret_edit, PASSWORDS["nurse"])
    with qtbot.waitSignal(kiosk.ended, timeout=TIMEOUT) as ended:
        qtbot.mouseClick(staff.take_button, Qt.MouseButton.LeftButton)
    assert ended.args[0].same_user
    assert kiosk.closed
    assert not kiosk.lockdown.active


def test_a_second_patient_sees_nothing_of_the_first(qtbot, site, kiosk) -> None:
    root, keys = site
    choose(qtbot, kiosk, "zh-CN")
    answer(qtbot, kiosk, 4)
    answer(qtbot, kiosk, 3)
    tap(qtbot, kiosk, kiosk.window.staff_button, Screen.STAFF)
    wording = kiosk.window.staff.wording_label
    assert wording.isVisible()
    assert "zh-CN" in wording.text()
    assert wording.objectName() == "notice"  # not EORTC's: said to staff too
    kiosk.window.staff.use("password")
    qtbot.keyClicks(kiosk.window.staff.secret_edit, PASSWORDS["nurse"])
    with qtbot.waitSignal(kiosk.ended, timeout=TIMEOUT):
        qtbot.mouseClick(kiosk.window.staff.take_button, Qt.MouseButton.LeftButton)
    second = open_kiosk(qtbot, root, keys[1])
    try:
        window = second.window
        assert second.flow.screen is Screen.WELCOME
        assert not window.welcome.for_label.isVisible()  # initials not chosen for this one
        assert second.flow.answers == {}
        shown = " ".join(w.text() for w in window.findChildren(QLabel) if w.isVisible())
        assert "P0" not in shown
        assert "P1" not in shown
        choose(qtbot, second, "en")
        assert window.question.question.text().startswith("1. ")
        assert not any(b.isChecked() for b in window.question.answer_buttons.values())
    finally:
        close_kiosk(second)


def _too_small(window: QWidget) -> list[str]:
    """Visible controls under the touch minimum or text under the size; anything wider than
    the window, or a horizontal scroll bar."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        widget.ensurePolished()
        text = widget.text() if isinstance(widget, QAbstractButton | QLabel) else ""
        name = f"{type(widget).__name__}#{widget.objectName()} {text!r}"
        if isinstance(widget, QAbstractButton | QLineEdit) and (
            widget.height() < TOUCH_MIN or widget.width() < TOUCH_MIN
        ):
            problems.append(f"{name}: {widget.width()}×{widget.height()} px")
        if (
            isinstance(widget, QAbstractButton | QLabel | QLineEdit)
            and widget.font().pointSizeF() < TEXT_PT
        ):
            problems.append(f"{name}: {widget.font().pointSizeF()} pt")
        left = widget.mapTo(window, QPoint(0, 0)).x()
        if left < 0 or left + widget.width() > window.width():
            problems.append(f"{name}: {left}–{left + widget.width()} outside 0–{window.width()}")
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
            problems.append(f"{name}: scrolls sideways")
    return problems


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_screen_has_touch_sized_controls_and_no_sideways_scroll(
    qtbot, kiosk, language: str
) -> None:
    window = kiosk.window
    seen: dict[str, list[str]] = {"welcome": _too_small(window)}
    choose(qtbot, kiosk, language)
    seen["question 1"] = _too_small(window)
    cut: list[int] = []  # questions whose answers do not all fit on the screen
    for item in range(1, 31):
        assert window.question.question.text().startswith(f"{item}. ")
        if window.question.scroll_area.verticalScrollBar().maximum() > 0:
            cut.append(item)
        if item == 29:
            seen["question 29 (1–7)"] = _too_small(window)
        tap(qtbot, kiosk, window.question.next_button)
    assert cut == []
    assert kiosk.flow.screen is Screen.REVIEW
    seen["review, 30 skipped"] = _too_small(window)
    tap(qtbot, kiosk, window.staff_button, Screen.STAFF)
    seen["staff"] = _too_small(window)
    tap(qtbot, kiosk, window.staff.cancel_button, Screen.REVIEW)
    tap(qtbot, kiosk, window.review.finish_button, Screen.THANKS)
    seen["thanks"] = _too_small(window)
    assert window.thanks.button is not None
    tap(qtbot, kiosk, window.thanks.button, Screen.HAND_BACK)
    seen["hand back"] = _too_small(window)
    assert {screen: problems for screen, problems in seen.items() if problems} == {}
    if language == "zh-CN":
        assert "仅供演示" in window.notice.text() or not window.notice.isVisible()


def test_an_answer_that_cannot_be_saved_keeps_the_patient_on_the_question(
    qtbot, site, kiosk
) -> None:
    root, keys = site
    choose(qtbot, kiosk, "en")
    answer(qtbot, kiosk, 1)
    nurse = login(root, "nurse")  # the hand-over ended on this device meanwhile
    try:
        patient = kiosk_service.resume_handover(nurse).patient
        kiosk_service.end_handover(patient, "nurse", PASSWORDS["nurse"], method="password")
    finally:
        nurse.close()
    page = kiosk.window.question
    qtbot.mouseClick(page.answer_buttons[3], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.error.isVisible, timeout=TIMEOUT)
    assert "could not be saved" in page.error.text()
    assert kiosk.flow.item == 2  # not moved on: the answer is not stored
    assert not page.answer_buttons[3].isChecked()
    assert page.answer_buttons[1].isEnabled()
    assert _stored(root, keys[0]).get("I.QLQ02") is None
