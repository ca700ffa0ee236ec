"""The per-form SDV counts the triggers keep (``form_counts``) always equal what the values
and the verifications say, whatever order saves, clears, pulls and verifications come in
(real encrypted site; random sequences of operations)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store import sdv
from desktop_crf.store.schema import schema_version
from tests.helpers.sites import code_of_an_older_version, login, make_site

KEYS = [
    FormKey("S-1", "SE.W0", "F.A"),
    FormKey("S-1", "SE.W12", "F.A"),
    FormKey("S-2", "SE.W0", "F.B"),
]
ITEMS = ["I.X", "I.Y", "I.Z"]


def _counted(session: Session) -> dict[tuple, tuple[int, int, int]]:
    rows = session.db.execute(
        "SELECT subject_id, event, event_repeat, form, entered, verified, changed FROM form_counts"
    ).fetchall()
    return {tuple(r[:4]): tuple(r[4:]) for r in rows if any(r[4:])}


def _truth(session: Session) -> dict[tuple, tuple[int, int, int]]:
    rows = session.db.execute(
        "SELECT v.subject_id, v.event, v.event_repeat, v.form, "
        "sum(v.value IS NOT NULL), "
        "sum(coalesce(s.rev >= v.rev AND v.value IS NOT NULL, 0)), "
        "sum(coalesce(s.rev < v.rev, 0)) "
        "FROM item_values v LEFT JOIN sdv s USING (subject_id, event, event_repeat, form, "
        "item_group, group_repeat, item) GROUP BY 1, 2, 3, 4"
    ).fetchall()
    return {tuple(r[:4]): tuple(r[4:]) for r in rows if any(r[4:])}


@pytest.mark.parametrize("seed", range(6))
def test_the_counts_follow_every_write(nurse: Session, seed: int) -> None:
    rng = random.Random(seed)
    revs: dict[tuple, int] = {}
    with nurse.write():
        for step in range(120):
            key, item = rng.choice(KEYS), rng.choice(ITEMS)
            place = (key, item)
            if rng.random() < 0.6:  # a save (a value, or cleared), or a value pulled
                rev = revs.get(place, 0) + 1
                revs[place] = rev
                value = None if rng.random() < 0.2 else str(rng.randint(1, 9))
                stored = StoredValue("IG", 1, item, value, None, rev)
                repo.write_value(nurse.db, key, stored, updated_at="t", updated_by="nurse")
            else:  # a verification, of the current revision or an older or later one
                rev = max(revs.get(place, 0) + rng.choice((-1, 0, 0, 1)), 0)
                sdv.record(
                    nurse.db,
                    key,
                    [("IG", 1, item, rev)],
                    at=f"t{step:03d}",
                    by="m",
                    device="D",
                    seq=step + 1,
                )
            assert _counted(nurse) == _truth(nurse), step


def test_a_site_made_before_sdv_counts_the_values_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with code_of_an_older_version(monkeypatch, stop_before="m007_monitoring"):
        root = tmp_path / "site"
        make_site(root)
        nurse = login(root, "nurse")
        try:
            assert "m007_monitoring" not in schema_version(nurse.db)
            with nurse.write():
                for n, item in enumerate(ITEMS):
                    stored = StoredValue("IG", 1, item, None if n == 2 else "1", None, 1)
                    repo.write_value(nurse.db, KEYS[0], stored, updated_at="t", updated_by="n")
        finally:
            nurse.close()
    nurse = login(root, "nurse")  # opening it migrates it
    try:
        assert "m007_monitoring" in schema_version(nurse.db)
        assert _counted(nurse) == {("S-1", "SE.W0", 1, "F.A"): (2, 0, 0)} == _truth(nurse)
    finally:
        nurse.close()
