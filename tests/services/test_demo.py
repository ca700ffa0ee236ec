"""The demo site: users of every role, DEMO-nnn subjects over both arms and several visits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import form_findings
from desktop_crf.services.demo import DEMO_PASSWORD, create_demo_site
from desktop_crf.services.subjects import subject_rows
from forms.validation import Severity

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    create_demo_site(root, subjects=6, today=TODAY, progress=lambda _: None)
    return root


def test_demo_site_is_marked_and_filled(demo_root: Path) -> None:
    root = demo_root
    for role in ("admin", "nurse", "investigator", "monitor"):
        site.unlock(root, role, DEMO_PASSWORD).close()
    monitor = site.unlock(root, "monitor", DEMO_PASSWORD)
    try:
        assert monitor.site.demo
        assert "DEMO" in monitor.site.display_name
        rows = subject_rows(monitor, today=TODAY)
        enrolled = [r for r in rows if r.status == "enrolled"]
        assert [r.subject_id for r in enrolled] == [f"DEMO-{n:03d}" for n in range(1, 7)]
        assert {r.arm for r in enrolled} == {"PEG_NA", "NA"}
        assert [r.subject_id for r in rows if r.status == "screening"] == ["DEMO-007"]
        # screening is done on the screening date: never the next visit of an enrolled subject
        assert all(r.next_visit != "SE.SCREENING" for r in rows)
        visits = monitor.db.execute(
            "SELECT count(DISTINCT subject_id || event) FROM item_values WHERE form = 'F.VISIT'"
        ).fetchone()[0]
        assert visits > 6
        assert site.verify_audit(monitor).ok
    finally:
        monitor.close()


def test_every_completed_form_of_the_demo_has_no_error(demo_root: Path) -> None:
    """The demo goes through the same rules as a nurse: what it completes is complete."""
    monitor = site.unlock(demo_root, "monitor", DEMO_PASSWORD)
    try:
        rows = monitor.db.execute(
            "SELECT subject_id, event, event_repeat, form FROM form_instances "
            "WHERE status = 'complete'"
        ).fetchall()
        keys = [FormKey(subject, event, form, repeat) for subject, event, repeat, form in rows]
        assert len(keys) > 20
        errors = {
            (key.subject_id, key.event, key.form, f.path, f.key)
            for key in keys
            for f in form_findings(monitor, key, today=TODAY)
            if f.severity is Severity.ERROR
        }
        assert errors == set()
    finally:
        monitor.close()
