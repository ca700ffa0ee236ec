"""The nurse's decisions about lab-suggested AEs, through the real windows: a declined
suggestion asks why and is not offered again; an AE whose lab value changed is flagged for
review on the subject and reviewed with a reason; the AE form offers only the grades CTCAE
defines for the term, and never lets the lab link be typed over."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QStandardItemModel

from desktop_crf.model import FormKey
from desktop_crf.services.adverse_events import add_adverse_event
from desktop_crf.services.subjects import screen_subject
from desktop_crf.ui.form.view import FormView
from desktop_crf.ui.subjects.view import SubjectView
from tests.helpers.sites import login
from tests.ui.conftest import open_form
from tests.ui.screening import ELIGIBLE, save_screening, screening_with

pytestmark = pytest.mark.gui


@pytest.fixture
def screened(site_dir: Path) -> str:
    nurse = login(site_dir, "nurse")
    try:
        subject = screen_subject(nurse, study_version="1.0", screened_on="2026-03-20").subject_id
        assert subject is not None
        save_screening(nurse, subject, ELIGIBLE)
    finally:
        nurse.close()
    return subject


def _enter_alt(qtbot, view: FormView, alt: str) -> None:
    for item, value in (
        ("I.SAMPLE_DATE", "2026-06-10"),
        ("I.LAB_NAME", "Central lab"),
        ("I.ALT", alt),
        ("I.ALT_ULN", "40"),
    ):
        edit = view.line_edit(item)
        edit.clear()
        qtbot.keyClicks(edit, value)


def _suggested(qtbot, view: FormView) -> None:
    view.saving.suggestion_box = None
    view.save()
    qtbot.waitUntil(lambda: view.saving.suggestion_box is not None, timeout=5000)


def test_a_declined_suggestion_asks_why_and_is_not_offered_again(
    qtbot, nurse_ctx, screened
) -> None:
    view = open_form(qtbot, nurse_ctx, FormKey(screened, "SE.W12", "F.LAB_LIVER"))
    _enter_alt(qtbot, view, "152")
    _suggested(qtbot, view)
    view.saving.suggestion_box.reject()  # No: not an adverse event
    dialog = view.saving.decline_dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.text_edit.setPlainText("known before treatment")
    with qtbot.waitSignal(nurse_ctx.ops.changed, timeout=5000):
        dialog.accept()
    nurse_ctx.worker.wait_idle()
    row = nurse_ctx.session.db.execute(
        "SELECT user, reason FROM audit WHERE action = 'ae.suggestion.decline'"
    ).fetchone()
    assert tuple(row) == ("nurse", "known before treatment")
    # saving the form again (another value changed) offers nothing for the same ALT
    view.saving.suggestion_box = None
    edit = view.line_edit("I.LAB_NAME")
    edit.clear()
    qtbot.keyClicks(edit, "Central laboratory")
    view.save()
    qtbot.waitUntil(lambda: view.saving.reason_dialog is not None, timeout=5000)
    view.saving.reason_dialog.reason_edit.setText("name written in full")
    with qtbot.waitSignal(view.saved, timeout=5000):
        view.saving.reason_dialog._accept()
    nurse_ctx.worker.wait_idle()
    qtbot.wait(100)
    assert view.saving.suggestion_box is None


def test_an_ae_whose_lab_value_changed_is_reviewed_on_the_subject(
    qtbot, nurse_ctx, screened
) -> None:
    lab = open_form(qtbot, nurse_ctx, FormKey(screened, "SE.W12", "F.LAB_LIVER"))
    _enter_alt(qtbot, lab, "152")
    _suggested(qtbot, lab)
    with qtbot.waitSignal(lab.saved, timeout=5000):
        lab.saving.suggestion_box.accept()  # added to the AE log, linked to this ALT
    subject = SubjectView(nurse_ctx, screened)
    qtbot.addWidget(subject)
    with qtbot.waitSignal(subject.loaded, timeout=5000):
        subject.load()
    assert subject.ae_panel.events[0].review is None
    edit = lab.line_edit("I.ALT")
    edit.clear()
    qtbot.keyClicks(edit, "400")  # the lab corrected its report
    lab.save()
    qtbot.waitUntil(lambda: lab.saving.reason_dialog is not None, timeout=5000)
    lab.saving.reason_dialog.reason_edit.setText("lab report corrected")
    with qtbot.waitSignal(subject.loaded, timeout=5000):  # the subject redraws by itself
        lab.saving.reason_dialog._accept()
    if lab.saving.suggestion_box is not None:
        lab.saving.suggestion_box.close()
    panel = subject.ae_panel
    (event,) = panel.events
    assert event.review is not None
    assert "152 U/L → 400 U/L" in panel.tree.topLevelItem(0).text(1)
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    assert panel.review_button.isEnabled()
    panel.review_button.click()
    dialog = panel.review_dialog
    assert dialog is not None
    dialog.text_edit.setPlainText("repeat sample confirms a higher value")
    with qtbot.waitSignal(subject.loaded, timeout=5000):
        dialog.accept()
    assert subject.ae_panel.events[0].review is None
    assert not panel.review_button.isEnabled()


def test_the_ae_form_offers_only_the_terms_grades_and_keeps_the_lab_link(
    qtbot, nurse_ctx, screened
) -> None:
    add_adverse_event(nurse_ctx.session, screened, {"I.AETERM": "Fatigue", "I.AEGRADE": "1"})
    view = open_form(qtbot, nurse_ctx, FormKey(screened, "SE.LOG", "F.AE"))
    combo = view.fields["IG.AE[1]/I.AEGRADE"].combo
    assert combo is not None
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    enabled = {str(combo.itemData(i)): model.item(i).isEnabled() for i in range(1, combo.count())}
    assert enabled == {"1": True, "2": True, "3": True, "4": False, "5": False}  # CTCAE Fatigue
    for item in ("I.AELABSRC", "I.AELABVAL", "I.AELABRULE"):
        assert not view.fields[f"IG.AE[1]/{item}"].editor().isEnabled()
    assert view.fields["IG.AE[1]/I.AEDESC"].editor().isEnabled()


def test_screening_records_that_disagree_show_and_block_the_enrol_button(
    qtbot, nurse_ctx, site_dir: Path
) -> None:
    nurse = login(site_dir, "nurse")
    try:
        subject = screen_subject(nurse, study_version="1.0", screened_on="2026-03-20").subject_id
        assert subject is not None
        save_screening(nurse, subject, screening_with(**{"I.CP_INR": "1.10"}))  # panel: 0.98
    finally:
        nurse.close()
    view = SubjectView(nurse_ctx, subject)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.load()
    rows = [view.criteria.topLevelItem(i) for i in range(view.criteria.topLevelItemCount())]
    (cc02,) = [row for row in rows if row.text(0).startswith("CC02")]
    assert cc02.text(1) == "records disagree"
    assert "0.98" in cc02.text(2)
    assert "1.10" in cc02.text(2)
    assert not view.enrol_button.isEnabled()
    assert "CC02" in view.enrol_button.toolTip()
