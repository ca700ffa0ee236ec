"""The study report reads what the server holds the same way on SQLite and PostgreSQL:
subjects from their entries, values from the projection, the first entry of a visit date."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sync.client import SyncClient
from sync.server.report import build_report
from tests.sync.sync_support import FAST, enrol_device

PLACE = dict.fromkeys(("event", "event_repeat", "form", "item_group", "group_repeat", "item"))


def test_the_report_reads_subjects_values_and_entry_times(http, database) -> None:
    identity, store = enrol_device(http, database, "NB01-PC", site="NB01", study="NCT07553767")
    subject = {
        "status": "enrolled",
        "arm": "PEG_NA",
        "study_id": "NCT07553767",
        "study_version": "1.0",
        "anchor_date": "2026-01-05",
        "enrolled_on": "2026-01-05",
        "screened_on": "2025-12-20",
    }
    fields = {**PLACE, "base_rev": None, "subject": "NB01-001"}
    store.add(1, **fields, action="subject.create", new=json.dumps({"status": "screening"}))
    store.add(1, **fields, action="subject.update", new=json.dumps(subject))
    visit = {"subject": "NB01-001", "event": "SE.W0", "event_repeat": 1, "group_repeat": 1}
    store.add(1, **visit, form="F.VISIT", item_group="IG.VISIT", item="I.VISIT_DATE",
              new="2026-01-05", ts="2026-01-07T09:00:00.000000Z")  # fmt: skip
    store.add(1, **visit, form="F.VISIT", item_group="IG.VISIT", item="I.VISIT_DATE",
              new="2026-01-06", base_rev=1, ts="2026-01-09T09:00:00.000000Z")  # fmt: skip
    store.add(1, **visit, form="F.LAB_VIROLOGY", item_group="IG.HBSAG", item="I.HBSAG",
              new="<0.05", unit="IU/mL")  # fmt: skip
    with SyncClient("http://unused", identity, http=http, retry=FAST) as client:
        assert client.sync_round(store).uploaded_entries == 5
    now = datetime(2026, 2, 1, 12, tzinfo=UTC)
    summary, rows, page = build_report(database, "NCT07553767", today=now.date(), now=now)
    assert summary.enrolment.enrolled == 1
    assert [a.enrolled for a in summary.enrolment.arms] == [1, 0]
    loss = next(m for m in summary.markers if m.id == "hbsag_loss")
    week0 = next(p for p in loss.points if p.visit == "SE.W0")
    assert dict(week0.arms)["PEG_NA"].successes == 1
    (row,) = rows
    assert (row.site, row.enrolled, row.visits_entered, row.devices) == ("NB01", 1, 1, 1)
    assert row.entry_lag_median == 2  # first entered on the 7th for a visit on the 5th
    assert row.last_seen is not None
    assert "NB01" in page
    week0 = next(v for v in summary.visits.visits if v.oid == "SE.W0")
    assert week0.late == 1  # its date is now the 6th: the day after the first dose
