"""Exporting a site's clinical data for analysis: a zip of one CSV per form, the subjects, a
data dictionary in both languages, R, SAS and SPSS read scripts and a manifest of SHA-256
hashes (:mod:`odm.tabular`). Like every export, it is an audit entry (``data.export``)."""

from __future__ import annotations

import json
from collections.abc import Callable
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
)
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import exports as store
from odm.tabular import write_tables


def export_csv(
    session: Session,
    path: Path | str,
    *,
    subject: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the analysis zip of the site (or one subject) to ``path``.

    Raises:
        PermissionDenied: the role may not export. NotFound: no such subject. ExportFailed:
        the folder is missing or not writable, or the disk is full. ExportCancelled.
    """
    session.require(Permission.EXPORT)
    session.require(Permission.VIEW_DATA)
    target = Path(path)
    ids = store.subject_ids(session.db, subject)
    if subject is not None and not ids:
        raise NotFound(f"There is no subject {subject}.")
    definitions = _site_definitions(session)
    info = _file_info(session, "CSV", subject)
    total = len(ids)
    counted = [0]

    def write(out: IO[bytes]) -> None:
        step = None if progress is None else (lambda n: progress(n, total))
        counted[0] = write_tables(
            out, info, definitions, _subject_records(session, ids), progress=step
        )

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
        with session.write() as audit:
            audit.append(EXPORT_ACTION, subject=subject, detail=json.dumps(detail, sort_keys=True))
            move()

    digest = write_atomically(target, write, commit, what="The CSV export")
    return ExportResult(target, counted[0], digest)
