"""The critical data due and the SDV progress the monitor reads (per-form counts, the value
index, one statement) equal a direct count over every value and verification, whatever the
values and verifications (real encrypted site; random sequences; the NCT07553767 plan, which
has sets of whole forms, of forms at one visit, of items and of serious AEs only); a site made
before the indexes they read gets them when opened."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store import sdv
from desktop_crf.store import site as site_store
from desktop_crf.store.schema import migrations, schema_version
from desktop_crf.studies import load_study
from tests.helpers.sites import login, make_site

PLAN = load_study("NCT07553767").monitoring
#: Places a value is written to: form, group, items (critical, partly critical or not at all).
FORMS = [
    ("SE.SCREENING", "F.CONSENT", "IG.CONSENT", ("I.CONSENT_SIGNED", "I.CONSENT_DATE")),
    ("SE.SCREENING", "F.SCREENING", "IG.SCREENING", ("I.SCREENING_DATE",)),
    ("SE.W12", "F.SCREENING", "IG.SCREENING", ("I.SCREENING_DATE",)),
    ("SE.W12", "F.LAB_VIROLOGY", "IG.HBSAG", ("I.HBSAG", "I.ANTI_HBS")),
    ("SE.W12", "F.LAB_VIROLOGY", "IG.SAMPLE", ("I.SAMPLE_DATE", "I.LAB_NAME")),
    ("SE.LOG", "F.AE", "IG.AE", ("I.AESER", "I.AETERM")),
    ("SE.W12", "F.LAB_LIVER", "IG.LIVER", ("I.ALT",)),
]
SUBJECTS = ("S-1", "S-2")


def _values(session: Session) -> dict[tuple, tuple[str, int]]:
    rows = session.db.execute(
        "SELECT subject_id, event, event_repeat, form, item_group, group_repeat, item, value, "
        "rev FROM item_values WHERE value IS NOT NULL"
    ).fetchall()
    return {tuple(r[:7]): (r[7], r[8]) for r in rows}


def _verified(session: Session) -> dict[tuple, int]:
    rows = session.db.execute(
        "SELECT subject_id, event, event_repeat, form, item_group, group_repeat, item, rev FROM sdv"
    ).fetchall()
    return {tuple(r[:7]): r[7] for r in rows}


def _critical(values: dict[tuple, tuple[str, int]]) -> list[tuple]:
    """The critical values, each read against the study's plan with its group's values."""
    groups: dict[tuple, dict[str, str]] = {}
    for place, (value, _) in values.items():
        groups.setdefault(place[:6], {})[place[6]] = value
    return [
        place
        for place in values
        if any(c.covers(place[1], place[3], place[6], groups[place[:6]]) for c in PLAN.critical)
    ]


@pytest.mark.parametrize("seed", range(4))
def test_due_and_progress_equal_a_direct_count(nurse: Session, seed: int) -> None:
    rng = random.Random(seed)
    revs: Counter[tuple] = Counter()
    with nurse.write():
        for step in range(150):
            event, form, group, items = rng.choice(FORMS)
            key = FormKey(rng.choice(SUBJECTS), event, form)
            repeat, item = rng.choice((1, 1, 2)), rng.choice(items)
            place = (key, group, repeat, item)
            if rng.random() < 0.6:  # a save; an AE's seriousness is Y or N
                revs[place] += 1
                value = rng.choice("YN") if item == "I.AESER" else str(rng.randint(1, 9))
                stored = StoredValue(group, repeat, item, value, None, revs[place])
                repo.write_value(nurse.db, key, stored, updated_at="t", updated_by="nurse")
            else:  # a verification of the current revision, or of an older one
                rev = max(revs[place] - rng.choice((0, 0, 1)), 1)
                sdv.record(
                    nurse.db,
                    key,
                    [(group, repeat, item, rev)],
                    at="t",
                    by="m",
                    device="D",
                    seq=step,
                )
    values, verified = _values(nurse), _verified(nurse)
    critical = _critical(values)

    due = Counter(place[:4] for place in critical if place not in verified)
    found = sdv.critical_due(nurse.db, PLAN)
    assert {
        (d.key.subject_id, d.key.event, d.key.event_repeat, d.key.form): d.to_verify for d in found
    } == dict(due)
    order = [
        (d.since, d.key.subject_id, d.key.event, d.key.form, d.key.event_repeat) for d in found
    ]
    assert order == sorted(order)

    progress = sdv.progress(nurse.db, PLAN)
    for subject in SUBJECTS:
        mine = [p for p in critical if p[0] == subject]
        counts = progress.get(subject, sdv.Counts())
        assert counts.critical == len(mine)
        assert counts.critical_verified == sum(verified.get(p, 0) >= values[p][1] for p in mine)
        assert counts.critical_changed == sum(0 < verified.get(p, 0) < values[p][1] for p in mine)
        assert counts.values == sum(p[0] == subject for p in values)


def test_a_site_made_before_the_read_indexes_gets_them_on_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = FormKey("S-1", "SE.W12", "F.LAB_VIROLOGY")
    with monkeypatch.context() as patch:
        patch.setattr(
            site_store,
            "migrate",
            lambda db: migrations.apply(db, stop_before="m009_monitor_read_indexes"),
        )
        root = tmp_path / "site"
        make_site(root)
        nurse = login(root, "nurse")
        try:
            with nurse.write():
                stored = StoredValue("IG.HBSAG", 1, "I.HBSAG", "5", None, 1)
                repo.write_value(nurse.db, key, stored, updated_at="t", updated_by="n")
        finally:
            nurse.close()
    nurse = login(root, "nurse")  # opening it migrates it
    try:
        assert "m009_monitor_read_indexes" in schema_version(nurse.db)
        columns = [r[2] for r in nurse.db.execute("PRAGMA index_info(item_values_form)")]
        assert columns == ["form", "item", "value", "rev"]
        (due,) = sdv.critical_due(nurse.db, PLAN)
        assert (due.key, due.to_verify) == (key, 1)
    finally:
        nurse.close()
