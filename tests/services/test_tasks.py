"""Each role's list of what waits for it, with ages and where a click goes (real encrypted
site): the nurse's queries, restored typing, overdue visits and SAE clocks; the
investigator's forms to sign and broken signatures; the monitor's critical data to verify,
values changed since verified and answered queries to close."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import data_entry, sdv
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.queries import QueryTarget, answer_query, query_ref, raise_query
from desktop_crf.services.session import Session
from desktop_crf.services.signatures import sign_form
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from desktop_crf.services.tasks import tasks
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import PASSWORDS, login

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def subject(nurse: Session) -> str:
    subject_id = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert subject_id is not None
    enrolment = Enrolment(arm="PEG_NA", anchor_date="2026-01-20", consent_date="2026-01-02")
    enroll_subject(nurse, subject_id, enrolment)
    return subject_id


def _kinds(session: Session) -> list[tuple[str, str]]:
    return [(t.kind, t.what) for t in tasks(session, today=TODAY, now=NOW)]


def test_the_nurses_tasks(nurse: Session, monitor: Session, subject: str) -> None:
    raise_query(monitor, QueryTarget(subject), "Consent version?")
    key = FormKey(subject, "SE.W12", "F.LAB_LIVER")
    data_entry.autosave(nurse, key, {"IG.LIVER[1].I.ALT": ["41", "U/L"]})
    ae = FormKey(subject, "SE.LOG", "F.AE")
    save_confirmed(
        nurse,
        ae,
        [
            ItemInput("IG.AE", "I.AETERM", "Hepatitis flare"),
            ItemInput("IG.AE", "I.AESER", "Y"),
            ItemInput("IG.AE", "I.AEAWARE_DATE", "2026-11-30"),
            ItemInput("IG.AE", "I.AEAWARE_TIME", "14:00"),
        ],
    )
    found = tasks(nurse, today=TODAY, now=NOW)
    by_kind = {t.kind: t for t in found}
    assert [t.kind for t in found] == [
        "answer_query",
        "restored_typing",
        "overdue_visit",
        "sae_clock",
    ]
    assert (by_kind["answer_query"].what, by_kind["answer_query"].subject) == (
        "Consent version?",
        subject,
    )
    assert by_kind["restored_typing"].key == key
    assert by_kind["overdue_visit"].since is not None  # the end of the visit's window
    assert by_kind["sae_clock"].key == ae
    assert by_kind["sae_clock"].since is not None
    answer_query(nurse, query_ref(by_kind["answer_query"].query), "2.1")
    assert "answer_query" not in [t.kind for t in tasks(nurse, today=TODAY, now=NOW)]
    # and the answered query waits for the monitor now
    assert ("close_query", "Consent version?") in _kinds(monitor)


def test_the_investigators_tasks(site_dir: Path, nurse: Session, subject: str) -> None:
    key = FormKey(subject, "SE.W12", "F.LAB_LIVER")
    items = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-04-14"),
        ItemInput("IG.SAMPLE", "I.LAB_NAME", "Ningbo No.2 central lab"),
        ItemInput("IG.LIVER", "I.ALT", "41", "U/L"),
    ]
    save_confirmed(nurse, key, items, complete=True)
    investigator = login(site_dir, "investigator")
    try:
        (task,) = tasks(investigator, today=TODAY, now=NOW)
        assert (task.kind, task.key, task.what, task.count) == ("sign_visit", key, "SE.W12", 1)
        sign_form(investigator, key, PASSWORDS["investigator"])
        assert tasks(investigator, today=TODAY, now=NOW) == []
        save_confirmed(nurse, key, [ItemInput("IG.LIVER", "I.ALT", "45", "U/L")], reason="re-read")
        (task,) = tasks(investigator, today=TODAY, now=NOW)
        assert (task.kind, task.key) == ("resign_form", key)
    finally:
        investigator.close()


def test_the_monitors_tasks(nurse: Session, monitor: Session, subject: str) -> None:
    consent = FormKey(subject, "SE.SCREENING", "F.CONSENT")
    save_confirmed(nurse, consent, [ItemInput("IG.CONSENT", "I.CONSENT_DATE", "2026-01-02")])
    liver = FormKey(subject, "SE.W12", "F.LAB_LIVER")
    save_confirmed(nurse, liver, [ItemInput("IG.LIVER", "I.ALT", "41", "U/L")])
    found = tasks(monitor, today=TODAY, now=NOW)
    assert [(t.kind, t.key) for t in found if t.kind == "sdv_critical"] == [
        ("sdv_critical", consent)
    ]  # the liver panel is not critical data in this study
    sdv.verify_form(monitor, consent)
    sdv.verify_form(monitor, liver)
    save_confirmed(nurse, liver, [ItemInput("IG.LIVER", "I.ALT", "45", "U/L")], reason="re-read")
    assert _kinds(monitor) == [("changed_since_verified", "I.ALT")]
    (task,) = tasks(monitor, today=TODAY, now=NOW)
    assert task.key == liver
    assert task.since is not None
