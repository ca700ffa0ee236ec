"""A pulled record this device cannot apply is set aside with the reason; the page goes on."""

from __future__ import annotations

from desktop_crf.store import set_aside
from desktop_crf.store.audit import verify_chain
from desktop_crf.store.database import transaction
from desktop_crf.store.pulled import apply_pulled
from desktop_crf.store.sync_state import pull_cursor
from tests.sync.sync_support import make_entries


def _records(entries, **extra) -> list[dict]:
    return [
        {"kind": "entry", "pos": n, "entry": e, "outcome": "applied", "rev": 1, **extra}
        for n, e in enumerate(entries, start=1)
    ]


def test_bad_records_are_set_aside_and_the_good_ones_applied(nurse) -> None:
    good = make_entries("other-pc", 3, subject="S-1", event="SE.W0", form="F.LAB")
    poison = dict(good[1], user=None)  # would break NOT NULL on audit.user
    records = _records([good[0], poison])
    records.append({"kind": "query", "pos": 3, "query": {"id": "seven"}})
    records.append({"kind": "surprise", "pos": 4})
    with transaction(nurse.db):
        count = apply_pulled(nurse.db, records, 4, device=nurse.site.device)
    assert count == 3
    assert pull_cursor(nurse.db) == 4
    held = nurse.db.execute("SELECT seq FROM audit WHERE device = 'other-pc'").fetchall()
    assert held == [(1,)]
    reasons = [r.reason for r in reversed(set_aside.set_aside_records(nurse.db))]
    assert reasons[0].startswith("the entry does not fit the entry schema: user")
    assert reasons[1].startswith("not a query record")
    assert reasons[2].startswith("an unknown kind of record")
    assert [r.pos for r in set_aside.unreported(nurse.db)] == [2, 3, 4]


def test_an_entry_whose_change_cannot_be_applied_is_stored_and_its_change_set_aside(
    nurse,
) -> None:
    (entry,) = make_entries("other-pc", 1, subject="S-1", event="SE.W0", form="F.LAB")
    with transaction(nurse.db):
        apply_pulled(nurse.db, _records([entry], rev="not a revision"), 1, device="x")
    (aside,) = set_aside.set_aside_records(nurse.db)
    assert aside.stored
    assert "its change could not be applied here" in aside.reason
    assert (aside.device, aside.seq) == ("other-pc", 1)
    assert verify_chain(nurse.db).ok  # the entry itself is kept: the chain verifies
    with transaction(nurse.db):
        set_aside.mark_reported(nurse.db, [aside.id], at="2026-01-01T00:00:00Z")
    assert set_aside.unreported(nurse.db) == []
