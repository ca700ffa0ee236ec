"""Each subject's version (``subject_versions``, kept by triggers) rises with every write of
the subject's row or values, whoever writes, and no other subject's does (real encrypted
site; random sequences of writes)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.store.schema import schema_version
from tests.helpers.sites import code_of_an_older_version, login, make_site

SUBJECTS = ["S-1", "S-2", "S-3"]
ITEMS = ["I.X", "I.Y"]


def _subject(subject_id: str, status: str) -> dict[str, str | None]:
    fields: dict[str, str | None] = dict.fromkeys(repo.SUBJECT_FIELDS)
    fields |= {
        "subject_id": subject_id,
        "study_id": "NCT07553767",
        "study_version": "1.0",
        "status": status,
        "updated_at": "t",
    }
    return fields


def _write(session: Session, rng: random.Random, step: int) -> tuple[str, bool]:
    """One write of a random kind to a random subject: the subject, and whether a row was
    written (a removal may find none)."""
    subject = rng.choice(SUBJECTS)
    key = FormKey(subject, rng.choice(["SE.W0", "SE.W12"]), "F.A")
    item = rng.choice(ITEMS)
    kind = rng.random()
    if kind < 0.5:  # a value saved, changed or cleared (a save, an import, a pull)
        value = None if rng.random() < 0.2 else str(rng.randint(1, 9))
        stored = StoredValue("IG", 1, item, value, None, step)
        repo.write_value(session.db, key, stored, updated_at="t", updated_by="nurse")
        return subject, True
    if kind < 0.65:  # a value removed
        cursor = session.db.execute(
            "DELETE FROM item_values WHERE subject_id = ? AND event = ? AND item = ?",
            [subject, key.event, item],
        )
        return subject, cursor.rowcount > 0
    if kind < 0.8:  # only a conflict marker
        cursor = session.db.execute(
            "UPDATE item_values SET conflict = ? WHERE subject_id = ?", [f"q{step}", subject]
        )
        return subject, cursor.rowcount > 0
    # the subject's own row
    repo.upsert_subject(session.db, _subject(subject, rng.choice(["screening", "enrolled"])))
    return subject, True


@pytest.mark.parametrize("seed", range(4))
def test_every_write_raises_the_version_of_its_subject_alone(nurse: Session, seed: int) -> None:
    rng = random.Random(seed)
    with nurse.write():
        for subject in SUBJECTS:
            repo.upsert_subject(nurse.db, _subject(subject, "screening"))
        for step in range(1, 80):
            before = repo.subject_versions(nurse.db)
            subject, written = _write(nurse, rng, step)
            after = repo.subject_versions(nurse.db)
            changed = {s for s in after if after[s] != before.get(s)}
            assert changed == ({subject} if written else set()), step
            assert after[subject] >= before[subject], step


def test_a_write_that_touches_a_row_always_raises_its_version(nurse: Session) -> None:
    with nurse.write():
        repo.upsert_subject(nurse.db, _subject("S-1", "screening"))
        key = FormKey("S-1", "SE.W0", "F.A")
        seen = [repo.subject_versions(nurse.db)["S-1"]]
        for value in ("1", "1", None, "2"):  # the same value again is a write too
            stored = StoredValue("IG", 1, "I.X", value, None, len(seen))
            repo.write_value(nurse.db, key, stored, updated_at="t", updated_by="nurse")
            seen.append(repo.subject_versions(nurse.db)["S-1"])
        nurse.db.execute("DELETE FROM item_values WHERE subject_id = 'S-1'")
        seen.append(repo.subject_versions(nurse.db)["S-1"])
        repo.upsert_subject(nurse.db, _subject("S-1", "enrolled"))
        seen.append(repo.subject_versions(nurse.db)["S-1"])
    assert seen == sorted(set(seen))  # every one higher than the one before


def test_a_site_made_before_versions_gives_each_subject_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    with code_of_an_older_version(monkeypatch, stop_before="m010_subject_versions"):
        make_site(root)
        nurse = login(root, "nurse")
        subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
        assert "m010_subject_versions" not in schema_version(nurse.db)
        nurse.close()
    nurse = login(root, "nurse")  # today's code: the schema moves on
    try:
        assert subject is not None
        assert repo.subject_versions(nurse.db) == {subject: 1}
        screen_subject(nurse, study_version="1.0", screened_on="2026-10-02")
        assert len(repo.subject_versions(nurse.db)) == 2
    finally:
        nurse.close()
