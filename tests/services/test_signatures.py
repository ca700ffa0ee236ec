"""Signing a whole visit is one service call: one password check, one transaction, all or none."""

from __future__ import annotations

import pytest

from desktop_crf.errors import InvalidInput, NotFound, PermissionDenied, WrongPassword
from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.signatures import FormInConflict, sign_form, sign_visit
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import utc_now
from desktop_crf.store.database import transaction
from desktop_crf.store.keyslots import KdfParams
from tests.helpers.sites import PASSWORDS

VISIT = "SE.SCREENING"
MEANING = "I approve the data of this visit"


@pytest.fixture
def kdf_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the Argon2id derivations (each one costs ~0.15 s with production parameters)."""
    runs: list[int] = []
    real = KdfParams.derive

    def counting(self: KdfParams, secret: str, salt: bytes) -> bytes:
        runs.append(1)
        return real(self, secret, salt)

    monkeypatch.setattr(KdfParams, "derive", counting)
    return runs


@pytest.fixture
def subject(nurse: Session) -> str:
    subject_id = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    assert subject_id is not None
    sample = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-10-01"),
        ItemInput("IG.SAMPLE", "I.LAB_NAME", "Central lab"),
    ]
    for form, extra in (
        ("F.LAB_BLOOD", ItemInput("IG.CBC", "I.PLT", "180", "10^9/L")),
        ("F.LAB_LIVER", ItemInput("IG.LIVER", "I.ALT", "35", "U/L")),
        ("F.LAB_VIROLOGY", ItemInput("IG.HBSAG", "I.HBSAG", "350", "IU/mL")),
    ):
        save_form(nurse, FormKey(subject_id, VISIT, form), [*sample, extra])
    # another visit's form: not part of the screening visit
    save_form(nurse, FormKey(subject_id, "SE.W0", "F.LAB_LIVER"), sample)
    return subject_id


def _signed(session: Session, subject: str) -> dict[tuple[str, str], str]:
    found = {}
    for row in repo.subject_forms(session.db, subject):
        key = FormKey(subject, row["event"], row["form"], row["event_repeat"])
        signature = load_form(session, key).signature
        if signature is not None:
            found[(key.event, key.form)] = signature["state"]
    return found


def _audit_count(session: Session) -> int:
    return int(session.db.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_a_visit_is_signed_whole_with_one_password_check(
    investigator: Session, subject: str, kdf_runs: list[int]
) -> None:
    changes = sign_visit(
        investigator, subject, VISIT, 1, PASSWORDS["investigator"], meaning=MEANING
    )
    assert len(kdf_runs) == 1
    assert _signed(investigator, subject) == {
        (VISIT, "F.LAB_BLOOD"): "valid",
        (VISIT, "F.LAB_LIVER"): "valid",
        (VISIT, "F.LAB_VIROLOGY"): "valid",
    }
    assert (changes.subject_id, changes.event, changes.event_repeat) == (subject, VISIT, 1)
    assert changes.kind == "signature"
    rows = investigator.db.execute(
        "SELECT form, detail FROM audit WHERE action = 'form.sign' ORDER BY seq"
    ).fetchall()
    assert [r[0] for r in rows] == ["F.LAB_BLOOD", "F.LAB_LIVER", "F.LAB_VIROLOGY"]
    assert all(f'"meaning": "{MEANING}"' in r[1] for r in rows)


def test_a_form_that_cannot_be_signed_leaves_the_whole_visit_unsigned(
    investigator: Session, subject: str, kdf_runs: list[int]
) -> None:
    """The second of three forms has a value in conflict (two computers disagree about it)."""
    liver = FormKey(subject, VISIT, "F.LAB_LIVER")
    stored = load_form(investigator, liver).values[("IG.LIVER", 1, "I.ALT")]
    marker = '{"query_id": 7, "values": [{"value": "35"}, {"value": "53"}]}'
    with transaction(investigator.db):
        repo.write_value(
            investigator.db,
            liver,
            StoredValue(*stored.path, stored.value, stored.unit, stored.rev, marker),
            updated_at=utc_now(),
            updated_by="sync",
        )
    entries = _audit_count(investigator)
    with pytest.raises(FormInConflict, match=r"F\.LAB_LIVER.*conflict"):
        sign_visit(investigator, subject, VISIT, 1, PASSWORDS["investigator"], meaning=MEANING)
    assert _signed(investigator, subject) == {}
    assert _audit_count(investigator) == entries
    assert len(kdf_runs) == 1
    with pytest.raises(FormInConflict):
        sign_form(investigator, liver, PASSWORDS["investigator"])


def test_a_failure_while_writing_leaves_no_form_signed(
    investigator: Session, subject: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = repo.insert_signature
    calls: list[FormKey] = []

    def failing_second(db: object, key: FormKey, signature: dict[str, str]) -> None:
        calls.append(key)
        if len(calls) == 2:
            raise OSError("disk went away")
        real(db, key, signature)  # type: ignore[arg-type]

    monkeypatch.setattr(repo, "insert_signature", failing_second)
    entries = _audit_count(investigator)
    with pytest.raises(OSError, match="disk went away"):
        sign_visit(investigator, subject, VISIT, 1, PASSWORDS["investigator"], meaning=MEANING)
    monkeypatch.setattr(repo, "insert_signature", real)
    assert len(calls) == 2
    assert _signed(investigator, subject) == {}
    assert _audit_count(investigator) == entries


def test_a_wrong_password_signs_nothing(
    investigator: Session, subject: str, kdf_runs: list[int]
) -> None:
    with pytest.raises(WrongPassword):
        sign_visit(investigator, subject, VISIT, 1, "not-my-password", meaning=MEANING)
    assert len(kdf_runs) == 1
    assert _signed(investigator, subject) == {}


def test_only_an_investigator_signs_and_nothing_is_derived_for_the_others(
    nurse: Session, subject: str, kdf_runs: list[int]
) -> None:
    with pytest.raises(PermissionDenied, match="sign"):
        sign_visit(nurse, subject, VISIT, 1, PASSWORDS["nurse"], meaning=MEANING)
    assert kdf_runs == []


def test_a_visit_with_nothing_started_or_no_meaning_is_refused(
    investigator: Session, subject: str, kdf_runs: list[int]
) -> None:
    with pytest.raises(NotFound, match="nothing to sign"):
        sign_visit(investigator, subject, "SE.W12", 1, PASSWORDS["investigator"], meaning=MEANING)
    with pytest.raises(InvalidInput, match="Say what the signature means"):
        sign_visit(investigator, subject, VISIT, 1, PASSWORDS["investigator"], meaning=" ")
    with pytest.raises(NotFound, match="no subject"):
        sign_visit(investigator, "NB02-NOPE", VISIT, 1, PASSWORDS["investigator"], meaning=MEANING)
    assert kdf_runs == []
