"""Migration m003 (the patient tablet's tables): an older site gains them on opening; at most
one hand-over is open; a PIN is stored only as its Argon2id hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.store import tablet
from desktop_crf.store.database import DatabaseError, transaction
from desktop_crf.store.schema import schema_version
from tests.helpers.sites import CHEAP_KDF, code_of_an_older_version, login, make_site


def test_a_site_made_before_the_tablet_gains_its_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with code_of_an_older_version(monkeypatch, stop_before="m006_tablet"):
        root = tmp_path / "site"
        make_site(root)
    nurse = login(root, "nurse")
    try:
        assert "m006_tablet" in schema_version(nurse.db)
        assert tablet.current_handover(nurse.db) is None
        assert tablet.latest_wordings(nurse.db, "EORTC QLQ-C30") == []
    finally:
        nurse.close()


def test_at_most_one_hand_over_is_open(site_dir: Path) -> None:
    nurse = login(site_dir, "nurse")
    try:
        key = FormKey("NB02-0001", "SE.W12", "F.QLQC30")
        with transaction(nurse.db):
            first = tablet.insert_handover(
                nurse.db, key, opened_by="nurse", opened_at="t", show_initials=False
            )
        with pytest.raises(DatabaseError), transaction(nurse.db):
            tablet.insert_handover(
                nurse.db, key, opened_by="nurse", opened_at="t", show_initials=False
            )
        with transaction(nurse.db):
            tablet.update_handover(nurse.db, first, state="ended")
            tablet.insert_handover(
                nurse.db, key, opened_by="nurse", opened_at="t2", show_initials=True
            )
        current = tablet.current_handover(nurse.db)
        assert current is not None
        assert current.show_initials
    finally:
        nurse.close()


def test_a_pin_is_kept_only_as_its_hash(site_dir: Path) -> None:
    nurse = login(site_dir, "nurse")
    try:
        with transaction(nurse.db):
            tablet.put_pin(nurse.db, tablet.hash_pin("nurse", "482913", CHEAP_KDF, "t"))
        record = tablet.get_pin(nurse.db, "nurse")
        assert record is not None
        assert tablet.pin_matches(record, "482913")
        assert not tablet.pin_matches(record, "482914")
        assert b"482913" not in record.hash + record.salt
    finally:
        nurse.close()
