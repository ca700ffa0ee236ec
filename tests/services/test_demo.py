"""The demo site: users of every role, DEMO-nnn subjects over both arms and several visits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop_crf.services import site
from desktop_crf.services.demo import DEMO_PASSWORD, create_demo_site
from desktop_crf.services.subjects import subject_rows


def test_demo_site_is_marked_and_filled(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    create_demo_site(root, subjects=6, today=date(2026, 11, 22), progress=lambda _: None)
    for role in ("admin", "nurse", "investigator", "monitor"):
        site.unlock(root, role, DEMO_PASSWORD).close()
    monitor = site.unlock(root, "monitor", DEMO_PASSWORD)
    try:
        assert monitor.site.demo
        assert "DEMO" in monitor.site.display_name
        rows = subject_rows(monitor, today=date(2026, 11, 22))
        assert [r.subject_id for r in rows] == [f"DEMO-{n:03d}" for n in range(1, 7)]
        assert {r.arm for r in rows} == {"PEG_NA", "NA"}
        # screening is done on the screening date: never the next visit of an enrolled subject
        assert all(r.next_visit != "SE.SCREENING" for r in rows)
        visits = monitor.db.execute(
            "SELECT count(DISTINCT subject_id || event) FROM item_values WHERE form = 'F.VISIT'"
        ).fetchone()[0]
        assert visits > 6
        assert site.verify_audit(monitor).ok
    finally:
        monitor.close()
