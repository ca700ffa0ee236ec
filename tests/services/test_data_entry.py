"""Saving forms: exact strings, revisions, reasons for change, one transaction per save."""

from __future__ import annotations

import pytest

from desktop_crf.errors import ReasonRequired
from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import (
    ChangedElsewhere,
    ItemInput,
    autosave,
    load_form,
    pending_autosave,
    save_form,
)
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject


@pytest.fixture
def key(nurse: Session) -> FormKey:
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    return FormKey(subject, "SE.W0", "F.LAB_VIROLOGY")


ENTERED = [
    ("IG.HBSAG", "I.HBSAG", "<10", "IU/mL"),
    ("IG.HBSAG", "I.ANTI_HBS", " 12 ", "mIU/mL"),
    ("IG.HBEAG", "I.HBEAG", "0.050", "S/CO"),
    ("IG.HBEAG", "I.ANTI_HBE", ">1.7E+08", "S/CO"),
    ("IG.HBV_DNA", "I.HBV_DNA", "target not detected", "IU/mL"),
]


def test_values_are_kept_exactly_as_entered(nurse: Session, key: FormKey) -> None:
    items = [ItemInput(group, item, value, unit) for group, item, value, unit in ENTERED]
    changes = save_form(nurse, key, items)
    form = load_form(nurse, key)
    assert [form.value(group, item) for group, item, _v, _u in ENTERED] == [
        value for _g, _i, value, _u in ENTERED
    ]
    assert changes.items == tuple(item for _g, item, _v, _u in ENTERED)
    assert [form.values[(g, 1, i)].unit for g, i, _v, _u in ENTERED] == [
        unit for _g, _i, _v, unit in ENTERED
    ]


def test_a_change_needs_a_reason_and_nothing_is_written_without_one(
    nurse: Session, key: FormKey
) -> None:
    save_form(nurse, key, [ItemInput("IG.HBSAG", "I.HBSAG", "1500.2", "IU/mL")])
    entries = nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(ReasonRequired, match="reason"):
        save_form(
            nurse,
            key,
            [
                ItemInput("IG.HBSAG", "I.ANTI_HBS", "1"),
                ItemInput("IG.HBSAG", "I.HBSAG", "1500.3", "IU/mL"),
            ],
        )
    assert nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries
    assert load_form(nurse, key).value("IG.HBSAG", "I.ANTI_HBS") is None
    save_form(nurse, key, [ItemInput("IG.HBSAG", "I.HBSAG", "1500.3", "IU/mL")], reason="typo")
    stored = load_form(nurse, key).values[("IG.HBSAG", 1, "I.HBSAG")]
    assert (stored.value, stored.rev) == ("1500.3", 2)


def test_an_unchanged_value_writes_no_audit_entry(nurse: Session, key: FormKey) -> None:
    save_form(nurse, key, [ItemInput("IG.HBSAG", "I.HBSAG", "12", "IU/mL")])
    entries = nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert save_form(nurse, key, [ItemInput("IG.HBSAG", "I.HBSAG", "12", "IU/mL")]).items == ()
    assert nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries


def test_a_value_changed_meanwhile_elsewhere_is_not_overwritten_unseen(
    nurse: Session, key: FormKey
) -> None:
    """The form was opened at revision 1; a sync brought revision 2 from another computer."""
    save_form(nurse, key, [ItemInput("IG.HBSAG", "I.HBSAG", "12", "IU/mL")])
    save_form(nurse, key, [ItemInput("IG.HBSAG", "I.HBSAG", "13", "IU/mL")], reason="other PC")
    entries = nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    stale = [
        ItemInput("IG.HBSAG", "I.ANTI_HBS", "7", base_rev=0),
        ItemInput("IG.HBSAG", "I.HBSAG", "99", "IU/mL", reason="typo", base_rev=1),
    ]
    with pytest.raises(ChangedElsewhere, match=r"I\.HBSAG changed on another computer") as raised:
        save_form(nurse, key, stale)
    assert raised.value.items == ("I.HBSAG",)
    assert nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries
    form = load_form(nurse, key)
    assert (form.value("IG.HBSAG", "I.HBSAG"), form.value("IG.HBSAG", "I.ANTI_HBS")) == (
        "13",
        None,
    )
    seen = ItemInput("IG.HBSAG", "I.HBSAG", "99", "IU/mL", reason="typo", base_rev=2)
    assert save_form(nurse, key, [seen]).items == ("I.HBSAG",)
    assert load_form(nurse, key).values[("IG.HBSAG", 1, "I.HBSAG")].rev == 3


def test_repeating_groups_are_separate_items(nurse: Session, key: FormKey) -> None:
    imaging = FormKey(key.subject_id, key.event, "F.IMAGING")
    lesions = [ItemInput("IG.LESION", "I.LESION_SIZE", str(10 + r), group_repeat=r) for r in (1, 2)]
    save_form(nurse, imaging, [ItemInput("IG.SCAN", "I.NEW_LESION", "Y"), *lesions])
    form = load_form(nurse, imaging)
    assert form.value("IG.LESION", "I.LESION_SIZE", 2) == "12"


def test_autosave_keeps_typing_until_the_form_is_saved(nurse: Session, key: FormKey) -> None:
    autosave(nurse, key, {"IG.HBSAG/1/I.HBSAG": "15"})
    assert pending_autosave(nurse, key) == {"IG.HBSAG/1/I.HBSAG": "15"}
    assert load_form(nurse, key).status is None  # not data yet, not audited
    items = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-10-01"),
        ItemInput("IG.SAMPLE", "I.LAB_NAME", "Central lab"),
        ItemInput("IG.HBSAG", "I.HBSAG", "15"),
        ItemInput("IG.HBEAG", "I.HBEAG_STATUS", "NEG"),
        ItemInput("IG.HBEAG", "I.ANTI_HBE_STATUS", "POS"),
    ]
    save_form(nurse, key, items, complete=True)
    assert pending_autosave(nurse, key) is None
    assert load_form(nurse, key).status == "complete"


def test_enrolment_records_arm_and_consent(nurse: Session, key: FormKey) -> None:
    enroll_subject(
        nurse,
        key.subject_id,
        Enrolment(
            arm="PEG_NA",
            anchor_date="2026-10-05",
            na_drug="TAF",
            consent_date="2026-09-30",
            consent_version="2.1",
        ),
    )
    row = nurse.db.execute(
        "SELECT status, arm, na_drug FROM subjects WHERE subject_id = ?", [key.subject_id]
    ).fetchone()
    assert tuple(row) == ("enrolled", "PEG_NA", "TAF")


def test_subject_ids_are_unique_per_device(nurse: Session) -> None:
    ids = [
        screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
        for _ in range(3)
    ]
    assert len(set(ids)) == 3
    assert all(i.startswith(nurse.site.device) for i in ids)


def test_the_investigators_eligibility_decision_is_the_investigators(nurse, investigator) -> None:
    from desktop_crf.services.form_rules import ItemReservedForRole
    from desktop_crf.services.subjects import screen_subject

    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert subject is not None
    key = FormKey(subject, "SE.SCREENING", "F.SCREENING")
    decision = [ItemInput("IG.DECISION", "I.ELIGIBLE", "Y")]
    with pytest.raises(ItemReservedForRole, match="investigator"):
        save_form(nurse, key, decision)
    assert load_form(nurse, key).status is None  # nothing was saved
    save_form(investigator, key, decision)
    assert load_form(investigator, key).value("IG.DECISION", "I.ELIGIBLE") == "Y"
