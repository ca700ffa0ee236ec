"""AE reconciliation across the site's computers: a suggestion declined on one computer is not
offered on the other after a sync, which shows who declined it and why; an AE created from a
lab value on one computer is flagged for review on the other when that value is corrected
there (real encrypted sites, a real server)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import sync as sync_service
from desktop_crf.services.adverse_events import (
    add_adverse_event,
    adverse_events,
    decline_suggestion,
    declined_suggestions,
    lab_suggestions,
    suggestion_values,
)
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.subjects import screen_subject
from sync.server.app import create_app
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import FAST, enrolled_devices
from tests.helpers.saving import save_confirmed
from tests.sync.servers import ThreadServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(database, tmp_path):
    settings = ServerSettings(data_dir=tmp_path / "server", admin_token="admin-secret")
    with ThreadServer(create_app(settings, db=database)) as live:
        yield live, database


def _sync(*sessions) -> None:
    for session in sessions:
        sync_service.sync_now(session, retry=FAST)


def _labs(session, sid: str, *, alt: str, tbil: str, reason: str | None = None) -> FormKey:
    key = FormKey(sid, "SE.W12", "F.LAB_LIVER")
    items = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-04-10"),
        ItemInput("IG.LIVER", "I.ALT", alt),
        ItemInput("IG.LIVER", "I.ALT_ULN", "40"),
        ItemInput("IG.LIVER", "I.TBIL", tbil),
        ItemInput("IG.LIVER", "I.TBIL_ULN", "21"),
    ]
    save_confirmed(session, key, items, reason=reason)
    return key


def test_decisions_about_suggestions_reach_the_other_computer(server, tmp_path) -> None:
    live, db = server
    with enrolled_devices(tmp_path, live.url, db) as (pc, tablet):
        sid = screen_subject(pc, study_version="1.0", screened_on="2026-01-02").subject_id
        assert sid is not None
        key = _labs(pc, sid, alt="1250", tbil="70")
        alt, tbil = lab_suggestions(pc, key)
        add_adverse_event(pc, sid, suggestion_values(alt))
        decline_suggestion(pc, key, tbil, reason="Gilbert syndrome, known before the study")
        _sync(pc, tablet)

        assert lab_suggestions(tablet, key) == []  # one in the log, one declined
        (declined,) = declined_suggestions(tablet, sid)
        assert (declined.user, declined.reason) == (
            "nurse",
            "Gilbert syndrome, known before the study",
        )
        _labs(tablet, sid, alt="125", tbil="70", reason="transcription error")
        assert lab_suggestions(tablet, key) == []  # no duplicate of the AE in the log
        (event,) = adverse_events(tablet, sid, now=datetime(2026, 4, 20, tzinfo=UTC))
        assert event.review is not None
        assert (event.review.old, event.review.new) == ("1250", "125")
        _sync(tablet, pc)
        (event,) = adverse_events(pc, sid, now=datetime(2026, 4, 20, tzinfo=UTC))
        assert event.review is not None
