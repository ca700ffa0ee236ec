"""The sponsor's study report from the server: two real sites sync their subjects to a real
server, the report is computed from what the server holds and agrees with each site's own
dashboard, and the HTML page it writes is self-contained and renders in a real browser."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from desktop_crf.services import sync as sync_service
from desktop_crf.services.demo import fill_subjects
from desktop_crf.services.reports import site_summary
from forms.summary import StudySummary
from sync.server.app import create_app
from sync.server.cli import main as server_main
from sync.server.db import SqliteDatabase
from sync.server.queries import open_query
from sync.server.report import build_report
from sync.server.report.svg import ARM_COLOURS
from sync.server.settings import ServerSettings
from tests.helpers.browser import headless_browser
from tests.helpers.enrolled import FAST, enrolled_session
from tests.helpers.png import count_near
from tests.sync.servers import ThreadServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
SITES = {"NB01": 10, "NB02": 6}
STUDY = "NCT07553767"


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory):
    """Two sites' subjects on the server, with each site's own dashboard."""
    base = tmp_path_factory.mktemp("report")
    db = SqliteDatabase(base / "server" / "server.sqlite3")
    settings = ServerSettings(data_dir=base / "server", admin_token="admin-secret")
    dashboards: dict[str, StudySummary] = {}
    with ThreadServer(create_app(settings, db=db)) as live:
        for code, count in SITES.items():
            nurse = enrolled_session(base / code, live.url, db, site=code)
            try:
                fill_subjects(nurse, count, today=TODAY, progress=lambda _line: None)
                sync_service.sync_now(nurse, retry=FAST)
                assert sync_service.sync_status(nurse).pending == 0
                dashboards[code] = site_summary(nurse, today=TODAY, now=NOW)
            finally:
                nurse.close()
    open_query(db, "NB01", {"subject": "NB01-001"}, text="Source check", opened_by="monitor")
    yield base, db, dashboards
    db.close()


def _sum(counts: list[Counter]) -> Counter:
    total: Counter = Counter()
    for count in counts:
        total.update(count)
    return total


def test_the_reports_numbers_are_the_sum_of_the_sites_dashboards(synced) -> None:
    _base, db, dashboards = synced
    summary, rows, _page = build_report(db, STUDY, today=TODAY, now=NOW)
    sites = list(dashboards.values())
    assert summary.subjects == sum(d.subjects for d in sites)
    arms = _sum([Counter({a.arm: a.enrolled for a in d.enrolment.arms}) for d in sites])
    assert {a.arm: a.enrolled for a in summary.enrolment.arms} == dict(arms)
    assert summary.enrolment.enrolled == sum(SITES.values())
    assert summary.screening.failed == frozenset().union(*(d.screening.failed for d in sites))

    def aes(s: StudySummary) -> Counter:
        return Counter({(r.term, c.arm): c.events for r in s.safety.rows for c in r.arms})

    assert +aes(summary) == +_sum([aes(d) for d in sites])
    assert len(summary.safety.saes) == sum(len(d.safety.saes) for d in sites)
    for index, curves in enumerate(summary.curves):
        for arm_index, arm in enumerate(curves.comparison.arms):
            mine = [d.curves[index].comparison.arms[arm_index].curve for d in sites]
            assert arm.curve.events == sum(c.events for c in mine)
            assert arm.curve.subjects == sum(c.subjects for c in mine)

    def markers(s: StudySummary) -> Counter:
        return Counter(
            {
                (m.id, p.visit, a): x.successes
                for m in s.markers
                for p in m.points
                for a, x in p.arms
            }
        )

    assert +markers(summary) == +_sum([markers(d) for d in sites])
    assert summary.queries.open == 1  # the monitor's query, on the server
    by_site = {r.site: r for r in rows}
    assert set(by_site) == set(SITES)
    for code, row in by_site.items():
        assert row.enrolled == SITES[code] == dashboards[code].enrolment.enrolled
        assert row.screening == dashboards[code].enrolment.screening
        assert row.devices == 1
        assert row.last_seen is not None
        assert row.visits_entered > 0
        assert row.entry_lag_median is not None
    assert by_site["NB01"].open_queries == 1


def test_the_command_writes_one_self_contained_page(synced, tmp_path: Path) -> None:
    base, _db, _dashboards = synced
    out = tmp_path / "report.html"
    args = ["report", "--data", str(base / "server"), "--study", STUDY, "--out", str(out)]
    assert server_main(args) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    for outside in ("<script", "<link", "<img", "<iframe", " src=", " href=", "url(", "@import"):
        assert outside not in page.lower(), outside
    # the only address in the page is the SVG namespace, which is never fetched
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"http://www.w3.org/2000/svg"}
    assert page.count("<svg") >= 6
    assert "NB01" in page
    assert "NB02" in page
    nowhere = ["report", "--data", str(tmp_path / "none"), "--study", STUDY, "--out", str(out)]
    assert server_main(nowhere) == 2  # no server data there
    assert server_main([*args[:3], "--study", "NOPE", "--out", str(out)]) == 2


def test_the_page_renders_in_a_real_browser(synced, tmp_path: Path) -> None:
    _base, db, _dashboards = synced
    _summary, _rows, page = build_report(db, STUDY, today=TODAY, now=NOW)
    out = tmp_path / "report.html"
    out.write_text(page, encoding="utf-8")
    with headless_browser(tmp_path / "browser") as browser:
        browser.open(out.as_uri())
        seen = browser.run(
            """
            const box = e => e.getBoundingClientRect();
            return {
              title: document.title,
              curves: [...document.querySelectorAll('svg path.km')].map(p => box(p).width),
              figures: document.querySelectorAll('figure svg').length,
              sites: document.querySelectorAll('table.sites tbody tr').length,
              fetched: performance.getEntriesByType('resource').length,
              wide: document.documentElement.scrollWidth <= window.innerWidth + 1,
            };
            """
        )
        assert seen["title"] == f"{STUDY} study report"
        assert len(seen["curves"]) >= 4  # two endpoints, two arms each
        assert all(width > 50 for width in seen["curves"])  # each curve is drawn across
        assert seen["figures"] >= 6
        assert seen["sites"] == 2
        assert seen["fetched"] == 0  # nothing loaded from anywhere
        assert seen["wide"]
        browser.run("document.querySelector('.km-figure').scrollIntoView(); return 1;")
        shot = browser.screenshot()
        (tmp_path / "report.png").write_bytes(shot)
        assert count_near(shot, ARM_COLOURS[0]) > 200  # the first arm's curve and band
        assert count_near(shot, ARM_COLOURS[1]) > 200
        errors = [e for e in browser.console() if e.get("level") == "SEVERE"]
        assert errors == [], json.dumps(errors)
