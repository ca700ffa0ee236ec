"""Source data verification through the services (real encrypted site): who may mark, what a
mark records, "changed since verified" until verified again, progress with critical data from
the study file, and what is due."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_crf.errors import PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services import sdv
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.session import Session
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import login

LIVER = "F.LAB_LIVER"


def _liver(subject: str, event: str = "SE.W12") -> FormKey:
    return FormKey(subject, event, LIVER)


def _save_liver(nurse: Session, key: FormKey, alt: str = "41", **options) -> None:
    items = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-12-24"),
        ItemInput("IG.LIVER", "I.ALT", alt, "U/L"),
        ItemInput("IG.LIVER", "I.AST", "35", "U/L"),
    ]
    save_confirmed(nurse, key, items, **options)


def _entries(session: Session) -> list[tuple]:
    return session.db.execute(
        "SELECT subject, event, event_repeat, form, item_group, group_repeat, item, detail, "
        "role FROM audit WHERE action = 'sdv.verify' ORDER BY seq"
    ).fetchall()


def test_only_a_monitor_verifies(site_dir: Path, nurse: Session, subject: str) -> None:
    key = _liver(subject)
    _save_liver(nurse, key)
    others = [nurse, login(site_dir, "investigator"), login(site_dir, "admin")]
    try:
        for session in others:
            with pytest.raises(PermissionDenied):
                sdv.verify_form(session, key)
            with pytest.raises(PermissionDenied):
                sdv.verify_visit(session, subject, "SE.W12")
            with pytest.raises(PermissionDenied):
                sdv.verify_item(session, key, item_group="IG.LIVER", item="I.ALT")
    finally:
        for session in others[1:]:
            session.close()
    assert _entries(nurse) == []


def test_a_form_verified_then_changed_shows_until_verified_again(
    nurse: Session, monitor: Session, subject: str
) -> None:
    key = _liver(subject)
    _save_liver(nurse, key)
    changes = sdv.verify_form(monitor, key)
    assert (changes.subject_id, changes.form, changes.kind) == (subject, LIVER, "sdv")
    ((*place, detail, role),) = _entries(monitor)
    assert place == [subject, "SE.W12", 1, LIVER, None, None, None]
    assert role == "monitor"
    assert sorted(json.loads(detail)["items"]) == [
        ["IG.LIVER", 1, "I.ALT", 1],
        ["IG.LIVER", 1, "I.AST", 1],
        ["IG.SAMPLE", 1, "I.SAMPLE_DATE", 1],
    ]
    marks = sdv.form_sdv(monitor, key)
    assert len(marks) == 3
    assert not any(m.changed for m in marks.values())
    assert marks[("IG.LIVER", 1, "I.ALT")].verified_by == "monitor"
    progress = sdv.site_progress(monitor)
    assert (progress.total.values, progress.total.verified, progress.total.changed) == (3, 3, 0)

    _save_liver(nurse, key, alt="45", reason="transcription error")
    marks = sdv.form_sdv(monitor, key)
    assert [p for p, m in marks.items() if m.changed] == [("IG.LIVER", 1, "I.ALT")]
    assert marks[("IG.LIVER", 1, "I.ALT")].rev == 2
    (changed,) = sdv.changed_since_verified(monitor)
    assert (changed.key, changed.item, changed.value) == (key, "I.ALT", "45")
    assert (changed.verified_rev, changed.rev, changed.changed_by) == (1, 2, "nurse")
    total = sdv.site_progress(monitor).total
    assert (total.values, total.verified, total.changed) == (3, 2, 1)

    sdv.verify_item(monitor, key, item_group="IG.LIVER", item="I.ALT")
    assert not any(m.changed for m in sdv.form_sdv(monitor, key).values())
    assert sdv.changed_since_verified(monitor) == []
    assert sdv.site_progress(monitor).total.verified == 3
    *_, (*place, detail, _) = _entries(monitor)
    assert place[4:] == ["IG.LIVER", 1, "I.ALT"]
    assert json.loads(detail) == {"items": [["IG.LIVER", 1, "I.ALT", 2]]}


def test_a_visit_is_verified_in_one_call_with_an_entry_per_form(
    nurse: Session, monitor: Session, subject: str
) -> None:
    _save_liver(nurse, _liver(subject))
    visit = FormKey(subject, "SE.W12", "F.VISIT")
    save_confirmed(nurse, visit, [ItemInput("IG.VISIT", "I.VISIT_DATE", "2026-12-24")])
    changes = sdv.verify_visit(monitor, subject, "SE.W12")
    assert (changes.event, changes.form, changes.kind) == ("SE.W12", None, "sdv")
    assert sorted(e[3] for e in _entries(monitor)) == ["F.LAB_LIVER", "F.VISIT"]
    per_form = sdv.subject_progress(monitor, subject)
    assert per_form[("SE.W12", 1, LIVER)].verified == 3
    assert per_form[("SE.W12", 1, "F.VISIT")].verified == 1
    with pytest.raises(sdv.NothingToVerify):
        sdv.verify_visit(monitor, subject, "SE.W24")
    with pytest.raises(sdv.NothingToVerify):
        sdv.verify_item(monitor, _liver(subject), item_group="IG.LIVER", item="I.ALB")


def test_critical_data_from_the_study_file_is_counted_and_due(
    nurse: Session, monitor: Session, subject: str
) -> None:
    consent = FormKey(subject, "SE.SCREENING", "F.CONSENT")
    save_confirmed(
        nurse,
        consent,
        [
            ItemInput("IG.CONSENT", "I.CONSENT_SIGNED", "Y"),
            ItemInput("IG.CONSENT", "I.CONSENT_DATE", "2026-10-01"),
        ],
    )
    _save_liver(nurse, _liver(subject))  # not critical in NCT07553767's plan
    total = sdv.site_progress(monitor).total
    assert (total.values, total.critical) == (5, 2)
    (due,) = sdv.critical_due(monitor)
    assert (due.key, due.to_verify) == (consent, 2)
    sdv.verify_form(monitor, consent)
    assert sdv.critical_due(monitor) == []
    total = sdv.site_progress(monitor).total
    assert (total.critical_verified, total.verified) == (2, 2)
    assert sdv.site_progress(monitor).sample_percent == 20


def test_only_serious_adverse_events_are_critical(
    nurse: Session, monitor: Session, subject: str
) -> None:
    ae = FormKey(subject, "SE.LOG", "F.AE")
    items = [
        ItemInput("IG.AE", "I.AETERM", "Fatigue", group_repeat=1),
        ItemInput("IG.AE", "I.AESER", "N", group_repeat=1),
        ItemInput("IG.AE", "I.AETERM", "Hepatitis flare", group_repeat=2),
        ItemInput("IG.AE", "I.AESER", "Y", group_repeat=2),
    ]
    save_confirmed(nurse, ae, items)
    (due,) = sdv.critical_due(monitor)
    assert (due.key, due.to_verify) == (ae, 2)  # the serious event's two values
