"""A subject's course in the app: a new screening asks for initials (and can be cancelled);
a screen failure, a discarded screening and a withdrawal, each with its reason; the list
shows a discarded screening only when asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.ui.shell.controller import AppController
from desktop_crf.ui.subjects.view import SubjectView
from tests.helpers.sites import PASSWORDS, login

pytestmark = pytest.mark.gui


@pytest.fixture
def ctl(qtbot, site_dir: Path):
    controller = AppController(site_dir, idle_minutes=10)
    controller.start()
    controller.unlock_window.user_edit.setText("nurse")
    with qtbot.waitSignal(controller.subjects_loaded, timeout=10_000):
        qtbot.keyClicks(controller.unlock_window.password_edit, PASSWORDS["nurse"])
        qtbot.keyClick(controller.unlock_window.password_edit, Qt.Key.Key_Return)
    yield controller
    controller.shutdown()
    controller.deleteLater()


def test_a_new_screening_asks_for_initials_and_can_be_cancelled(qtbot, ctl) -> None:
    ctl.new_screening()
    ctl.screening_dialog.reject()  # changed her mind: nothing is created
    ctl.worker.wait_idle()
    assert repo.list_subjects(ctl.session.db) == []
    ctl.new_screening()
    ctl.screening_dialog.initials_edit.setText("lw")
    with qtbot.waitSignal(ctl.subject_opened, timeout=5000) as opened:
        ctl.screening_dialog.accept()
    view = opened.args[0]
    (subject,) = repo.list_subjects(ctl.session.db)
    assert subject["initials"] == "LW"
    assert view.subject_id == subject["subject_id"]


def _view(qtbot, ctl, subject: str) -> SubjectView:
    with qtbot.waitSignal(ctl.subject_opened, timeout=5000) as opened:
        ctl.open_subject(subject)
    view = opened.args[0]
    qtbot.waitUntil(lambda: view.timeline is not None, timeout=5000)
    return view


def test_a_screen_failure_with_its_criterion_then_the_filters(qtbot, ctl, site_dir) -> None:
    nurse = login(site_dir, "nurse")
    failed = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    mistake = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    nurse.close()
    ctl.refresh_subjects()
    view = _view(qtbot, ctl, failed)
    course = view.course
    assert course.fail_button.isVisibleTo(view)
    assert not course.withdraw_button.isVisibleTo(view)
    course.fail_button.click()
    course.dialog.reason_edit.setText("platelets 80 on two samples")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        course.dialog._accept()
    assert "screen failure (platelets 80 on two samples)" in view.header.text()
    assert not course.fail_button.isVisibleTo(view)

    other = _view(qtbot, ctl, mistake)
    other.course.discard_button.click()
    other.course.dialog.reason_edit.setText("opened twice")
    with qtbot.waitSignal(other.loaded, timeout=5000):
        other.course.dialog._accept()
    window = ctl.main_window
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5000)
    shown = lambda: {  # noqa: E731
        window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())
    }
    qtbot.waitUntil(lambda: mistake not in shown(), timeout=5000)  # hidden by default
    window.status_filter.setCurrentIndex(window.status_filter.findData("discarded"))
    assert shown() == {mistake}
    window.status_filter.setCurrentIndex(window.status_filter.findData("screen_failed"))
    assert shown() == {failed}


def test_a_withdrawal_with_its_date(qtbot, ctl, site_dir) -> None:
    nurse = login(site_dir, "nurse")
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    enroll_subject(nurse, subject, Enrolment(arm="NA", anchor_date="2026-01-05"))
    nurse.close()
    view = _view(qtbot, ctl, subject)
    assert view.course.withdraw_button.isVisibleTo(view)
    view.course.withdraw_button.click()
    view.course.dialog.date_edit.setText("2026-04-01")
    view.course.dialog.reason_edit.setText("moved to another city")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.course.dialog._accept()
    stored = repo.get_subject(ctl.session.db, subject)
    assert (stored["status"], stored["status_date"]) == ("withdrawn", "2026-04-01")
