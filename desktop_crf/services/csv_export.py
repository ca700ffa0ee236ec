"""Exporting a site's clinical data for analysis: a zip of one CSV per form, the subjects, a
data dictionary in both languages, R, SAS and SPSS read scripts and a manifest of SHA-256
hashes (:mod:`odm.tabular`). Like every export, it is an audit entry (``data.export``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO, Any

from desktop_crf.errors import NotFound
from desktop_crf.services.export_files import write_atomically
from desktop_crf.services.odm_export import (
    EXPORT_ACTION,
    ExportResult,
    Progress,
    _file_info,
    _site_definitions,
    _subject_records,
    visit_range,
)
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import exports as store
from odm.ranges import subjects_within
from odm.tabular import write_tables


def export_csv(
    session: Session,
    path: Path | str,
    *,
    subject: str | None = None,
    visits_from: date | None = None,
    visits_to: date | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the analysis zip of the site (or one subject) to ``path``; with
    ``visits_from``/``visits_to``, only the visits dated in that range (both included).

    Raises:
        PermissionDenied: the role may not export. NotFound: no such subject. RangeNotValid.
        ExportFailed: the folder is missing or not writable, or the disk is full.
        ExportCancelled.
    """
    session.require(Permission.EXPORT)
    session.require(Permission.VIEW_DATA)
    target = Path(path)
    ids = store.subject_ids(session.db, subject)
    if subject is not None and not ids:
        raise NotFound(f"There is no subject {subject}.")
    visits = visit_range(visits_from, visits_to)
    definitions = _site_definitions(session)
    info = _file_info(session, "CSV", subject, visits)
    total = len(ids)
    counted = [0]

    def write(out: IO[bytes]) -> None:
        step = None if progress is None else (lambda n: progress(n, total))
        subjects = subjects_within(_subject_records(session, ids), visits)
        counted[0] = write_tables(out, info, definitions, subjects, progress=step)

    def commit(digest: str, move: Callable[[], None]) -> None:
        detail: dict[str, Any] = {
            "format": "csv",
            "file": target.name,
            "sha256": digest,
            "count": counted[0],
            "file_oid": info.file_oid,
        }
        if subject is not None:
            detail["subject"] = subject
        if visits is not None:
            detail.update(visits.detail())
        with session.write() as audit:
            audit.append(EXPORT_ACTION, subject=subject, detail=json.dumps(detail, sort_keys=True))
            move()

    digest = write_atomically(target, write, commit, what="The CSV export")
    return ExportResult(target, counted[0], digest)
