"""The demo site: users of every role, DEMO-nnn subjects over both arms and several visits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import data_entry, kiosk, site
from desktop_crf.services.data_entry import form_findings
from desktop_crf.services.demo import DEMO_PASSWORD, RECURRENCE_STUDY, create_demo_site
from desktop_crf.services.questionnaire import questionnaire_summaries
from desktop_crf.services.session import PATIENT_FORM
from desktop_crf.services.subjects import subject_rows
from desktop_crf.services.wordings import installed_wordings, load_wording
from forms.instruments import qlq_c30
from forms.validation import Severity

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    create_demo_site(root, subjects=6, today=TODAY, progress=lambda _: None)
    return root


def test_demo_site_is_marked_and_filled(demo_root: Path) -> None:
    root = demo_root
    for role in ("admin", "nurse", "investigator", "monitor"):
        site.unlock(root, role, DEMO_PASSWORD).close()
    monitor = site.unlock(root, "monitor", DEMO_PASSWORD)
    try:
        assert monitor.site.demo
        assert "DEMO" in monitor.site.display_name
        rows = subject_rows(monitor, today=TODAY)
        enrolled = [r for r in rows if r.status == "enrolled"]
        assert [r.subject_id for r in enrolled] == [f"DEMO-{n:03d}" for n in range(1, 7)]
        assert {r.arm for r in enrolled} == {"PEG_NA", "NA"}
        assert [r.subject_id for r in rows if r.status == "screening"] == ["DEMO-007"]
        # screening is done on the screening date: never the next visit of an enrolled subject
        assert all(r.next_visit != "SE.SCREENING" for r in rows)
        visits = monitor.db.execute(
            "SELECT count(DISTINCT subject_id || event) FROM item_values WHERE form = 'F.VISIT'"
        ).fetchone()[0]
        assert visits > 6
        assert site.verify_audit(monitor).ok
    finally:
        monitor.close()


def test_every_completed_form_of_the_demo_has_no_error(demo_root: Path) -> None:
    """The demo goes through the same rules as a nurse: what it completes is complete."""
    monitor = site.unlock(demo_root, "monitor", DEMO_PASSWORD)
    try:
        rows = monitor.db.execute(
            "SELECT subject_id, event, event_repeat, form FROM form_instances "
            "WHERE status = 'complete'"
        ).fetchall()
        keys = [FormKey(subject, event, form, repeat) for subject, event, repeat, form in rows]
        assert len(keys) > 20
        errors = {
            (key.subject_id, key.event, key.form, f.path, f.key)
            for key in keys
            for f in form_findings(monitor, key, today=TODAY)
            if f.severity is Severity.ERROR
        }
        assert errors == set()
    finally:
        monitor.close()


def test_the_demo_laboratory_has_its_ranges_and_the_forms_agree_with_them(
    demo_root: Path,
) -> None:
    from desktop_crf.services.lab_limits import form_limits
    from desktop_crf.services.lab_ranges import list_lab_ranges

    nurse = site.unlock(demo_root, "nurse", DEMO_PASSWORD)
    try:
        assert len(list_lab_ranges(nurse)) == 8
        limits = form_limits(nurse, FormKey("DEMO-001", "SE.W0", "F.LAB_LIVER")).analytes
        alt = limits["I.ALT"]
        assert alt.laboratory_range is not None
        assert (alt.uln, alt.uln_from, alt.overrides()) == ("40", "sample", ())
    finally:
        nurse.close()


@pytest.fixture(scope="module")
def recurrence_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo-r") / "demo"
    create_demo_site(root, subjects=2, progress=lambda _: None, study=RECURRENCE_STUDY)
    return root


def test_the_recurrence_demo_has_questionnaires_for_the_tablet(recurrence_demo: Path) -> None:
    nurse = site.unlock(recurrence_demo, "nurse", DEMO_PASSWORD)
    try:
        assert nurse.site.site_code == "DEMO-R"
        zh = [c for c in installed_wordings(nurse) if c.language == "zh-CN"]
        assert [c.official for c in zh] == [False]
        assert "for demonstration only" in (load_wording(nurse, "zh-CN").patient_notice() or "")
        answered = questionnaire_summaries(nurse, "DEMO-R-002")
        assert [s.status for s in answered] == ["complete", "complete"]
        for summary in answered:
            values = {
                item: data_entry.load_form(nurse, summary.key).value(group, item)
                for group, _r, item in data_entry.load_form(nurse, summary.key).values
            }
            assert summary.by_patient
            assert summary.scores == qlq_c30.score(qlq_c30.responses_from_values(values))
        today = FormKey("DEMO-R-001", "SE.W12", PATIENT_FORM)  # a visit today: not yet answered
        assert data_entry.load_form(nurse, today).status is None
        assert kiosk.hand_over(nurse, today).key == today
        assert site.verify_audit(nurse).ok
    finally:
        nurse.close()
