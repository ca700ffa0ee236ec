"""Exporting a site's clinical data as CDISC ODM 1.3.2: a Snapshot of the current values, or a
Transactional file with every change, its audit record and the hash chain that proves the
file's history unaltered (``crf odm verify``).

An export takes clinical data off the site, so it is itself an audit entry (``data.export``:
the format, file name, SHA-256 of the file, counts and, for a Transactional file, each
device's chain head). Investigators and monitors export; an admin sees no clinical data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from desktop_crf import __version__
from desktop_crf.errors import KnownError, NotFound
from desktop_crf.services.export_files import write_atomically
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import exports as store
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import utc_now
from desktop_crf.studies import bundled_forms, load_study
from odm.document import UnwritableValue
from odm.model import (
    AdminInfo,
    Definitions,
    FileInfo,
    SignatureInfo,
    SubjectRecord,
    UserInfo,
    form_records,
)
from odm.ranges import VisitRange, dated_visits, entry_in, subjects_within
from odm.snapshot import write_snapshot
from odm.transactional import ChainHead, write_transactional

#: The audit action of every export of clinical data.
EXPORT_ACTION = "data.export"

Progress = Callable[[int, int], None]

__all__ = [
    "EXPORT_ACTION",
    "ExportResult",
    "RangeNotValid",
    "ValueCannotBeExported",
    "export_odm",
    "visit_range",
]


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file, how many subjects or entries, its SHA-256."""

    path: Path
    count: int
    sha256: str


class RangeNotValid(KnownError):
    """The visit dates of a range are the wrong way round."""


def visit_range(start: date | None, end: date | None) -> VisitRange | None:
    """The visits dated ``start`` to ``end`` (None: no range).

    Raises:
        RangeNotValid: ``start`` is after ``end``.
    """
    if start is None and end is None:
        return None
    try:
        return VisitRange(start, end)
    except ValueError as exc:
        raise RangeNotValid(f"Nothing was exported: {exc}.") from exc


class ValueCannotBeExported(KnownError):
    """A stored value holds a control character that XML cannot carry; nothing was written."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"The export stopped: {where} holds a control character that an ODM file cannot "
            "carry. Correct that value (with a reason), then export again. No file was made."
        )


def export_odm(
    session: Session,
    path: Path | str,
    *,
    transactional: bool = False,
    subject: str | None = None,
    visits_from: date | None = None,
    visits_to: date | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the site's data (or one subject's) to ``path`` as ODM 1.3.2.

    Snapshot: every subject's current values with form status and latest signature.
    Transactional: every audit entry in each device's order, with its AuditRecord and hash.
    ``visits_from``/``visits_to``: only the visits whose recorded visit date is in that range
    (both included; the running logs, which have no visit date, are left out).
    ``progress(done, total)`` runs on the calling thread and may raise ``ExportCancelled``.

    Raises:
        PermissionDenied: the role may not export (or, for a Transactional file, not review
        the audit trail). NotFound: no such subject. RangeNotValid. ExportFailed: the folder
        is missing or not writable, or the disk is full. ValueCannotBeExported.
        ExportCancelled.
    """
    session.require(Permission.EXPORT)
    session.require(Permission.VIEW_DATA)
    if transactional:
        session.require(Permission.VIEW_AUDIT)
    target = Path(path)
    db = session.db
    ids = store.subject_ids(db, subject)
    if subject is not None and not ids:
        raise NotFound(f"There is no subject {subject}.")
    visits = visit_range(visits_from, visits_to)
    definitions = _site_definitions(session)
    admin = _admin_info(session, subject)
    kind = "Transactional" if transactional else "Snapshot"
    info = _file_info(session, kind, subject, visits)
    heads = [ChainHead(*head) for head in store.chain_heads(db)] if transactional else []
    counted: list[int] = [0]

    def write(out: IO[bytes]) -> None:
        try:
            if transactional:
                counted[0] = _write_transactional(
                    session, out, info, definitions, admin, heads, subject, visits, progress
                )
            else:
                counted[0] = _write_snapshot(
                    session, out, info, definitions, admin, ids, visits, progress
                )
        except UnwritableValue as exc:
            raise ValueCannotBeExported(exc.where) from exc

    def commit(digest: str, move: Callable[[], None]) -> None:
        detail: dict[str, Any] = {
            "format": "odm-transactional" if transactional else "odm-snapshot",
            "file": target.name,
            "sha256": digest,
            "count": counted[0],
            "file_oid": info.file_oid,
        }
        if subject is not None:
            detail["subject"] = subject
        if visits is not None:
            detail.update(visits.detail())
        if heads:
            detail["chain_heads"] = {h.device: [h.seq, h.hash] for h in heads}
        with session.write() as audit:
            audit.append(EXPORT_ACTION, subject=subject, detail=json.dumps(detail, sort_keys=True))
            move()

    digest = write_atomically(target, write, commit, what="The ODM file")
    return ExportResult(target, counted[0], digest)


def _site_definitions(session: Session) -> Definitions:
    """The site's study (its latest bundled version) and every bundled form."""
    return Definitions(load_study(session.site.study_id), bundled_forms())


def _admin_info(session: Session, subject: str | None = None) -> AdminInfo:
    """Everyone the data names (this site's users, other computers' and patients' entries,
    signers), the site, the signature meanings and units used (of one subject's data, or
    all)."""
    db = session.db
    users: dict[str, UserInfo] = {
        u.name: UserInfo(u.name, u.full_name, u.role) for u in repo.list_users(db)
    }
    for login, name in store.signers(db, subject).items():
        users.setdefault(login, UserInfo(login, name))
    named = store.trail_names(db, subject)
    for login in named.users:
        users.setdefault(login, UserInfo(login))
    return AdminInfo(
        site_code=session.site.site_code,
        site_name=f"Site {session.site.site_code}",
        users=tuple(users[k] for k in sorted(users)),
        signature_meanings=tuple(named.meanings),
        units=tuple(named.units),
    )


def _file_info(
    session: Session, kind: str, subject: str | None, visits: VisitRange | None = None
) -> FileInfo:
    created = utc_now()
    stamp = created.replace("-", "").replace(":", "").replace(".", "")
    scope = subject or session.site.site_code
    of_range = "" if visits is None else f" of {visits.describe()}"
    return FileInfo(
        file_oid=f"ODM.{session.site.study_id}.{scope}.{kind}.{stamp}",
        created=created,
        source_version=__version__,
        description=f"{session.site.display_name}: {kind.lower()} export{of_range}",
        granularity="SingleSubject" if subject else "SingleSite",
    )


def _write_snapshot(
    session: Session,
    out: IO[bytes],
    info: FileInfo,
    definitions: Definitions,
    admin: AdminInfo,
    ids: list[str],
    visits: VisitRange | None,
    progress: Progress | None,
) -> int:
    total = len(ids)
    step = None if progress is None else (lambda n: progress(n, total))
    subjects = subjects_within(_subject_records(session, ids), visits)
    return write_snapshot(out, info, definitions, admin, subjects, progress=step)


def _subject_records(session: Session, ids: list[str]) -> Iterator[SubjectRecord]:
    """Each subject's record, read one subject at a time."""
    db = session.db
    for subject_id in ids:
        subject = repo.get_subject(db, subject_id)
        if subject is None:
            continue
        values = (tuple(row[:8]) for row in repo.subject_values(db, subject_id))
        instances = (
            (f["event"], f["event_repeat"], f["form"], f["status"])
            for f in repo.subject_forms(db, subject_id)
        )
        signatures = {
            key: SignatureInfo(s["signer"], s["signed_at"], s["meaning"], s["content_hash"])
            for key, s in store.latest_signatures(db, subject_id).items()
        }
        forms = form_records(values, instances, signatures)
        yield SubjectRecord(subject_id, subject, forms, site=session.site.site_code)


def _write_transactional(
    session: Session,
    out: IO[bytes],
    info: FileInfo,
    definitions: Definitions,
    admin: AdminInfo,
    heads: list[ChainHead],
    subject: str | None,
    visits: VisitRange | None,
    progress: Progress | None,
) -> int:
    db = session.db
    total = store.entry_count(db, subject)
    step = None if progress is None else (lambda n: progress(n, total))
    devices = store.devices(db)
    if visits is None:
        # each entry as the store reads it, a row of its columns (``ROW_FIELDS``, a test
        # holds the two alike): no mapping made per entry
        rows = [store.device_rows(db, device, subject=subject) for device in devices]
        return write_transactional(
            out,
            info,
            definitions,
            admin,
            rows,
            heads=heads,
            complete=subject is None,
            rows=True,
            progress=step,
        )
    dated = dated_visits(store.visit_dates(db), visits)
    chains = [
        (e for e in store.device_entries(db, device, subject=subject) if entry_in(e, dated))
        for device in devices
    ]
    return write_transactional(
        out, info, definitions, admin, chains, heads=heads, complete=False, progress=step
    )
