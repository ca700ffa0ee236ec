"""One path for calls and changes: ``Ops`` runs reads and writes on the store worker and
announces every change once, app-wide; each open view redraws what the change concerns."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt

from desktop_crf.errors import InvalidInput
from desktop_crf.model import Changes, FormKey
from desktop_crf.services.adverse_events import add_adverse_event
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.site import lock
from desktop_crf.ui.errors import error_display
from desktop_crf.ui.subjects.view import SubjectView
from tests.ui.conftest import open_form

pytestmark = pytest.mark.gui

VISIT = [
    ItemInput("IG.VISIT", "I.VISIT_DONE", "Y"),
    ItemInput("IG.VISIT", "I.VISIT_DATE", "2026-04-01"),
]


def test_a_write_announces_what_it_changed_with_who_asked(qtbot, nurse_ctx, subject_id) -> None:
    ops, asker = nurse_ctx.ops, QObject()
    key = FormKey(subject_id, "SE.W12", "F.VISIT")
    results: list[object] = []
    with qtbot.waitSignal(ops.changed, timeout=5000) as changed:
        ops.write(
            lambda s: save_form(s, key, VISIT),
            initiator=asker,
            on_done=results.append,
        )
    changes, initiator = changed.args
    assert isinstance(changes, Changes)
    assert (changes.subject_id, changes.form, changes.items) == (
        subject_id,
        "F.VISIT",
        ("I.VISIT_DONE", "I.VISIT_DATE"),
    )
    assert initiator is asker
    qtbot.waitUntil(lambda: results == [changes])


def test_a_write_whose_asker_closed_still_announces_the_change(
    qtbot, nurse_ctx, subject_id
) -> None:
    ops, asker = nurse_ctx.ops, QObject()
    key = FormKey(subject_id, "SE.W12", "F.VISIT")
    called: list[object] = []
    # its deletion is posted before the write can answer (the store thread may finish first)
    asker.deleteLater()
    ops.write(
        lambda s: save_form(s, key, VISIT),
        initiator=asker,
        on_done=called.append,
    )
    with qtbot.waitSignal(ops.changed, timeout=5000):
        pass  # the data changed: views must hear it, though nobody waits for the result
    assert called == []


def test_a_known_error_goes_to_on_error_else_to_the_message_box(qtbot, nurse_ctx) -> None:
    def refuse(_session: object) -> None:
        raise InvalidInput("Choose the arm.")

    seen: list[Exception] = []
    nurse_ctx.ops.read(refuse, lambda _r: None, on_error=seen.append)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    assert str(seen[0]) == "Choose the arm."
    display = error_display()
    display.last_box = None
    nurse_ctx.ops.read(refuse, lambda _r: None)
    qtbot.waitUntil(lambda: display.last_box is not None, timeout=5000)
    assert display.last_box.text() == "Choose the arm."
    display.last_box.close()


def test_a_read_that_meets_the_locked_site_shows_nothing(qtbot, nurse_ctx) -> None:
    """A view's read still queued when the site locks meets ``Locked``: the lock was the
    user's own act and every view reloads at unlock, so no "site is locked" box pops up
    over the unlock window."""
    display = error_display()
    display.last_box = None
    answered: list[object] = []
    nurse_ctx.ops.read(lambda s: s.db, answered.append)
    nurse_ctx.worker.submit(lambda: lock(nurse_ctx.session))
    nurse_ctx.ops.read(lambda s: s.db, answered.append)
    nurse_ctx.worker.wait_idle()
    qtbot.wait(20)
    assert len(answered) == 1  # the read before the lock answered; the one after, nothing
    assert display.last_box is None


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_store_call_shows_the_crash_report_with_its_stack(qtbot, nurse_ctx) -> None:
    def broken(_session: object) -> None:
        raise ZeroDivisionError("a bug in a service")

    display = error_display()
    display.crash_box = None
    nurse_ctx.ops.read(broken, lambda _r: None, on_error=lambda _e: None)
    qtbot.waitUntil(lambda: display.crash_box is not None, timeout=5000)
    assert "ZeroDivisionError" in display.crash_box.detailedText()
    assert "broken" in display.crash_box.detailedText()  # the store thread's own stack
    display.crash_box.close()


def test_a_subject_view_redraws_when_one_of_its_forms_is_saved_elsewhere(
    qtbot, nurse_ctx, subject_id
) -> None:
    view = SubjectView(nurse_ctx, subject_id)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.load()
    form = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.SCREENING", "F.CONSENT"))
    form.fields["I.CONSENT_DATE"].set_value("2026-01-05")
    with qtbot.waitSignal(view.loaded, timeout=5000):  # no call between the two views
        form.save()
        if form.saving.confirm_box is not None:  # an unusual value: the nurse confirms it
            form.saving.confirm_box.accept()
    states = [
        view.tree.topLevelItem(0).child(i).text(3)
        for i in range(view.tree.topLevelItem(0).childCount())
    ]
    assert view.state_text("draft") in states


def test_a_save_elsewhere_redraws_only_the_rows_that_changed(qtbot, nurse_ctx, subject_id) -> None:
    """The timeline is not built again for a save: the form's row shows its new state and
    the nurse's place in the tree (the row she chose, a visit she folded) stays."""
    view = SubjectView(nurse_ctx, subject_id)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.load()
    visit = view.tree.topLevelItem(0)
    rows = [visit.child(i) for i in range(visit.childCount())]
    consent = next(r for r in rows if r.data(0, Qt.ItemDataRole.UserRole).form == "F.CONSENT")
    other = next(r for r in rows if r is not consent)
    assert consent.text(3) == view.state_text("not_started")
    view.tree.setCurrentItem(other)
    visit.setExpanded(False)
    form = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.SCREENING", "F.CONSENT"))
    form.fields["I.CONSENT_DATE"].set_value("2026-01-05")
    with qtbot.waitSignal(view.loaded, timeout=5000):
        form.save()
        if form.saving.confirm_box is not None:
            form.saving.confirm_box.accept()
    assert view.tree.topLevelItem(0) is visit  # the same rows, redrawn where they changed
    assert consent.text(3) == view.state_text("draft")
    assert other.text(3) == view.state_text("not_started")
    assert view.tree.currentItem() is other
    assert not visit.isExpanded()


def test_an_open_ae_log_shows_an_ae_added_from_another_view(qtbot, nurse_ctx, subject_id) -> None:
    log = open_form(qtbot, nurse_ctx, FormKey(subject_id, "SE.LOG", "F.AE"))
    assert "IG.AE[1]/I.AETERM" not in log.fields
    nurse_ctx.ops.write(
        lambda s: add_adverse_event(s, subject_id, {"I.AETERM": "Fatigue", "I.AEGRADE": "1"}),
        initiator=QObject(),
    )
    qtbot.waitUntil(lambda: "IG.AE[1]/I.AETERM" in log.fields, timeout=5000)
    qtbot.waitUntil(lambda: log.line_edit("IG.AE[1]/I.AETERM").text() == "Fatigue", timeout=5000)
    assert log.notes.note_label.text().startswith("Saved from another tab, now shown: ")
    assert "another computer" not in log.notes.note_label.text()
