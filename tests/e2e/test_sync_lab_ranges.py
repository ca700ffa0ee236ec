"""A laboratory's reference range recorded on one computer of the site is used on the others
after a sync, and so is its removal; an imported lab value travels as any value does, with its
file provenance (real encrypted sites, a real server)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import sync as sync_service
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.lab_import import commit_lab_import, preview_lab_import
from desktop_crf.services.lab_limits import form_limits
from desktop_crf.services.lab_ranges import list_lab_ranges, record_lab_range, remove_lab_range
from desktop_crf.services.subjects import screen_subject
from forms.lab_ranges import LabFlag, LabRange
from sync.server.app import create_app
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import FAST, enrolled_devices
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import login
from tests.sync.servers import ThreadServer

pytestmark = pytest.mark.e2e
LAB = "Ningbo No.2 central lab"
ALT = LabRange(
    laboratory=LAB, analyte="I.ALT", unit="U/L", lln="7", uln="40", valid_from=date(2026, 1, 1)
)


@pytest.fixture
def server(database, tmp_path):
    settings = ServerSettings(data_dir=tmp_path / "server", admin_token="admin-secret")
    with ThreadServer(create_app(settings, db=database)) as live:
        yield live, database


def test_ranges_and_imported_values_reach_the_other_computer(server, tmp_path) -> None:
    live, db = server
    with enrolled_devices(tmp_path, live.url, db) as (pc, tablet):
        admin = login(pc.root, "admin")
        try:
            record_lab_range(admin, ALT)
            sync_service.sync_now(admin, retry=FAST)
        finally:
            admin.close()
        sid = screen_subject(pc, study_version="1.0", screened_on="2026-01-02").subject_id
        assert sid is not None
        export = tmp_path / "lis.csv"
        export.write_text(
            f"subject,sample_date,test,result,unit,laboratory\n{sid},2026-01-10,ALT,45,U/L,{LAB}\n",
            encoding="utf-8",
        )
        plan = preview_lab_import(pc, export, today=date(2026, 2, 1))
        commit_lab_import(pc, export, expected=plan.digest, today=date(2026, 2, 1))
        sync_service.sync_now(pc, retry=FAST)
        sync_service.sync_now(tablet, retry=FAST)

        assert [r.lab_range for r in list_lab_ranges(tablet)] == [ALT]
        key = FormKey(sid, "SE.SCREENING", "F.LAB_LIVER")
        alt = form_limits(tablet, key).analytes["I.ALT"]
        assert (alt.uln, alt.uln_from, alt.flag) == ("40", "laboratory", LabFlag.HIGH)
        (detail,) = tablet.db.execute(
            "SELECT detail FROM audit WHERE subject = ? AND item = 'I.ALT' AND device <> ?",
            [sid, tablet.site.device],
        ).fetchone()
        assert json.loads(detail)["import"] == {"file_sha256": plan.sha256, "row": 2}

        admin = login(pc.root, "admin")
        try:
            remove_lab_range(admin, ALT, reason="recorded for the wrong laboratory")
            sync_service.sync_now(admin, retry=FAST)
        finally:
            admin.close()
        sync_service.sync_now(tablet, retry=FAST)
        assert list_lab_ranges(tablet) == []
        save_confirmed(tablet, key, [ItemInput("IG.LIVER", "I.ALT_ULN", "50")])  # no range now
        assert form_limits(tablet, key).analytes["I.ALT"].flag == LabFlag.NORMAL
