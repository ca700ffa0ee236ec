"""Source data verification travels with sync: a monitor's marks reach the server's projection
and the site's other computer; a value changed on the other computer shows as changed since
verified everywhere until verified again; the server refuses SDV from a nurse. Real encrypted
sites, a real server on 127.0.0.1, SQLite and PostgreSQL."""

from __future__ import annotations

import json

import httpx
import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import monitoring, sdv
from desktop_crf.services import sync as sync_service
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.subjects import screen_subject
from desktop_crf.services.sync import SyncFailed
from sync.server.app import create_app
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import FAST, bind_monitor_key, enrolled_devices
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import PASSWORDS, login
from tests.sync.servers import ThreadServer
from tests.sync.sync_support import ADMIN

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(database, tmp_path):
    settings = ServerSettings(data_dir=tmp_path / "server", admin_token="admin-secret")
    with (
        ThreadServer(create_app(settings, db=database)) as live,
        httpx.Client(base_url=live.url, headers=ADMIN, timeout=30) as admin,
    ):
        yield live, database, admin


def _sync(session):
    return sync_service.sync_now(session, retry=FAST)


def _liver(nurse, key: FormKey, alt: str, **options) -> None:
    items = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-12-24"),
        ItemInput("IG.LIVER", "I.ALT", alt, "U/L"),
    ]
    save_confirmed(nurse, key, items, **options)


def _on_server(admin: httpx.Client) -> dict[str, tuple[int, bool]]:
    answer = admin.get("/v1/sites/NB02/sdv")
    assert answer.status_code == 200, answer.text
    return {v["item"]: (v["verified_rev"], v["changed"]) for v in answer.json()["values"]}


def _changed(session, key: FormKey) -> list[str]:
    return sorted(p[2] for p, m in sdv.form_sdv(session, key).items() if m.changed)


def test_sdv_state_converges_on_both_computers_and_the_server(server, tmp_path) -> None:
    live, db, admin = server
    with enrolled_devices(tmp_path, live.url, db) as (pc, tablet):
        subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
        key = FormKey(subject, "SE.W12", "F.LAB_LIVER")
        _liver(pc, key, "41")
        _sync(pc)
        monitor = login(tmp_path / "pc", "monitor")
        try:
            bind_monitor_key(monitor, db)  # her first visit at this computer
            monitoring.start_visit(monitor, "Routine visit")
            sdv.verify_form(monitor, key)  # offline: no server involved
            assert _on_server(admin) == {}
            (visit,) = monitoring.monitoring_visits(monitor)
            monitoring.close_visit(monitor, visit.visit, "All source documents seen.")
            monitoring.sign_visit_report(monitor, visit.visit, PASSWORDS["monitor"])
            _sync(monitor)
        finally:
            monitor.close()
        assert _on_server(admin) == {"I.ALT": (1, False), "I.SAMPLE_DATE": (1, False)}

        _sync(tablet)
        assert {p[2] for p in sdv.form_sdv(tablet, key)} == {"I.ALT", "I.SAMPLE_DATE"}
        # the visit and its signed report reached the other computer, the signature intact
        (seen,) = monitoring.monitoring_visits(tablet)
        assert (seen.remarks, seen.started_by) == ("All source documents seen.", "monitor")
        report = monitoring.visit_report(tablet, seen.visit)
        assert report.signature_valid is True
        assert report.summary.verified == [(subject, "SE.W12", 1, "F.LAB_LIVER", 2)]
        assert _changed(tablet, key) == []
        _liver(tablet, key, "45", reason="lab report re-read")
        assert _changed(tablet, key) == ["I.ALT"]  # at once on the computer that changed it
        _sync(tablet)
        assert _on_server(admin)["I.ALT"] == (1, True)

        _sync(pc)
        assert _changed(pc, key) == ["I.ALT"]
        (changed,) = sdv.changed_since_verified(pc)
        assert (changed.item, changed.value, changed.rev) == ("I.ALT", "45", 2)

        monitor = login(tmp_path / "tablet", "monitor")
        try:
            bind_monitor_key(monitor, db)
            sdv.verify_item(monitor, key, item_group="IG.LIVER", item="I.ALT")
            _sync(monitor)
        finally:
            monitor.close()
        assert _on_server(admin) == {"I.ALT": (2, False), "I.SAMPLE_DATE": (1, False)}
        _sync(pc)
        assert _changed(pc, key) == []
        assert sdv.site_progress(pc).total.verified == 2
        assert sdv.site_progress(tablet).total == sdv.site_progress(pc).total


def test_the_server_refuses_sdv_from_a_nurse(server, tmp_path) -> None:
    live, db, admin = server
    with enrolled_devices(tmp_path, live.url, db, names=("pc",)) as (pc,):
        subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
        key = FormKey(subject, "SE.W12", "F.LAB_LIVER")
        _liver(pc, key, "41")
        _sync(pc)
        # written behind the app's back by someone who can unlock the site as a nurse
        with pc.write() as audit:
            audit.append(
                "sdv.verify",
                **key.audit_place(),
                detail=json.dumps({"items": [["IG.LIVER", 1, "I.ALT", 1]]}),
            )
        with pytest.raises(SyncFailed, match="may not verify data against the source"):
            _sync(pc)
        assert _on_server(admin) == {}
        (refused,) = sync_service.quarantined_sets(pc)
        assert refused["code"] == "forbidden_entry"
