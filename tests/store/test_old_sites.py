"""A site made before user signatures still opens and verifies; from then on its users sign."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_crf.services import site
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store.schema import schema_version
from tests.helpers.sites import code_of_an_older_version, login, make_site


def test_an_old_site_opens_verifies_and_its_users_sign_from_their_first_unlock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    with code_of_an_older_version(monkeypatch):
        make_site(root)
        nurse = login(root, "nurse")
        screen_subject(nurse, study_version="1.0", screened_on="2026-10-01")
        nurse.close()
    nurse = login(root, "nurse")  # today's code: the schema moves on, the nurse gets a key
    try:
        assert schema_version(nurse.db)[-1] == "m008_user_signatures"
        before = site.verify_audit(nurse)
        assert before.ok, before
        assert before.unsigned > 0
        assert "written before user signatures" in str(before)
        screen_subject(nurse, study_version="1.0", screened_on="2026-10-02")
        after = site.verify_audit(nurse)
        assert after.ok, after
        assert after.unsigned == before.unsigned  # what was unsigned stays so, nothing more
        assert after.signed > 0  # the nurse's key announcement, login and new subject
    finally:
        nurse.close()
    monitor = login(root, "monitor")
    try:
        assert site.verify_audit(monitor).ok
    finally:
        monitor.close()
