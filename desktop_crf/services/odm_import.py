"""Importing a study's data from a CDISC ODM 1.3.2 file into an empty site: setting a site up
from another system's (or another site's) export.

- A Snapshot gives each subject with its current values and form status (one
  ``subject.create``, one ``item.set`` per value, one ``form.status`` per form) and each
  form's latest signature as it was signed (one ``form.sign``: signer, meaning, time and the
  content hash it binds, which the values imported match).
- A Transactional file gives the whole history: each value change (``ItemData`` with its
  ``AuditRecord``), each form status, subject change and signature is replayed in the file's
  order with its reason for change. The file's other entries (sign-ins, queries, exports…)
  belong to the trail it came from and are not replayed; they stay readable in the file, whose
  hash the import records.

Every entry is the importing admin's own, signed by them like any write (an entry's author is
its signer, ``sync.authorship``), and says in ``detail`` that it was imported: from which file
(``file_oid``) and record (``source``: device:seq), and, from a Transactional file, who made the
change in what role (``user``, ``role``) and when (``ts``). The import itself is one audit
entry before them (``data.import``: the file's name, SHA-256, OID and type).

The file is read streaming and validated as it is read (:mod:`odm.reading`), all inside one
transaction: a file that breaks the schema, whose audit chain does not verify, or that names a
study or protocol version this site does not hold, or that puts a value where this site's form
has no place for it, is refused with its line (or the value's place) and nothing is written.
Only an admin imports, and only into a site with no subjects.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_crf.errors import Cancelled, KnownError
from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.form_rules import ItemsNotInForm, check_places
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import AuditWriter, utc_now
from desktop_crf.studies import FormNotFound, load_form, study_versions
from forms.schema import FormDef
from odm.model import SubjectRecord
from odm.names import ODM_NS, mdv_oid, study_oid
from odm.reading import (
    ClinicalHeader,
    FileHeader,
    InvalidOdm,
    Progress,
    read_header,
    read_odm,
)
from sync.entry_schema import EntrySchemaError

#: The audit action of an import.
IMPORT_ACTION = "data.import"
#: The entries of a Transactional file that are replayed; the others stay in the file.
REPLAYED = frozenset({"item.set", "conflict.resolve", "form.status", "form.sign"})
_SUBJECT_ACTIONS = frozenset({"subject.create", "subject.update"})

__all__ = [
    "IMPORT_ACTION",
    "ImportCancelled",
    "ImportResult",
    "OdmFileRefused",
    "Progress",
    "SiteNotEmpty",
    "import_odm",
]


class SiteNotEmpty(KnownError):
    """The site already holds subjects: an import would mix two histories."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"This site already holds {count} subject(s): an ODM file is imported only into "
            "an empty site. Create a new site (crf init-site) and import into it. Nothing was "
            "written."
        )


class ImportCancelled(Cancelled):
    """The user stopped the import before its end; its transaction was rolled back."""

    def __init__(self) -> None:
        super().__init__("Import cancelled. Nothing was written.")


class OdmFileRefused(KnownError):
    """The file cannot be imported: where (line) and why; nothing was written."""

    def __init__(self, line: int, reason: str) -> None:
        self.line, self.reason = line, reason
        where = f", line {line}" if line else ""
        #: the reason in the reader's words, without the ODM namespace
        self.why = reason.replace(f"{{{ODM_NS}}}", "").rstrip(". ")
        super().__init__(f"The file was not imported{where}: {self.why}. Nothing was written.")


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote: how many subjects and entries, from which file."""

    path: Path
    file_type: str
    sha256: str
    subjects: int
    entries: int
    not_replayed: dict[str, int] = field(default_factory=dict)


def import_odm(
    session: Session, path: Path | str, *, progress: Progress | None = None
) -> ImportResult:
    """Import the ODM 1.3.2 file at ``path`` (Snapshot or Transactional) into this empty site.
    ``progress(done, total)`` hears how many of the file's bytes were read; it may raise
    :class:`ImportCancelled` to stop the import, which then writes nothing.

    Raises:
        PermissionDenied: the role may not import (only an admin does). SiteNotEmpty: the site
        holds subjects. OdmFileRefused: the file cannot be read, breaks the schema, does not
        verify, names a study or version this site does not hold, or puts a value where the
        form has no place for it; nothing is written.
    """
    session.require(Permission.IMPORT_DATA)
    source = Path(path)
    count = int(session.db.execute("SELECT count(*) FROM subjects").fetchone()[0])
    if count:
        raise SiteNotEmpty(count)
    try:
        header = read_header(source)
        if header.study_oid is not None:  # else its ClinicalData say, checked as read
            _check_study(session, header.study_oid, header.mdv_oid, 0)
        digest = _sha256(source)
        with session.write() as audit:
            replay = _Replay(session, audit, header, digest, source.name)
            for piece in read_odm(source, progress):
                replay.take(piece)
    except InvalidOdm as exc:
        raise OdmFileRefused(exc.line, exc.message) from exc
    except EntrySchemaError as exc:  # e.g. a subject key of 300 characters
        raise OdmFileRefused(
            0, f"a record cannot be kept in this site's audit trail: {exc}"
        ) from exc
    return ImportResult(
        source, header.file_type, digest, replay.subjects, replay.entries, replay.skipped
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_study(session: Session, study: str | None, version: str | None, line: int) -> None:
    """Refuse a file of another study, or of a protocol version this site does not hold."""
    site_study = session.site.study_id
    if study != study_oid(site_study):
        raise InvalidOdm(
            line, f"it holds the study {study or '(none)'}, and this site is of {site_study}"
        )
    versions = {mdv_oid(v): v for v in study_versions(site_study)}
    if version not in versions:
        held = ", ".join(sorted(versions))
        raise InvalidOdm(
            line, f"it holds protocol version {version or '(none)'}, and this site holds {held}"
        )


class _Replay:
    """Writes what the file holds, one piece at a time, inside the caller's transaction."""

    def __init__(
        self, session: Session, audit: AuditWriter, header: FileHeader, digest: str, name: str
    ) -> None:
        self.session, self.db, self.audit = session, session.db, audit
        self.file_oid = header.file_oid
        self.version = (header.mdv_oid or "").removeprefix("MDV.")
        self.subjects = self.entries = 0
        self.skipped: dict[str, int] = {}
        self.forms: dict[str, FormDef] = {}
        detail = {"file": name, "sha256": digest, "file_oid": header.file_oid}
        detail["file_type"] = header.file_type
        audit.append(IMPORT_ACTION, detail=json.dumps(detail, sort_keys=True))

    def take(self, piece: ClinicalHeader | SubjectRecord | dict[str, Any]) -> None:
        if isinstance(piece, ClinicalHeader):
            _check_study(self.session, piece.study_oid, piece.mdv_oid, piece.line)
        elif isinstance(piece, SubjectRecord):
            self.snapshot_subject(piece)
        else:
            self.entry(piece)

    # -- Snapshot --------------------------------------------------------------------------

    def snapshot_subject(self, record: SubjectRecord) -> None:
        actor = self.session.user
        imported = {"file_oid": self.file_oid, "source": f"SubjectData {record.subject_id}"}
        fields = {"study_id": self.session.site.study_id, "study_version": self.version}
        fields |= {"status": "screening", **record.fields}
        self.write_subject(actor, "subject.create", record.subject_id, fields, imported)
        for form in record.forms:
            key = FormKey(record.subject_id, form.event, form.form, form.event_repeat)
            for value in form.values:
                change = (value.item_group, value.group_repeat, value.item, value.value)
                self.write_value(actor, key, change, value.unit, (None, None), imported)
            status = form.status or "draft"
            self.write_status(actor, key, status, None, imported)
            if form.signature is not None:  # the form's latest signature, as signed
                sig = form.signature
                signed = {
                    "signer": sig.signer,
                    "signer_name": sig.signer_name or sig.signer,
                    "meaning": sig.meaning,
                    "signed_at": sig.signed_at,
                    "content_hash": sig.content_hash,
                }
                entry = {"detail": json.dumps(signed, sort_keys=True), "reason": None}
                self.write_signature(actor, key, entry, imported)

    # -- Transactional ---------------------------------------------------------------------

    def entry(self, entry: dict[str, Any]) -> None:
        action = str(entry["action"])
        if entry.get("subject") is None or action not in REPLAYED | _SUBJECT_ACTIONS:
            self.skipped[action] = self.skipped.get(action, 0) + 1
            return
        actor = str(entry["user"])  # who made the change: kept as the value's author
        imported: dict[str, Any] = {
            "file_oid": self.file_oid,
            "source": f"{entry['device']}:{entry['seq']}",
            "ts": entry["ts"],
            "user": actor,
            "role": entry["role"],
        }
        if action == "conflict.resolve":  # replayed as the value it chose, with its reason
            imported["action"] = action
        subject = str(entry["subject"])
        if action in _SUBJECT_ACTIONS:
            fields = json.loads(str(entry["new"]))
            self.write_subject(actor, action, subject, fields, imported, old=entry.get("old"))
            return
        if repo.get_subject(self.db, subject) is None:
            raise InvalidOdm(
                0,
                f"its entry {imported['source']} ({action}) is about subject {subject}, whom "
                "the file never creates: import the whole site's file, not a part of it",
            )
        key = FormKey(subject, str(entry["event"]), str(entry["form"]), int(entry["event_repeat"]))
        if action == "form.sign":
            self.write_signature(actor, key, entry, imported)
        elif action == "form.status":
            self.write_status(actor, key, str(entry["new"]), entry.get("detail"), imported)
        else:
            place = (entry["item_group"], entry["group_repeat"], entry["item"], entry["new"])
            why = (entry.get("reason"), entry.get("detail"))
            self.write_value(actor, key, place, entry.get("unit"), why, imported)

    # -- writes ----------------------------------------------------------------------------

    def write_subject(
        self,
        actor: str,
        action: str,
        subject_id: str,
        fields: dict[str, Any],
        imported: dict[str, Any],
        *,
        old: str | None = None,
    ) -> None:
        stored = repo.get_subject(self.db, subject_id)
        if stored is None:
            self.subjects += 1
        subject = {**(stored or {}), **fields, "subject_id": subject_id, "updated_at": utc_now()}
        repo.upsert_subject(self.db, subject)
        new = json.dumps({k: v for k, v in fields.items() if k != "subject_id"}, sort_keys=True)
        self.audit.append(
            action,
            subject=subject_id,
            old=old,
            new=new,
            detail=json.dumps({"imported": imported}, sort_keys=True),
        )
        self.entries += 1

    def write_value(
        self,
        actor: str,
        key: FormKey,
        change: tuple[Any, ...],
        unit: str | None,
        why: tuple[str | None, str | None],
        imported: dict[str, Any],
    ) -> None:
        """``why``: the change's reason and its own detail (the warnings confirmed on it)."""
        group, repeat, item, value = change
        reason, detail = why
        self.check_place(key, group, repeat, item)
        before = repo.form_values(self.db, key).get((group, repeat, item))
        rev = before.rev if before else 0
        stored = StoredValue(group, repeat, item, value, unit, rev + 1)
        now = utc_now()
        repo.write_value(self.db, key, stored, updated_at=now, updated_by=actor)
        self.audit.append(
            "item.set",
            **key.audit_place(),
            item_group=group,
            group_repeat=repeat,
            item=item,
            old=before.value if before else None,
            new=value,
            unit=unit,
            reason=reason,
            base_rev=rev,
            detail=_imported_detail(detail, imported),
        )
        self.entries += 1

    def check_place(self, key: FormKey, group: str, repeat: int, item: str) -> None:
        """A value only where this site's form has a place for it, as a save requires."""
        form = self.forms.get(key.form)
        try:
            if form is None:
                form = self.forms[key.form] = load_form(key.form)
            check_places(form, [(group, repeat, item)])
        except (FormNotFound, ItemsNotInForm) as exc:
            where = f"subject {key.subject_id}, {key.event}, {key.form}, {item}"
            raise InvalidOdm(0, f"{where}: {_first_sentence(exc)}") from exc

    def write_status(
        self,
        actor: str,
        key: FormKey,
        status: str,
        detail: str | None,
        imported: dict[str, Any],
    ) -> None:
        old = repo.get_form_status(self.db, key)
        repo.set_form_status(self.db, key, status, updated_at=utc_now(), updated_by=actor)
        self.audit.append(
            "form.status",
            **key.audit_place(),
            old=old,
            new=status,
            detail=_imported_detail(detail, imported),
        )
        self.entries += 1

    def write_signature(
        self, actor: str, key: FormKey, entry: dict[str, Any], imported: dict[str, Any]
    ) -> None:
        signed = json.loads(str(entry["detail"]))
        repo.insert_signature(self.db, key, {k: str(signed[k]) for k in _SIGNATURE_FIELDS})
        self.audit.append(
            "form.sign",
            **key.audit_place(),
            reason=entry.get("reason"),
            detail=_imported_detail(entry["detail"], imported),
        )
        self.entries += 1


def _first_sentence(exc: Exception) -> str:
    return str(exc).removeprefix("Nothing was saved: ").split(". ")[0]


_SIGNATURE_FIELDS = ("signer", "signer_name", "meaning", "signed_at", "content_hash")


def _imported_detail(detail: Any, imported: dict[str, Any]) -> str:
    """The entry's own detail with where it was imported from: its keys if it is a JSON
    object, else its text under ``detail``."""
    try:
        own = json.loads(str(detail)) if detail is not None else {}
    except ValueError:
        own = {"detail": str(detail)}
    if not isinstance(own, dict):
        own = {"detail": str(detail)}
    return json.dumps({**own, "imported": imported}, sort_keys=True)
