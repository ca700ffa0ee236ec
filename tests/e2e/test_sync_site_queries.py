"""A monitor visiting the site raises a query in the site's app, offline; it reaches the server
and the other device, is answered there, and the monitor closes it from the site's app (real
encrypted sites, a real server, SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from desktop_crf.services import sync as sync_service
from desktop_crf.services.queries import (
    Query,
    QueryTarget,
    answer_query,
    close_query,
    is_pending,
    query_ref,
    raise_query,
    reopen_query,
    server_queries,
)
from desktop_crf.services.subjects import screen_subject
from sync.server.app import create_app
from sync.server.registry import utc_now
from sync.server.settings import ServerSettings
from sync.server.signers import issue_monitor_token
from tests.helpers.enrolled import FAST, bind_monitor_key, enrolled_devices
from tests.helpers.sites import login
from tests.sync.servers import ThreadServer
from tests.sync.sync_support import ADMIN

pytestmark = pytest.mark.e2e

TEXT = "ALT 410 U/L against 41 U/L at screening: please check the lab report."


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


def _on_server(admin: httpx.Client) -> list[dict]:
    response = admin.get("/v1/sites/NB02/queries")
    assert response.status_code == 200, response.text
    return list(response.json()["queries"])


def test_a_query_raised_offline_at_the_site_is_answered_and_closed(server, tmp_path) -> None:
    live, db, admin = server
    with enrolled_devices(tmp_path, live.url, db) as (pc, tablet):
        subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
        _sync(pc)
        _sync(tablet)
        monitor = login(tmp_path / "pc", "monitor")
        try:
            token = issue_monitor_token(
                db, "NB02", "monitor", ttl=timedelta(hours=1), now=utc_now()
            )
            sync_service.bind_monitor(monitor, token=token, retry=FAST)  # the first visit
            target = QueryTarget(
                subject, event="SE.W0", form="F.LAB_VIRO", item_group="IG.V", item="I.ALT"
            )
            raise_query(monitor, target, TEXT)  # no server involved: the site may be offline
            (pending,) = server_queries(monitor)
            assert is_pending(pending)
            assert pending.is_pending
            assert _on_server(admin) == []

            # the monitor's login, the key bound, and the query
            assert _sync(monitor).uploaded_entries == 3
            (query,) = _on_server(admin)
            assert (query["status"], query["text"], query["opened_by"]) == ("open", TEXT, "monitor")
            assert query["origin"] == pending.origin.model_dump()
            assert query["opened_at"] == pending.opened_at
            assert (query["event_repeat"], query["group_repeat"]) == (1, 1)
            # the pending record was replaced by the server's copy, not added to
            assert server_queries(monitor) == [Query.from_record(query)]

            _sync(tablet)
            assert server_queries(tablet) == [Query.from_record(query)]
            answer_query(tablet, query["id"], "Lab report checked: 410 U/L is right.")
            _sync(tablet)

            _sync(monitor)
            (answered,) = server_queries(monitor)
            assert answered.status == "answered"
            assert [a.by for a in answered.answers] == ["nurse"]
            close_query(monitor, query["id"], "Thank you, resolved.")
            assert server_queries(monitor)[0].status == "closed"  # at once, before any sync
            assert _sync(monitor).uploaded_entries == 1
        finally:
            monitor.close()

        _sync(tablet)
        (final,) = _on_server(admin)
        assert (final["status"], final["closed_by"], final["close_text"]) == (
            "closed",
            "monitor",
            "Thank you, resolved.",
        )
        assert [(h["status"], h["by"], h["device"]) for h in final["history"]] == [
            ("closed", "monitor", pc.site.device)
        ]
        assert server_queries(tablet) == [Query.from_record(final)]
        assert server_queries(pc) == [Query.from_record(final)]
        assert sync_service.sync_status(tablet).open_queries == 0
        closed = admin.get("/v1/sites/NB02/queries?status=closed").json()["queries"]
        assert [q["id"] for q in closed] == [query["id"]]
        actions = tablet.db.execute(
            "SELECT action FROM audit WHERE device = ? AND action LIKE 'query.%' ORDER BY seq",
            [pc.site.device],
        ).fetchall()
        assert [a[0] for a in actions] == ["query.raise", "query.close"]


def test_a_querys_whole_life_offline_on_one_computer_then_synced_once(server, tmp_path) -> None:
    """Raised, answered, closed, reopened, answered again and closed on the computer where it
    was raised, before any sync; then one sync: the server holds one query with every step,
    the computer holds the server's copy and no pending one, the other computer the same."""
    live, db, admin = server
    with enrolled_devices(tmp_path, live.url, db) as (pc, tablet):
        subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
        _sync(pc)
        monitor = login(tmp_path / "pc", "monitor")
        try:
            bind_monitor_key(monitor, db)  # her first visit at this computer
            target = QueryTarget(subject, event="SE.W0", form="F.LAB_LIVER")
            raise_query(monitor, target, TEXT)
            ref = query_ref(server_queries(monitor)[0])
            answer_query(pc, ref, "Checked: 410 U/L.")
            close_query(monitor, ref, "Thank you.")
            reopen_query(monitor, ref, "Please add the report date.")
            answer_query(pc, ref, "Report of 2026-10-01.")
            close_query(monitor, ref, "Resolved.")
            (local,) = server_queries(monitor)
            assert (local.is_pending, local.status) == (True, "closed")
            assert _on_server(admin) == []

            _sync(monitor)
            (query,) = _on_server(admin)
            (held,) = server_queries(monitor)
            assert held == Query.from_record(query)  # the server's copy, not a second one
            assert held.id is not None
            assert not held.is_pending
            assert (query["status"], query["close_text"]) == ("closed", "Resolved.")
            assert [a["text"] for a in query["answers"]] == [
                "Checked: 410 U/L.",
                "Report of 2026-10-01.",
            ]
            assert [(h["status"], h["text"]) for h in query["history"]] == [
                ("closed", "Thank you."),
                ("open", "Please add the report date."),
                ("closed", "Resolved."),
            ]
            assert _sync(monitor).uploaded_entries == 0  # nothing sent twice
            assert server_queries(monitor) == [Query.from_record(query)]
        finally:
            monitor.close()
        _sync(tablet)
        assert server_queries(tablet) == [Query.from_record(query)]
        assert len(_on_server(admin)) == 1
