"""A monitor's visit to the site: start it, work (verify, query, follow up), close it with
remarks and a summary of what was done, and sign the report — offline, each step an audit entry
(``monitoring.visit.start``, ``.close``, ``.sign``) that sync carries to the server and the
site's other computers.

The summary is read from the trail: the values the monitor verified (``sdv.verify``), the
queries raised, closed and reopened by the monitor during the visit, and the values changed
since verified when it closed. Closing records the summary, the remarks and their SHA-256 (the
report's content hash); the signature (the password again, the printed name, the meaning, as for
forms) is linked to that hash, so the report and its signature cannot part.

Public API: ``start_visit``, ``current_visit``, ``visit_summary``, ``close_visit``,
``sign_visit_report``, ``monitoring_visits``, ``visit_report``, ``query_report``,
``sdv_report``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from desktop_crf.errors import InvalidInput, NotFound
from desktop_crf.model import Changes, SiteInfo
from desktop_crf.services.export_files import write_atomically
from desktop_crf.services.odm_export import EXPORT_ACTION, ExportResult
from desktop_crf.services.permissions import Permission
from desktop_crf.services.queries import Query, server_queries
from desktop_crf.services.sdv import (
    ChangedValue,
    Counts,
    FormDue,
    changed_since_verified,
    critical_due,
    site_progress,
)
from desktop_crf.services.session import Session
from desktop_crf.services.site import check_password_of
from desktop_crf.store import monitoring as store
from desktop_crf.store import sdv as sdv_store
from desktop_crf.store.audit import trail, utc_now
from desktop_crf.store.monitoring import VisitRecord
from desktop_crf.studies import load_study
from forms.text import Text

__all__ = [
    "DEFAULT_REPORT_MEANING",
    "NotYourVisit",
    "QueryReport",
    "ReportSigned",
    "SdvReport",
    "VisitAlreadyOpen",
    "VisitNotClosed",
    "VisitRecord",
    "VisitReport",
    "VisitSummary",
    "close_visit",
    "current_visit",
    "export_report",
    "monitoring_visits",
    "query_report",
    "sdv_report",
    "sign_visit_report",
    "start_visit",
    "visit_report",
    "visit_summary",
]

DEFAULT_REPORT_MEANING = "I confirm this monitoring visit report"
_MAX_TEXT = 4000


class VisitAlreadyOpen(InvalidInput):
    def __init__(self, started_at: str) -> None:
        super().__init__(
            f"Your monitoring visit started at {started_at} is still open: close it before "
            "starting another."
        )


class VisitNotClosed(InvalidInput):
    def __init__(self) -> None:
        super().__init__("Close the visit (with your remarks) before signing its report.")


class NotYourVisit(InvalidInput):
    def __init__(self, by: str) -> None:
        super().__init__(
            f"This visit was run by {by}: only that monitor closes it and signs its report."
        )


class ReportSigned(InvalidInput):
    def __init__(self) -> None:
        super().__init__("This visit report is signed already.")


# -- the visit's steps -------------------------------------------------------------------------


def start_visit(session: Session, purpose: str = "") -> Changes:
    """Start a monitoring visit (one open visit per monitor).

    Raises:
        PermissionDenied: anyone but a monitor. VisitAlreadyOpen. InvalidInput: a purpose
        longer than 4,000 characters.
    """
    session.require(Permission.MONITORING_VISIT)
    text = _text(purpose)
    with session.write() as audit:
        held = store.open_visit(session.db, session.user)
        if held is not None:
            raise VisitAlreadyOpen(held.started_at)
        detail = json.dumps({"visit": secrets.token_hex(16)})
        entry = audit.append(store.START, new=text, detail=detail)
        store.apply_entry(session.db, entry)
    return Changes(kind="monitoring")


def current_visit(session: Session) -> VisitRecord | None:
    """This monitor's open visit, if any."""
    session.require(Permission.VIEW_DATA)
    return store.open_visit(session.db, session.user)


def monitoring_visits(session: Session) -> list[VisitRecord]:
    """Every monitoring visit of the site (any computer's), newest first."""
    session.require(Permission.VIEW_DATA)
    return store.list_visits(session.db)


def close_visit(session: Session, visit: str, remarks: str) -> Changes:
    """Close the visit: its summary (``visit_summary`` now), the remarks and their hash are
    recorded in one entry; nothing the monitor does later counts in it.

    Raises:
        PermissionDenied, NotFound, NotYourVisit, InvalidInput (closed already, remarks too
        long).
    """
    session.require(Permission.MONITORING_VISIT)
    text = _text(remarks)
    with session.write() as audit:
        record = _visit(session, visit)
        if not record.is_open:
            raise InvalidInput("This visit is closed already.")
        summary = _summary(session, record, until=None).to_record()
        digest = content_hash(record, remarks=text, summary=summary)
        detail = {"visit": visit, "summary": summary, "content_hash": digest}
        entry = audit.append(store.CLOSE, new=text, detail=json.dumps(detail, sort_keys=True))
        store.apply_entry(session.db, entry)
    return Changes(kind="monitoring")


def sign_visit_report(
    session: Session, visit: str, password: str, *, meaning: str = DEFAULT_REPORT_MEANING
) -> Changes:
    """Sign a closed visit's report: the password again, the printed name, the meaning, and
    the report's content hash.

    Raises:
        PermissionDenied, NotFound, NotYourVisit, VisitNotClosed, ReportSigned, InvalidInput
        (no meaning), WrongPassword.
    """
    session.require(Permission.MONITORING_VISIT)
    if not meaning.strip():
        raise InvalidInput("Say what the signature means, e.g. 'I confirm this report'.")
    record = _visit(session, visit)
    _check_signable(record)
    check_password_of(session, password)
    with session.write() as audit:
        record = _visit(session, visit)
        _check_signable(record)
        signature = {
            "visit": visit,
            "signer": session.user,
            "signer_name": session.full_name,
            "meaning": meaning.strip(),
            "signed_at": utc_now(),
            "content_hash": str(record.content_hash),
        }
        entry = audit.append(store.SIGN, detail=json.dumps(signature, sort_keys=True))
        store.apply_entry(session.db, entry)
    return Changes(kind="monitoring")


def _check_signable(record: VisitRecord) -> None:
    if record.is_open:
        raise VisitNotClosed()
    if record.signature is not None:
        raise ReportSigned()


def _visit(session: Session, visit: str) -> VisitRecord:
    record = store.get_visit(session.db, visit)
    if record is None:
        raise NotFound("This monitoring visit is not on this computer.")
    if record.started_by != session.user:
        raise NotYourVisit(record.started_by)
    return record


def _text(text: str) -> str | None:
    body = text.strip()
    if len(body) > _MAX_TEXT:
        raise InvalidInput(f"The text is longer than {_MAX_TEXT} characters. Shorten it.")
    return body or None


def content_hash(record: VisitRecord, *, remarks: str | None, summary: dict[str, Any]) -> str:
    """The SHA-256 a visit report's signature is linked to: who ran the visit and when, its
    purpose, the remarks and the summary (canonical JSON)."""
    doc = {
        "visit": record.visit,
        "started_at": record.started_at,
        "started_by": record.started_by,
        "purpose": record.purpose,
        "remarks": remarks,
        "summary": summary,
    }
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# -- what a visit did --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A query raised, closed or reopened during the visit: where (the entry's place), the
    text, when."""

    subject: str
    text: str
    at: str
    event: str | None = None
    event_repeat: int | None = None
    form: str | None = None
    item: str | None = None
    group_repeat: int | None = None

    @property
    def place(self) -> dict[str, Any]:
        """The place fields, as ``Labels.place`` words them."""
        return {k: v for k, v in self.__dict__.items() if k not in ("text", "at")}


@dataclass(frozen=True)
class VisitSummary:
    """What was verified, queried, closed, reopened and found changed during a visit."""

    verified: list[tuple[str, str, int, str, int]] = field(default_factory=list)
    raised: list[Step] = field(default_factory=list)
    closed: list[Step] = field(default_factory=list)
    reopened: list[Step] = field(default_factory=list)
    changed: list[tuple[str, str, int, str, str]] = field(default_factory=list)
    answered_waiting: int = 0
    open_queries: int = 0

    @property
    def values_verified(self) -> int:
        return sum(row[4] for row in self.verified)

    def to_record(self) -> dict[str, Any]:
        return {
            "verified": [list(row) for row in self.verified],
            "raised": [s.__dict__ for s in self.raised],
            "closed": [s.__dict__ for s in self.closed],
            "reopened": [s.__dict__ for s in self.reopened],
            "changed": [list(row) for row in self.changed],
            "answered_waiting": self.answered_waiting,
            "open_queries": self.open_queries,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> VisitSummary:
        return cls(
            [tuple(row) for row in record.get("verified", [])],
            [Step(**s) for s in record.get("raised", [])],
            [Step(**s) for s in record.get("closed", [])],
            [Step(**s) for s in record.get("reopened", [])],
            [tuple(row) for row in record.get("changed", [])],
            int(record.get("answered_waiting", 0)),
            int(record.get("open_queries", 0)),
        )


def visit_summary(session: Session, visit: str) -> VisitSummary:
    """A visit's summary: as recorded when it closed, or so far while it is open."""
    session.require(Permission.VIEW_DATA)
    record = store.get_visit(session.db, visit)
    if record is None:
        raise NotFound("This monitoring visit is not on this computer.")
    if record.summary is not None:
        return VisitSummary.from_record(record.summary)
    return _summary(session, record, until=None)


def _summary(session: Session, record: VisitRecord, *, until: str | None) -> VisitSummary:
    db, by = session.db, record.started_by
    verified = sdv_store.verified_between(db, by=by, since=record.started_at, until=until)
    steps: dict[str, list[Step]] = {"query.raise": [], "query.close": [], "query.reopen": []}
    for entry in trail(db, user=by, since=record.started_at, until=until):
        if entry["action"] in steps and entry["subject"]:
            step = Step(
                str(entry["subject"]),
                str(entry["new"] or ""),
                str(entry["ts"]),
                **{k: entry[k] for k in ("event", "event_repeat", "form", "item", "group_repeat")},
            )
            steps[entry["action"]].append(step)
    changed = [_changed_row(c) for c in sdv_store.changed_values(db)]
    queries = [q for q in server_queries(session) if q.kind == "monitor"]
    return VisitSummary(
        verified,
        steps["query.raise"],
        steps["query.close"],
        steps["query.reopen"],
        changed,
        sum(q.status == "answered" for q in queries),
        sum(q.status == "open" for q in queries),
    )


def _changed_row(value: ChangedValue) -> tuple[str, str, int, str, str]:
    key = value.key
    return (key.subject_id, key.event, key.event_repeat, key.form, value.item)


# -- the reports printed -----------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """What heads every printed report: the site, the study, who printed it and when."""

    site: SiteInfo
    study_title: Text
    printed_by: str
    printed_at: str


def _printed(session: Session) -> Printed:
    study = load_study(session.site.study_id)
    return Printed(session.site, study.title, session.full_name or session.user, utc_now())


@dataclass(frozen=True)
class VisitReport:
    """A monitoring visit report, ready to print: the visit, its summary and signature (with
    whether the signature still matches the report)."""

    printed: Printed
    visit: VisitRecord
    summary: VisitSummary
    signature_valid: bool | None  # None: not signed


def visit_report(session: Session, visit: str) -> VisitReport:
    """Raises: NotFound."""
    session.require(Permission.VIEW_DATA)
    record = store.get_visit(session.db, visit)
    if record is None:
        raise NotFound("This monitoring visit is not on this computer.")
    summary = visit_summary(session, visit)
    valid = None
    if record.signature is not None and record.summary is not None:
        digest = content_hash(record, remarks=record.remarks, summary=record.summary)
        valid = digest == record.content_hash == record.signature.get("content_hash")
    return VisitReport(_printed(session), record, summary, valid)


@dataclass(frozen=True)
class QueryReport:
    """The site's queries (or one subject's), each with its answers and history."""

    printed: Printed
    subject: str | None
    queries: list[Query]


def query_report(session: Session, subject_id: str | None = None) -> QueryReport:
    session.require(Permission.VIEW_DATA)
    return QueryReport(_printed(session), subject_id, server_queries(session, subject_id))


@dataclass(frozen=True)
class SdvReport:
    """SDV progress per subject, the values changed since verified and the critical data
    never verified."""

    printed: Printed
    subjects: dict[str, Counts]
    total: Counts
    sample_percent: int
    changed: list[ChangedValue]
    due: list[FormDue]


def sdv_report(session: Session) -> SdvReport:
    session.require(Permission.VIEW_DATA)
    progress = site_progress(session)
    return SdvReport(
        _printed(session),
        progress.subjects,
        progress.total,
        progress.sample_percent,
        changed_since_verified(session),
        critical_due(session),
    )


#: The reports a monitor prints, and what each needs.
REPORTS = ("visit-report", "query-report", "sdv-report")


def export_report(
    session: Session,
    path: Path | str,
    *,
    kind: str,
    render: Callable[[Any, IO[bytes]], None],
    visit: str | None = None,
    subject: str | None = None,
) -> ExportResult:
    """Write a report as PDF (``render(report, out)`` draws it: ``desktop_crf.printing``) and
    record the export (``data.export``: format, file, SHA-256), both or neither, as every
    export of clinical data is.

    Args:
        kind: ``visit-report`` (needs ``visit``), ``query-report`` (the site's, or
            ``subject``'s) or ``sdv-report``.

    Raises:
        PermissionDenied: a role that may not export. NotFound: no such visit. ExportFailed.
    """
    session.require(Permission.EXPORT)
    report: VisitReport | QueryReport | SdvReport
    if kind == "visit-report":
        report = visit_report(session, str(visit))
    elif kind == "query-report":
        report = query_report(session, subject)
    elif kind == "sdv-report":
        report = sdv_report(session)
    else:
        raise InvalidInput(f"There is no report {kind!r}: choose one of {', '.join(REPORTS)}.")
    target = Path(path)

    def commit(digest: str, move: Callable[[], None]) -> None:
        detail = {"format": f"{kind}-pdf", "file": target.name, "sha256": digest}
        if visit is not None:
            detail["visit"] = visit
        with session.write() as audit:
            audit.append(EXPORT_ACTION, subject=subject, detail=json.dumps(detail, sort_keys=True))
            move()

    digest = write_atomically(target, lambda out: render(report, out), commit, what="The report")
    return ExportResult(target, 1, digest)
