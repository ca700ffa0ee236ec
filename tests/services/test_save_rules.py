"""The rules of a save hold at the service, whoever calls it: values only where the form has a
place for them, "complete" only without hard errors, warnings saved only once confirmed (and
the confirmation audited)."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import pytest

from desktop_crf.errors import InvalidInput, NotFound
from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import (
    FormHasErrors,
    ItemInput,
    ItemsNotInForm,
    WarningsNotConfirmed,
    form_findings,
    load_form,
    save_form,
    validation_context,
)
from desktop_crf.services.session import Session
from desktop_crf.services.site import verify_audit
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from forms.validation import Severity

E = TypeVar("E", bound=Exception)

SAMPLE = [
    ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-10-02"),
    ItemInput("IG.SAMPLE", "I.LAB_NAME", "Central lab"),
]


def _audit_count(session: Session) -> int:
    return int(session.db.execute("SELECT count(*) FROM audit").fetchone()[0])


def _entries(session: Session, action: str) -> list[tuple[str | None, str | None]]:
    rows = session.db.execute(
        "SELECT item, detail FROM audit WHERE action = ? ORDER BY seq", [action]
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


@pytest.fixture
def subject(nurse: Session) -> str:
    changes = screen_subject(nurse, study_version="1.0", screened_on="2026-09-28")
    assert changes.subject_id is not None
    return changes.subject_id


@pytest.fixture
def liver(subject: str) -> FormKey:
    return FormKey(subject, "SE.W0", "F.LAB_LIVER")


def _refused_and_nothing_written(
    nurse: Session, key: FormKey, items: list[ItemInput], error: type[E], **kw: Any
) -> pytest.ExceptionInfo[E]:
    before = _audit_count(nurse)
    with pytest.raises(error) as raised:
        save_form(nurse, key, items, **kw)
    assert _audit_count(nurse) == before
    form = load_form(nurse, key)
    assert (form.values, form.status) == ({}, None)
    return raised


# -- 1. items against the form definition --------------------------------------------------


def test_an_item_not_in_the_form_is_refused_by_name(nurse: Session, liver: FormKey) -> None:
    items = [
        *SAMPLE,
        ItemInput("IG.LIVER", "I.ALT", "40", "U/L"),
        ItemInput("IG.LIVER", "I.NOPE", "1"),
    ]
    raised = _refused_and_nothing_written(nurse, liver, items, ItemsNotInForm)
    assert isinstance(raised.value, InvalidInput)
    assert raised.value.items == ("I.NOPE",)
    assert "I.NOPE is not an item of F.LAB_LIVER" in str(raised.value)


def test_an_item_under_the_wrong_group_is_refused(nurse: Session, liver: FormKey) -> None:
    items = [ItemInput("IG.SAMPLE", "I.ALT", "40", "U/L")]
    raised = _refused_and_nothing_written(nurse, liver, items, ItemsNotInForm)
    assert "I.ALT belongs to item group IG.LIVER, not IG.SAMPLE" in str(raised.value)


def test_repeat_keys_must_fit_the_group(nurse: Session, subject: str, liver: FormKey) -> None:
    imaging = FormKey(subject, "SE.W0", "F.IMAGING")
    zero = [ItemInput("IG.LESION", "I.LESION_SIZE", "12", group_repeat=0)]
    raised = _refused_and_nothing_written(nurse, imaging, zero, ItemsNotInForm)
    assert "repeats count from 1" in str(raised.value)
    second = [ItemInput("IG.LIVER", "I.ALT", "40", "U/L", group_repeat=2)]
    raised = _refused_and_nothing_written(nurse, liver, second, ItemsNotInForm)
    assert "IG.LIVER does not repeat, so it has no repeat 2" in str(raised.value)
    lesions = [ItemInput("IG.LESION", "I.LESION_SIZE", "12", group_repeat=r) for r in (1, 2)]
    new_lesion = ItemInput("IG.SCAN", "I.NEW_LESION", "Y")
    assert save_form(nurse, imaging, [new_lesion, *lesions]).items == (
        "I.NEW_LESION",
        "I.LESION_SIZE",
        "I.LESION_SIZE",
    )


def test_every_misplaced_item_is_named_at_once(nurse: Session, liver: FormKey) -> None:
    items = [
        ItemInput("IG.LIVER", "I.NOPE", "1"),
        ItemInput("IG.LIVER", "I.ALT", "40", "U/L"),
        ItemInput("IG.LIVER", "I.ALT", "41", "U/L"),
        ItemInput("IG.LIVER", "I.LAB_NAME", "x"),
    ]
    raised = _refused_and_nothing_written(nurse, liver, items, ItemsNotInForm)
    assert raised.value.items == ("I.NOPE", "I.ALT", "I.LAB_NAME")
    assert "I.ALT is given twice" in str(raised.value)


def test_a_form_that_does_not_exist_is_refused(nurse: Session, subject: str) -> None:
    key = FormKey(subject, "SE.W0", "F.NOPE")
    _refused_and_nothing_written(nurse, key, [ItemInput("IG.X", "I.X", "1")], NotFound)


# -- 2. complete only without hard errors -------------------------------------------------


def test_complete_with_a_required_item_missing_is_refused_and_a_draft_is_kept(
    nurse: Session, liver: FormKey
) -> None:
    items = [SAMPLE[0], ItemInput("IG.LIVER", "I.ALT", "40", "U/L")]
    raised = _refused_and_nothing_written(nurse, liver, items, FormHasErrors, complete=True)
    assert [(f.path, f.key) for f in raised.value.findings] == [("I.LAB_NAME", "required")]
    assert "Laboratory" in str(raised.value) or "lab" in str(raised.value).lower()
    assert "save the form as a draft" in str(raised.value)
    save_form(nurse, liver, items, complete=False)
    assert load_form(nurse, liver).status == "draft"
    assert _entries(nurse, "form.status") == [(None, None)]  # a draft's errors are not news
    save_form(nurse, liver, items)  # an unchanged draft saves too
    assert load_form(nurse, liver).value("IG.LIVER", "I.ALT") == "40"


def test_errors_are_those_of_the_form_after_the_save(nurse: Session, liver: FormKey) -> None:
    save_form(nurse, liver, [SAMPLE[0]])
    save_form(nurse, liver, [SAMPLE[1]], complete=True)  # the date saved before counts
    assert load_form(nurse, liver).status == "complete"
    with pytest.raises(FormHasErrors, match="a value is required"):
        save_form(
            nurse,
            liver,
            [ItemInput("IG.SAMPLE", "I.LAB_NAME", None, reason="wrong lab")],
            complete=True,
        )
    assert load_form(nurse, liver).value("IG.SAMPLE", "I.LAB_NAME") == "Central lab"


def test_a_hard_range_error_blocks_complete_but_not_a_draft(nurse: Session, liver: FormKey) -> None:
    items = [*SAMPLE, ItemInput("IG.LIVER", "I.ALT", "25000", "U/L")]
    raised = _refused_and_nothing_written(nurse, liver, items, FormHasErrors, complete=True)
    assert [f.key for f in raised.value.findings] == ["hard_range"]
    assert all(f.severity is Severity.ERROR for f in raised.value.findings)
    save_form(nurse, liver, items)
    assert load_form(nurse, liver).status == "draft"


def test_a_date_before_informed_consent_blocks_complete(
    nurse: Session, subject: str, liver: FormKey
) -> None:
    enrolment = Enrolment(arm="PEG_NA", anchor_date="2026-10-01", consent_date="2026-09-30")
    enroll_subject(nurse, subject, enrolment)
    assert validation_context(nurse, liver).consent_date is not None
    early = [ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-09-01"), SAMPLE[1]]
    raised = _refused_and_nothing_written(nurse, liver, early, FormHasErrors, complete=True)
    assert [f.key for f in raised.value.findings] == ["before_consent"]
    save_form(nurse, liver, early, complete=False)
    assert [f.key for f in form_findings(nurse, liver)] == ["before_consent"]


def test_a_completed_form_that_gets_an_error_goes_back_to_draft(
    nurse: Session, subject: str, liver: FormKey
) -> None:
    save_form(nurse, liver, SAMPLE, complete=True)
    # consent recorded later than the sample: an error, but no save changed the form
    enrolment = Enrolment(arm="PEG_NA", anchor_date="2026-10-05", consent_date="2026-10-03")
    enroll_subject(nurse, subject, enrolment)
    assert save_form(nurse, liver, SAMPLE).items == ()
    assert load_form(nurse, liver).status == "complete"
    cleared = [ItemInput("IG.SAMPLE", "I.LAB_NAME", "", reason="not known yet")]
    save_form(nurse, liver, cleared)  # nothing typed is refused...
    assert load_form(nurse, liver).status == "draft"  # ...but the form is no longer complete
    status = _entries(nurse, "form.status")[-1][1]
    assert status == (
        '{"errors":[{"key":"required","path":"I.LAB_NAME"},'
        '{"key":"before_consent","path":"I.SAMPLE_DATE"}]}'
    )


# -- 3. warnings are confirmed, and the confirmation is audited ----------------------------


def test_a_warning_on_a_changed_value_must_be_confirmed(nurse: Session, liver: FormKey) -> None:
    items = [*SAMPLE, ItemInput("IG.LIVER", "I.ALT", "1500", "U/L")]
    raised = _refused_and_nothing_written(nurse, liver, items, WarningsNotConfirmed)
    assert [(f.path, f.key) for f in raised.value.findings] == [("I.ALT", "soft_range")]
    assert "outside the expected range" in str(raised.value)
    wrong = [("I.ALT", "derived_differs"), ("I.AST", "soft_range")]
    _refused_and_nothing_written(nurse, liver, items, WarningsNotConfirmed, accepted_warnings=wrong)

    save_form(nurse, liver, items, accepted_warnings=[("I.ALT", "soft_range")])
    assert _entries(nurse, "item.set") == [
        ("I.SAMPLE_DATE", None),
        ("I.LAB_NAME", None),
        ("I.ALT", '{"accepted_warnings":["soft_range"]}'),
    ]
    assert verify_audit(nurse).ok


def test_a_confirmed_warning_is_not_asked_again_for_other_changes(
    nurse: Session, liver: FormKey
) -> None:
    items = [*SAMPLE, ItemInput("IG.LIVER", "I.ALT", "1500", "U/L")]
    save_form(nurse, liver, items, accepted_warnings=[("I.ALT", "soft_range")])
    save_form(nurse, liver, [ItemInput("IG.LIVER", "I.AST", "30", "U/L")])
    assert load_form(nurse, liver).value("IG.LIVER", "I.AST") == "30"


def test_findings_of_the_view_can_be_passed_as_they_are(nurse: Session, subject: str) -> None:
    """The form view confirms the findings it shows: it may pass them as they are."""
    visit = FormKey(subject, "SE.W0", "F.VISIT")
    items = [
        ItemInput("IG.VISIT", "I.VISIT_DONE", "N"),
        ItemInput("IG.VISIT", "I.NOT_DONE_REASON", "patient ill"),
        ItemInput("IG.VISIT", "I.VISIT_DATE", "2026-10-02"),
    ]
    with pytest.raises(WarningsNotConfirmed) as raised:
        save_form(nurse, visit, items, complete=True)
    shown = raised.value.findings
    assert [(f.path, f.key) for f in shown] == [("I.VISIT_DATE", "not_applicable")]
    save_form(nurse, visit, items, complete=True, accepted_warnings=shown)
    assert load_form(nurse, visit).status == "complete"
    assert _entries(nurse, "form.status")[-1] == (
        None,
        '{"accepted_warnings":[{"key":"not_applicable","path":"I.VISIT_DATE"}]}',
    )
    item_details = dict(_entries(nurse, "item.set"))
    assert json.loads(item_details["I.VISIT_DATE"] or "") == {
        "accepted_warnings": ["not_applicable"]
    }
    assert item_details["I.VISIT_DONE"] is None


def test_warnings_in_repeats_are_named_by_their_repeat(nurse: Session, subject: str) -> None:
    imaging = FormKey(subject, "SE.W0", "F.IMAGING")
    lesions = [ItemInput("IG.SCAN", "I.NEW_LESION", "Y")] + [
        ItemInput("IG.LESION", "I.LESION_SIZE", size, group_repeat=r)
        for r, size in ((1, "20"), (2, "200"))
    ]
    with pytest.raises(WarningsNotConfirmed) as raised:
        save_form(nurse, imaging, lesions)
    assert [(f.path, f.key) for f in raised.value.findings] == [
        ("IG.LESION[2]/I.LESION_SIZE", "soft_range")
    ]
    accepted = [("IG.LESION[2]/I.LESION_SIZE", "soft_range")]
    save_form(nurse, imaging, lesions, accepted_warnings=accepted)
    details = nurse.db.execute(
        "SELECT group_repeat, detail FROM audit WHERE action = 'item.set' ORDER BY seq"
    ).fetchall()
    assert [tuple(r) for r in details] == [
        (1, None),
        (1, None),
        (2, '{"accepted_warnings":["soft_range"]}'),
    ]
