"""A monitoring visit run offline on the site's computer: started, worked (verify, query,
follow up), closed with remarks and the summary of what it did, its report signed with the
password again (real encrypted site)."""

from __future__ import annotations

import json

import pytest

from desktop_crf.errors import PermissionDenied, WrongPassword
from desktop_crf.model import FormKey
from desktop_crf.services import monitoring, sdv
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.queries import (
    QueryTarget,
    answer_query,
    close_query,
    query_ref,
    raise_query,
    server_queries,
)
from desktop_crf.services.session import Session
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import PASSWORDS


def _liver(nurse: Session, key: FormKey, alt: str, **options) -> None:
    items = [
        ItemInput("IG.LIVER", "I.ALT", alt, "U/L"),
        ItemInput("IG.LIVER", "I.AST", "30", "U/L"),
    ]
    save_confirmed(nurse, key, items, **options)


def test_only_a_monitor_runs_a_visit(nurse: Session) -> None:
    with pytest.raises(PermissionDenied):
        monitoring.start_visit(nurse, "routine")


def test_a_whole_visit_offline_summarised_closed_and_signed(
    nurse: Session, monitor: Session, subject: str
) -> None:
    before = FormKey(subject, "SE.W12", "F.LAB_LIVER")
    _liver(nurse, before, "41")
    sdv.verify_form(monitor, before)  # before the visit: not in its summary

    monitoring.start_visit(monitor, "Routine visit 3")
    visit = monitoring.current_visit(monitor)
    assert visit is not None
    assert (visit.purpose, visit.started_by, visit.is_open) == ("Routine visit 3", "monitor", True)
    with pytest.raises(monitoring.VisitAlreadyOpen):
        monitoring.start_visit(monitor)

    key = FormKey(subject, "SE.W24", "F.LAB_LIVER")
    _liver(nurse, key, "52")
    sdv.verify_form(monitor, key)
    raise_query(monitor, QueryTarget(subject, event="SE.W24", form="F.LAB_LIVER"), "Source?")
    ref = query_ref(server_queries(monitor)[0])
    answer_query(nurse, ref, "Lab report filed.")
    close_query(monitor, ref, "Seen.")
    raise_query(monitor, QueryTarget(subject), "Consent version 2.1 on file?")
    _liver(nurse, before, "44", reason="re-read")  # changed since verified

    summary = monitoring.visit_summary(monitor, visit.visit)
    assert summary.verified == [(subject, "SE.W24", 1, "F.LAB_LIVER", 2)]
    assert [s.text for s in summary.raised] == ["Source?", "Consent version 2.1 on file?"]
    assert [s.text for s in summary.closed] == ["Seen."]
    assert summary.changed == [(subject, "SE.W12", 1, "F.LAB_LIVER", "I.ALT")]
    assert (summary.open_queries, summary.answered_waiting) == (1, 0)

    monitoring.close_visit(monitor, visit.visit, "Site well organised; ALT corrected at W12.")
    assert monitoring.current_visit(monitor) is None
    sdv.verify_form(monitor, before)  # after the close: the summary stays as recorded
    closed = monitoring.visit_summary(monitor, visit.visit)
    assert closed == summary
    (record,) = monitoring.monitoring_visits(monitor)
    assert record.remarks == "Site well organised; ALT corrected at W12."
    assert record.content_hash is not None

    with pytest.raises(WrongPassword):
        monitoring.sign_visit_report(monitor, visit.visit, "not-the-password")
    assert monitoring.visit_report(monitor, visit.visit).signature_valid is None
    monitoring.sign_visit_report(monitor, visit.visit, PASSWORDS["monitor"])
    report = monitoring.visit_report(monitor, visit.visit)
    assert report.signature_valid is True
    assert report.visit.signature is not None
    assert report.visit.signature["content_hash"] == record.content_hash
    assert report.visit.signature["meaning"] == monitoring.DEFAULT_REPORT_MEANING
    with pytest.raises(monitoring.ReportSigned):
        monitoring.sign_visit_report(monitor, visit.visit, PASSWORDS["monitor"])

    actions = [
        r[0]
        for r in monitor.db.execute(
            "SELECT action FROM audit WHERE action LIKE 'monitoring.%' ORDER BY seq"
        )
    ]
    assert actions == ["monitoring.visit.start", "monitoring.visit.close", "monitoring.visit.sign"]
    (detail,) = monitor.db.execute(
        "SELECT detail FROM audit WHERE action = 'monitoring.visit.close'"
    ).fetchone()
    assert json.loads(detail)["content_hash"] == record.content_hash


def test_a_report_is_signed_only_once_closed(monitor: Session) -> None:
    monitoring.start_visit(monitor)
    visit = monitoring.current_visit(monitor)
    assert visit is not None
    with pytest.raises(monitoring.VisitNotClosed):
        monitoring.sign_visit_report(monitor, visit.visit, PASSWORDS["monitor"])


def test_the_query_and_sdv_reports_gather_what_they_print(
    nurse: Session, monitor: Session, subject: str
) -> None:
    raise_query(monitor, QueryTarget(subject), "Consent version?")
    answer_query(nurse, query_ref(server_queries(monitor)[0]), "2.1")
    report = monitoring.query_report(monitor, subject)
    ((query,),) = (report.queries,)
    assert (query.status, [a.text for a in query.answers]) == ("answered", ["2.1"])
    key = FormKey(subject, "SE.W12", "F.LAB_LIVER")
    _liver(nurse, key, "41")
    sdv.verify_form(monitor, key)
    _liver(nurse, key, "45", reason="re-read")
    sdv_report = monitoring.sdv_report(monitor)
    assert sdv_report.subjects[subject].changed == 1
    assert [c.item for c in sdv_report.changed] == ["I.ALT"]
