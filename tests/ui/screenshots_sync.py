"""Take the screenshots of sync at 1280×800: two devices of a site and a server on 127.0.0.1,
a conflict between them and a monitor's query.

``QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots_sync OUT_DIR [en|zh_CN]``
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import httpx
from PySide6.QtWidgets import QApplication

from desktop_crf.model import FormKey
from desktop_crf.services import sync as sync_service
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.subjects import screen_subject
from desktop_crf.ui.shell.controller import AppController
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import FAST, enrolled_site
from tests.helpers.sites import PASSWORDS, login
from tests.sync.servers import ThreadServer


def _pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _prepare(base: Path, live: ThreadServer, db: SqliteDatabase) -> tuple[Path, str]:
    roots = [enrolled_site(base / name, live.url, db) for name in ("pc", "tablet")]
    pc, tablet = (login(root, "nurse") for root in roots)
    subjects = [
        screen_subject(
            pc, study_version="1.0", screened_on="2026-10-0" + str(n), initials=i
        ).subject_id
        for n, i in ((1, "LW"), (2, "ZH"), (3, "CY"))
    ]
    key = FormKey(str(subjects[0]), "SE.W0", "F.LAB_LIVER")
    save_form(pc, key, [ItemInput("IG.LIVER", "I.ALT", "40", "U/L")])
    sync_service.sync_now(pc, retry=FAST)
    sync_service.sync_now(tablet, retry=FAST)
    save_form(pc, key, [ItemInput("IG.LIVER", "I.ALT", "41", "U/L")], reason="transcription")
    save_form(tablet, key, [ItemInput("IG.LIVER", "I.ALT", "44", "U/L")], reason="lab report")
    sync_service.sync_now(tablet, retry=FAST)
    save_form(
        pc,
        FormKey(str(subjects[2]), "SE.W0", "F.LAB_LIVER"),
        [ItemInput("IG.LIVER", "I.AST", "30")],
    )
    httpx.post(
        f"{live.url}/v1/sites/NB02/queries",
        headers={"Authorization": "Bearer admin-secret", "X-CRF-Protocol": "2"},
        json={
            "subject": subjects[1],
            "text": "The screening date differs from the consent form. Please check.",
            "opened_by": "CRA Zhou",
        },
    ).raise_for_status()
    pc.close()
    tablet.close()
    return roots[0], str(subjects[1])


def main() -> None:
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "en"
    out.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp())
    db = SqliteDatabase(base / "server" / "server.sqlite3")
    settings = ServerSettings(data_dir=base / "server", admin_token="admin-secret")
    app = QApplication([])
    with ThreadServer(create_app(settings, db=db)) as live:
        root, queried = _prepare(base, live, db)
        ctl = AppController(root, sync_options={"retry": FAST, "watch_network": False})
        ctl.start()
        if language != "en":
            ctl.set_language(language)
        assert ctl.unlock_window is not None
        ctl.unlock_window.user_edit.setText("nurse")
        ctl.unlock_window.password_edit.setText(PASSWORDS["nurse"])
        ctl.unlock_window._submit()
        _pump(app, 2.0)
        window = ctl.main_window
        assert window is not None
        window.resize(1280, 800)
        window.grab().save(str(out / f"sync-subjects-{language}.png"))
        ctl.open_sync_panel()
        _pump(app, 1.0)
        window.grab().save(str(out / f"sync-panel-{language}.png"))
        ctl.open_subject(queried)
        _pump(app, 1.0)
        window.grab().save(str(out / f"sync-subject-{language}.png"))
        ctl.shutdown()
        app.shutdown()
    db.close()


if __name__ == "__main__":
    main()
