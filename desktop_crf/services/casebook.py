"""A subject's casebook: everything recorded for one subject, as an inspector reads it on
paper — every visit and form with its values, units, status, signature and queries, and the
subject's audit trail as an appendix — with the subject's Transactional ODM attached.

The data is gathered here (:func:`casebook`); drawing it is the caller's (the PDF writer of
:mod:`desktop_crf.printing` needs Qt, which the services never import), passed to
:func:`export_casebook` as ``render``. The export is an audit entry like every other.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from desktop_crf.errors import NotFound
from desktop_crf.model import FormKey
from desktop_crf.services.export_files import write_atomically
from desktop_crf.services.odm_export import (
    EXPORT_ACTION,
    ExportResult,
    _admin_info,
    _file_info,
    _site_definitions,
    _write_transactional,
)
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import exports as store
from desktop_crf.store import queries as local_queries
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import trail, utc_now
from forms.schema import DataType, FormDef, ItemDef
from forms.text import Text
from odm.metadata import YES_NO, event_defs
from odm.transactional import ChainHead

_UNKNOWN = Text(en="(not in the definitions)", zh="（定义中没有）")


@dataclass(frozen=True)
class ValueLine:
    label: Text
    value: str
    unit: str | None
    decoded: Text | None = None  # a code's label
    repeat: int | None = None  # of a repeating group


@dataclass(frozen=True)
class QueryLine:
    where: str
    status: str
    opened: str
    text: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class FormPage:
    form: str
    label: Text
    status: str | None
    values: tuple[ValueLine, ...]
    signature: dict[str, Any] | None  # with "state": valid or broken
    queries: tuple[QueryLine, ...]


@dataclass(frozen=True)
class VisitPart:
    event: str
    event_repeat: int
    label: Text
    forms: tuple[FormPage, ...]


@dataclass(frozen=True)
class Casebook:
    """What a casebook shows; plain values, drawn by any renderer."""

    subject_id: str
    study_id: str
    study_title: Text
    site: str
    subject: dict[str, Any]
    visits: tuple[VisitPart, ...]
    trail: tuple[dict[str, Any], ...]
    printed_by: str
    printed_at: str
    subject_queries: tuple[QueryLine, ...] = ()


Render = Callable[[Casebook, bytes, IO[bytes]], None]


def casebook(session: Session, subject_id: str) -> Casebook:
    """Everything recorded for ``subject_id``, in schedule order.

    Raises:
        PermissionDenied: the role may not see clinical data and the audit trail.
        NotFound: no such subject.
    """
    session.require(Permission.VIEW_DATA)
    session.require(Permission.VIEW_AUDIT)
    db = session.db
    subject = repo.get_subject(db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    definitions = _site_definitions(session)
    labels = {oid: label for oid, label, *_rest in event_defs(definitions.study)}
    order = {oid: n for n, oid in enumerate(labels)}
    queries = local_queries.list_queries(db, subject=subject_id)
    values: dict[tuple[str, int, str], list[tuple[Any, ...]]] = {}
    for value in repo.subject_values(db, subject_id):
        values.setdefault((value[0], value[1], value[2]), []).append(value)
    visits: dict[tuple[str, int], list[FormPage]] = {}
    forms = sorted(
        repo.subject_forms(db, subject_id),
        key=lambda f: (order.get(f["event"], len(order)), f["event_repeat"], f["form"]),
    )
    for row in forms:
        place = (row["event"], row["event_repeat"], row["form"])
        definition = definitions.forms.get(row["form"])
        page = FormPage(
            form=row["form"],
            label=definition.label if definition else _UNKNOWN,
            status=row["status"],
            values=_lines(definition, values.get(place, [])),
            signature=_signature(session, place, subject_id),
            queries=tuple(_query_line(q) for q in queries if _on_form(q, place)),
        )
        visits.setdefault((row["event"], row["event_repeat"]), []).append(page)
    return Casebook(
        subject_id=subject_id,
        study_id=definitions.study.id,
        study_title=definitions.study.title,
        site=session.site.site_code,
        subject=subject,
        visits=tuple(
            VisitPart(event, rep, labels.get(event, _UNKNOWN), tuple(pages))
            for (event, rep), pages in visits.items()
        ),
        trail=tuple(trail(db, subject=subject_id, limit=100_000)),
        printed_by=f"{session.full_name} ({session.user}, {session.role})",
        printed_at=utc_now(),
        subject_queries=tuple(_query_line(q) for q in queries if q.form is None),
    )


def _lines(definition: FormDef | None, rows: Sequence[tuple[Any, ...]]) -> tuple[ValueLine, ...]:
    if definition is None:
        return tuple(
            ValueLine(Text(en=r[5], zh=r[5]), str(r[6]), r[7]) for r in rows if r[6] is not None
        )
    position = {
        (group.oid, item.oid): (g, i)
        for g, group in enumerate(definition.item_groups)
        for i, item in enumerate(group.items)
    }
    items = definition.items()
    repeating = {group.oid for group in definition.item_groups if group.repeating}
    lines = []
    for row in sorted(
        rows,
        key=lambda r: (
            position.get((r[3], r[5]), (99, 99))[0],
            r[4],
            position.get((r[3], r[5]), (99, 99))[1],
        ),
    ):
        if row[6] is None:
            continue
        item = items.get(row[5])
        lines.append(
            ValueLine(
                label=item.label if item else Text(en=row[5], zh=row[5]),
                value=str(row[6]),
                unit=row[7],
                decoded=_decoded(item, str(row[6])),
                repeat=row[4] if row[3] in repeating else None,
            )
        )
    return tuple(lines)


def _decoded(item: ItemDef | None, value: str) -> Text | None:
    if item is None:
        return None
    choices = item.choices or (YES_NO if item.data_type is DataType.BOOLEAN else ())
    codes = (
        [c.strip() for c in value.split(",")]
        if item.data_type is DataType.MULTI_CHOICE
        else [value]
    )
    found = [next((c.label for c in choices if c.code == code), None) for code in codes]
    if not choices or any(f is None for f in found):
        return None
    return Text(en="; ".join(f.en for f in found if f), zh="；".join(f.zh for f in found if f))


def _signature(
    session: Session, place: tuple[str, int, str], subject_id: str
) -> dict[str, Any] | None:
    key = FormKey(subject_id, place[0], place[2], place[1])
    found = repo.latest_signature(session.db, key)
    if found is None:
        return None
    valid = found["content_hash"] == repo.content_hash(repo.form_values(session.db, key).values())
    return {**found, "state": "valid" if valid else "broken"}


def _on_form(query: Any, place: tuple[str, int, str]) -> bool:
    return (query.event, query.event_repeat or 1, query.form) == place


def _query_line(query: Any) -> QueryLine:
    where = " / ".join(str(p) for p in (query.event, query.form, query.item) if p) or str(
        query.subject
    )
    answers = tuple(f"{a.at or ''} {a.by or ''}: {a.text or ''}".strip() for a in query.answers)
    text = query.text or ""
    if query.kind == "conflict":
        text = text or "Two computers changed this value differently."
    opened = f"{query.opened_at or ''} {query.opened_by or ''}".strip()
    return QueryLine(where, query.status, opened, text, answers)


def export_casebook(
    session: Session,
    subject_id: str,
    path: Path | str,
    *,
    render: Render,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write ``subject_id``'s casebook to ``path`` as drawn by ``render(casebook, odm, out)``
    (``odm``: the subject's Transactional ODM, to attach).

    Raises:
        PermissionDenied: the role may not export, see clinical data or the audit trail.
        NotFound: no such subject. ExportFailed. ExportCancelled (from ``progress``).
    """
    session.require(Permission.EXPORT)
    book = casebook(session, subject_id)
    if progress is not None:
        progress(1, 3)
    odm = _subject_odm(session, subject_id)
    if progress is not None:
        progress(2, 3)
    target = Path(path)

    def commit(digest: str, move: Callable[[], None]) -> None:
        detail = {
            "format": "casebook-pdf",
            "file": target.name,
            "sha256": digest,
            "subject": subject_id,
            "count": len(book.trail),
        }
        with session.write() as audit:
            audit.append(
                EXPORT_ACTION, subject=subject_id, detail=json.dumps(detail, sort_keys=True)
            )
            move()

    digest = write_atomically(
        target, lambda out: render(book, odm, out), commit, what="The casebook"
    )
    if progress is not None:
        progress(3, 3)
    return ExportResult(target, 1, digest)


def _subject_odm(session: Session, subject_id: str) -> bytes:
    buffer = io.BytesIO()
    heads = [ChainHead(*head) for head in store.chain_heads(session.db)]
    info = _file_info(session, "Transactional", subject_id)
    _write_transactional(
        session,
        buffer,
        info,
        _site_definitions(session),
        _admin_info(session, subject_id),
        heads,
        subject_id,
        None,
        None,
    )
    return buffer.getvalue()
