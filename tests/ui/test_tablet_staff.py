"""What staff see of the tablet's questionnaires: completeness, who answered, the wording
(marked when it is not EORTC's), the stored scores; a staff correction asks a reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop_crf.model import FormKey
from desktop_crf.services import kiosk
from desktop_crf.services.data_entry import load_form
from desktop_crf.services.questionnaire import (
    answer_question,
    choose_language,
    finish_questionnaire,
)
from desktop_crf.ui.subjects.view import SubjectView
from forms.instruments import qlq_c30
from tests.helpers.sites import PASSWORDS, login
from tests.ui.conftest import close_ctx, make_ctx, open_form
from tests.ui.tablet import TIMEOUT, tablet_site

pytestmark = pytest.mark.gui


@pytest.fixture
def answered(recurrence_site_template: Path, tmp_path: Path) -> tuple[Path, FormKey]:
    """A questionnaire the patient finished on the tablet, in the demonstration Chinese."""
    root, [key] = tablet_site(recurrence_site_template, tmp_path / "site")
    nurse = login(root, "nurse")
    try:
        patient = kiosk.hand_over(nurse, key).patient
        choose_language(patient, "zh-CN", today=date.today())
        for item in qlq_c30.ITEMS:
            if item != 5:
                answer_question(patient, item, 2)
        finish_questionnaire(patient)
        kiosk.end_handover(patient, "nurse", PASSWORDS["nurse"], method="password")
    finally:
        nurse.close()
    return root, key


def test_the_subject_shows_completeness_wording_and_scores(qtbot, answered) -> None:
    root, key = answered
    ctx = make_ctx(qtbot, root, "investigator")
    try:
        view = SubjectView(ctx, key.subject_id)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.loaded, timeout=TIMEOUT):
            view.load()
        tree = view.questionnaires.tree
        rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        row = next(r for r in rows if r.data(0, Qt.ItemDataRole.UserRole) == key)
        assert row.text(1) == "complete"
        assert row.text(2) == "29 of 30 · by the patient"
        assert row.text(3) == "zh-CN · not official"
        assert row.toolTip(3) == "not the official EORTC wording"
        scores = qlq_c30.score({n: None if n == 5 else 2 for n in qlq_c30.ITEMS})
        assert row.text(4) == f"{scores['QL2']:.1f}"
        assert row.text(5) == f"{scores['SUM']:.1f}"
        details = view.questionnaires.details.text()
        assert f"Physical functioning (PF2)</td><td align='right'><b>{scores['PF2']:.1f}" in details
        assert details.count("<td align='right'>") == len(qlq_c30.KEYS)
        assert key not in view.questionnaires.due_keys  # complete: not handed over again
    finally:
        close_ctx(ctx)


def test_a_staff_correction_asks_why_and_the_scores_follow(qtbot, answered) -> None:
    root, key = answered
    ctx = make_ctx(qtbot, root, "nurse")
    try:
        view = open_form(qtbot, ctx, key)
        combo = view.fields["I.QLQ29"].combo
        assert combo is not None
        combo.setCurrentIndex(combo.findData("6"))
        view.save()
        qtbot.waitUntil(
            lambda: view.saving.reason_dialog is not None and view.saving.reason_dialog.isVisible(),
            timeout=TIMEOUT,
        )
        dialog = view.saving.reason_dialog
        notes = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert "patient's own answers" in notes
        qtbot.keyClicks(dialog.reason_edit, "patient corrected the answer on paper")
        with qtbot.waitSignal(view.saved, timeout=TIMEOUT):
            dialog._accept()
        stored = load_form(ctx.session, key)
        assert stored.status == "complete"
        assert stored.value("IG.QLQ_ITEMS", "I.QLQ29") == "6"
        expected = qlq_c30.score(
            {n: None if n == 5 else (6 if n == 29 else 2) for n in qlq_c30.ITEMS}
        )
        assert float(stored.value("IG.QLQ_SCORES", "I.QLQ_QL2") or "nan") == expected["QL2"]
        row = ctx.session.db.execute(
            "SELECT user, role, reason FROM audit WHERE item = 'I.QLQ29' ORDER BY rowid DESC"
        ).fetchone()
        assert tuple(row) == ("nurse", "nurse", "patient corrected the answer on paper")
    finally:
        close_ctx(ctx)
