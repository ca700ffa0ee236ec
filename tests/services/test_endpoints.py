"""A subject's endpoints derived from the saved data, as the study file declares them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop_crf.errors import PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.endpoints import subject_endpoints
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.studies import load_form
from forms.survival import Landmark
from tests.helpers.sites import login


def _save(session: Session, sid: str, event: str, form: str, **values: str) -> None:
    definition = load_form(form)
    items = [
        ItemInput(definition.group_of(f"I.{item}").oid, f"I.{item}", value)
        for item, value in values.items()
    ]
    save_form(session, FormKey(sid, event, form), items)


def _enrolled(session: Session, anchor: str) -> str:
    sid = screen_subject(session, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    enroll_subject(session, sid, Enrolment(arm="PEG_NA", anchor_date=anchor, na_drug="TDF"))
    return sid


def _endpoints(session: Session, sid: str) -> dict[str, object]:
    return {e.id: e.value for e in subject_endpoints(session, sid)}


def test_nct_survival_reads_the_survival_form_and_counts_from_the_first_dose(nurse) -> None:
    sid = _enrolled(nurse, "2026-04-01")  # the first dose (week 0) is the study's anchor
    _save(nurse, sid, "SE.SCREENING", "F.HCC_HISTORY", RADICAL_DATE="2026-01-15")
    _save(nurse, sid, "SE.W0", "F.LAB_VIROLOGY", SAMPLE_DATE="2026-04-01", HBSAG="1000")
    _save(nurse, sid, "SE.W12", "F.LAB_VIROLOGY", SAMPLE_DATE="2026-06-24", HBSAG="100")
    _save(nurse, sid, "SE.W12", "F.IMAGING", SCAN_DATE="2026-06-24", RECURRENCE="N")
    _save(
        nurse,
        sid,
        "SE.Y3",
        "F.SURVIVAL",
        CONTACT_DATE="2029-04-02",
        VITAL_STATUS="ALIVE",
        LAST_ALIVE_DATE="2029-04-02",
        RECURRED="Y",
        RECURRENCE_DATE="2029-02-10",
    )
    _save(
        nurse,
        sid,
        "SE.Y5",
        "F.SURVIVAL",
        CONTACT_DATE="2031-04-01",
        VITAL_STATUS="DEAD",
        DEATH_DATE="2030-11-20",
        RECURRED="N",
    )
    results = _endpoints(nurse, sid)
    rfs, os = results["rfs"], results["os"]
    assert rfs.start == date(2026, 4, 1)
    assert (rfs.time.event, rfs.time.end) == (True, date(2029, 2, 10))
    assert rfs.landmarks[3] is Landmark.EVENT
    assert (os.time.event, os.time.end) == (True, date(2030, 11, 20))
    assert os.landmarks == {
        1: Landmark.EVENT_FREE,
        2: Landmark.EVENT_FREE,
        3: Landmark.EVENT_FREE,
        5: Landmark.EVENT,
    }
    (decline,) = results["hbsag_decline"]
    assert (decline.on, decline.log10_decline) == (date(2026, 6, 24), Decimal(1))


def test_nct_child_pugh_without_baseline_is_not_evaluable(nurse) -> None:
    sid = _enrolled(nurse, "2026-04-01")
    components = {"CP_TBIL": "12", "CP_INR": "0.98", "CP_ASCITES": "none"}
    components["CP_ENCEPHALOPATHY"] = "none"
    _save(nurse, sid, "SE.W12", "F.CHILD_PUGH", CP_DATE="2026-06-24", CP_ALB="42", **components)
    _save(nurse, sid, "SE.W24", "F.CHILD_PUGH", CP_DATE="2026-09-16", CP_ALB="27", **components)
    assert _endpoints(nurse, sid)["child_pugh_deterioration"].status == "not_evaluable"
    _save(nurse, sid, "SE.W0", "F.CHILD_PUGH", CP_DATE="2026-04-01", CP_ALB="42", **components)
    result = _endpoints(nurse, sid)["child_pugh_deterioration"]
    assert (result.status, result.baseline_points, result.points) == ("deteriorated", 5, 7)


def test_recurrence_study_primary_endpoint_censors_a_death_without_recurrence(
    recurrence_nurse,
) -> None:
    sid = _enrolled(recurrence_nurse, "2026-01-15")  # the radical treatment is the anchor
    _save(recurrence_nurse, sid, "SE.BASELINE", "F.HCC_HISTORY", RADICAL_DATE="2026-01-15")
    _save(recurrence_nurse, sid, "SE.W12", "F.IMAGING", SCAN_DATE="2026-04-09", RECURRENCE="N")
    _save(recurrence_nurse, sid, "SE.W24", "F.IMAGING", SCAN_DATE="2026-07-02", RECURRENCE="N")
    _save(
        recurrence_nurse,
        sid,
        "SE.LOG",
        "F.SURVIVAL",
        CONTACT_DATE="2026-09-20",
        VITAL_STATUS="DEAD",
        DEATH_DATE="2026-09-01",
        RECURRED="U",
    )
    results = _endpoints(recurrence_nurse, sid)
    primary = results["recurrence_3y"]
    assert primary.start == date(2026, 1, 15)
    assert (primary.time.event, primary.time.end) == (False, date(2026, 7, 2))
    assert (results["os"].time.event, results["os"].time.end) == (True, date(2026, 9, 1))


def test_endpoints_are_read_by_staff_only(site_dir, nurse) -> None:
    sid = _enrolled(nurse, "2026-04-01")
    admin = login(site_dir, "admin")
    try:
        with pytest.raises(PermissionDenied):
            subject_endpoints(admin, sid)
    finally:
        admin.close()
