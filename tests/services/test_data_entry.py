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
    return FormKey(subject, "SE.W0", "F.LAB_VIRO")


def test_values_are_kept_exactly_as_entered(nurse: Session, key: FormKey) -> None:
    entered = ["<10", "target not detected", ">1.7E+08", "0.050", " 12 "]
    items = [ItemInput("IG.V", f"I.V{i}", v, "IU/mL") for i, v in enumerate(entered)]
    changes = save_form(nurse, key, items)
    form = load_form(nurse, key)
    assert [form.value("IG.V", f"I.V{i}") for i in range(5)] == entered
    assert changes.items == tuple(f"I.V{i}" for i in range(5))
    assert {v.unit for v in form.values.values()} == {"IU/mL"}


def test_a_change_needs_a_reason_and_nothing_is_written_without_one(
    nurse: Session, key: FormKey
) -> None:
    save_form(nurse, key, [ItemInput("IG.V", "I.HBSAG", "1500.2", "IU/mL")])
    entries = nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    with pytest.raises(ReasonRequired, match="reason"):
        save_form(
            nurse,
            key,
            [ItemInput("IG.V", "I.NEW", "1"), ItemInput("IG.V", "I.HBSAG", "1500.3", "IU/mL")],
        )
    assert nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries
    assert load_form(nurse, key).value("IG.V", "I.NEW") is None
    save_form(nurse, key, [ItemInput("IG.V", "I.HBSAG", "1500.3", "IU/mL")], reason="typo")
    stored = load_form(nurse, key).values[("IG.V", 1, "I.HBSAG")]
    assert (stored.value, stored.rev) == ("1500.3", 2)


def test_an_unchanged_value_writes_no_audit_entry(nurse: Session, key: FormKey) -> None:
    save_form(nurse, key, [ItemInput("IG.V", "I.HBSAG", "12", "IU/mL")])
    entries = nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert save_form(nurse, key, [ItemInput("IG.V", "I.HBSAG", "12", "IU/mL")]).items == ()
    assert nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries


def test_a_value_changed_meanwhile_elsewhere_is_not_overwritten_unseen(
    nurse: Session, key: FormKey
) -> None:
    """The form was opened at revision 1; a sync brought revision 2 from another computer."""
    save_form(nurse, key, [ItemInput("IG.V", "I.HBSAG", "12", "IU/mL")])
    save_form(nurse, key, [ItemInput("IG.V", "I.HBSAG", "13", "IU/mL")], reason="other PC")
    entries = nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    stale = [
        ItemInput("IG.V", "I.NEW", "7", base_rev=0),
        ItemInput("IG.V", "I.HBSAG", "99", "IU/mL", reason="typo", base_rev=1),
    ]
    with pytest.raises(ChangedElsewhere, match=r"I\.HBSAG changed on another computer") as raised:
        save_form(nurse, key, stale)
    assert raised.value.items == ("I.HBSAG",)
    assert nurse.db.execute("SELECT count(*) FROM audit").fetchone()[0] == entries
    form = load_form(nurse, key)
    assert (form.value("IG.V", "I.HBSAG"), form.value("IG.V", "I.NEW")) == ("13", None)
    seen = ItemInput("IG.V", "I.HBSAG", "99", "IU/mL", reason="typo", base_rev=2)
    assert save_form(nurse, key, [seen]).items == ("I.HBSAG",)
    assert load_form(nurse, key).values[("IG.V", 1, "I.HBSAG")].rev == 3


def test_repeating_groups_are_separate_items(nurse: Session, key: FormKey) -> None:
    lesions = [ItemInput("IG.LESION", "I.SIZE", str(10 + r), "mm", group_repeat=r) for r in (1, 2)]
    save_form(nurse, key, lesions)
    form = load_form(nurse, key)
    assert form.value("IG.LESION", "I.SIZE", 2) == "12"


def test_autosave_keeps_typing_until_the_form_is_saved(nurse: Session, key: FormKey) -> None:
    autosave(nurse, key, {"IG.V/1/I.HBSAG": "15"})
    assert pending_autosave(nurse, key) == {"IG.V/1/I.HBSAG": "15"}
    assert load_form(nurse, key).status is None  # not data yet, not audited
    save_form(nurse, key, [ItemInput("IG.V", "I.HBSAG", "15")], complete=True)
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
