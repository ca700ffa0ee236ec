"""Write a sample study report and the README's screenshots of it, as Chromium renders it.

``python -m tests.e2e.report_screenshots OUT_DIR``

Three sites of synthetic subjects sync to a server in a temporary folder; the report of the
study is written to ``OUT_DIR/study-report.html`` and shot at 1280 px wide:
``report-en.png`` (the top: figures and sites) and ``report-curves-en.png`` (the curves).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from desktop_crf.services import sync as sync_service
from desktop_crf.services.demo import fill_subjects
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.report import write_report
from sync.server.settings import ServerSettings
from tests.helpers.browser import headless_browser
from tests.helpers.enrolled import FAST, enrolled_session
from tests.sync.servers import ThreadServer

SITES = {"NB01": 40, "NB02": 25, "NB03": 15}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp())
    db = SqliteDatabase(base / "server" / "server.sqlite3")
    settings = ServerSettings(data_dir=base / "server", admin_token="admin-secret")
    today = date.today()
    with ThreadServer(create_app(settings, db=db)) as live:
        for code, count in SITES.items():
            nurse = enrolled_session(base / code, live.url, db, site=code)
            try:
                fill_subjects(nurse, count, today=today, progress=lambda _line: None)
                sync_service.sync_now(nurse, retry=FAST)
            finally:
                nurse.close()
    page = out / "study-report.html"
    now = datetime.now().astimezone()
    write_report(db, "NCT07553767", page, today=today, now=now)
    db.close()
    with headless_browser(base / "browser", width=1280, height=800) as browser:
        browser.open(page.as_uri())
        (out / "report-en.png").write_bytes(browser.screenshot())
        browser.run("document.querySelector('h2:nth-of-type(2)').scrollIntoView(); return 1;")
        (out / "report-curves-en.png").write_bytes(browser.screenshot())


if __name__ == "__main__":
    main()
