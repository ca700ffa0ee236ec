"""The investigator's visits to sign, grouped by visit in one statement: how many complete
forms no signature covers, the form when it is the only one, since when, oldest first."""

from __future__ import annotations

from desktop_crf.model import FormKey
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store.tasks import unsigned_visits


def _form(session: Session, key: FormKey, status: str, at: str) -> None:
    session.db.execute(
        "INSERT INTO form_instances VALUES (?, ?, ?, ?, ?, ?, 'nurse')",
        [key.subject_id, key.event, key.event_repeat, key.form, status, at],
    )


def test_unsigned_forms_are_grouped_by_visit(nurse: Session) -> None:
    signed = FormKey("S-1", "SE.W12", "F.VITALS")
    with nurse.write():
        for subject in ("S-1", "S-2"):
            repo.upsert_subject(
                nurse.db,
                {
                    "subject_id": subject,
                    "study_id": "NCT07553767",
                    "study_version": "1.0",
                    "status": "enrolled",
                    "updated_at": "t",
                },
            )
        _form(nurse, FormKey("S-1", "SE.W12", "F.LAB_LIVER"), "complete", "t3")
        _form(nurse, FormKey("S-1", "SE.W12", "F.LAB_VIROLOGY"), "complete", "t1")
        _form(nurse, FormKey("S-1", "SE.W12", "F.VISIT"), "draft", "t0")
        _form(nurse, signed, "complete", "t0")
        _form(nurse, FormKey("S-2", "SE.W24", "F.VISIT"), "complete", "t2")
        _form(nurse, FormKey("S-1", "SE.UNSCHED", "F.VISIT", 2), "complete", "t1")
        repo.insert_signature(
            nurse.db,
            signed,
            {
                "signer": "investigator",
                "signer_name": "I",
                "meaning": "approved",
                "signed_at": "t4",
                "content_hash": "h",
            },
        )
    assert unsigned_visits(nurse.db) == [
        ("S-1", "SE.UNSCHED", 2, "F.VISIT", 1, "t1"),
        ("S-1", "SE.W12", 1, None, 2, "t1"),
        ("S-2", "SE.W24", 1, "F.VISIT", 1, "t2"),
    ]
