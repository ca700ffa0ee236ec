"""The whole study across its sites, from what the sites uploaded: an ODM 1.3.2 Snapshot, an
ODM 1.3.2 Transactional file or the analysis zip, written by the same pure writers as a site's
own export (:mod:`odm`), fed from the server's ledger instead of a site's tables.

The Transactional file holds every entry of every device of the study's sites, as the ledger
holds it, each AuditRecord naming its device's site: ``crf odm verify`` recomputes each
device's chain from the file up to the head the server held when the export began.

The whole file is read through one snapshot of the database (``Database.snapshot``): it shows
the study as it was when the export began, however long the writing takes, and holds no upload
back. The values and the entries are read as they are written (a subject's values at a time,
an entry at a time), so memory does not grow with the number of subjects or entries; what is
held for the whole file is each subject's fields, form statuses and latest signatures.

What each subject is made of, site by site:

- its fields: the ``subject.create`` / ``subject.update`` entries of the site's feed, applied
  in order (as a device applies them when it pulls);
- its values: the projection of current item values (``items``), kept as entered;
- each form's status: the last ``form.status`` entry (draft or complete) of the form;
- each form's latest signature: the last ``form.sign`` entry of the form (who, when, what it
  means and the content hash it binds).

Every SubjectData names its site (``SiteRef``) and the AdminData lists every site. Like every
export, it is recorded: a row of the append-only ``exports`` table (when, which study, format,
file name, SHA-256 and counts).

Public names: :func:`export_study`, :class:`StudyExport`, :class:`NothingToExport`,
:class:`SubjectAtTwoSites`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from odm.model import (
    AdminInfo,
    Definitions,
    FileInfo,
    SignatureInfo,
    SubjectRecord,
    UserInfo,
    ValueAt,
    form_records,
)
from odm.snapshot import write_snapshot
from odm.tabular import write_tables
from odm.transactional import ChainHead, write_transactional
from sync.server.db import Database, Tx
from sync.server.projection import item_path
from sync.server.report.definitions import load_definitions

FORMATS = ("odm", "odm-transactional", "csv")
_SUBJECT_ACTIONS = frozenset({"subject.create", "subject.update"})

__all__ = ["FORMATS", "NothingToExport", "StudyExport", "SubjectAtTwoSites", "export_study"]


class NothingToExport(Exception):
    """The server holds no site of this study."""


class SubjectAtTwoSites(Exception):
    """One subject id is used at two sites: ODM keys a subject by its id within the study, so
    the file would merge two people. Nothing is written."""

    def __init__(self, subject: str, sites: list[str]) -> None:
        self.subject, self.sites = subject, sites
        super().__init__(
            f"subject {subject} is enrolled at {len(sites)} sites ({', '.join(sites)}): a "
            "study-wide file needs each subject id once; nothing was exported (ids assigned "
            "by the app carry their site's code, so this is data copied between sites or a "
            "demonstration site)"
        )


@dataclass(frozen=True)
class StudyExport:
    """What was written: the file, how many subjects of how many sites, its SHA-256."""

    path: Path
    subjects: int
    sites: tuple[str, ...]
    sha256: str
    #: The audit entries written (a Transactional file).
    entries: int = 0


@dataclass
class _SiteData:
    """What one site's feed says about its subjects, users and signatures."""

    code: str
    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[str, dict[tuple[str, int, str], str]] = field(default_factory=dict)
    signatures: dict[str, dict[tuple[str, int, str], SignatureInfo]] = field(default_factory=dict)
    users: dict[str, str | None] = field(default_factory=dict)  # login → printed name
    units: set[str] = field(default_factory=set)
    #: every meaning a signature was given, superseded ones too (a Transactional file
    #: writes each signature, and each needs its SignatureDef)
    meanings: set[str] = field(default_factory=set)


def export_study(
    db: Database,
    study_id: str,
    out: Path,
    *,
    kind: str = "odm",
    definitions: Path | None = None,
    now: datetime | None = None,
) -> StudyExport:
    """Write every site's subjects of ``study_id`` to ``out`` (``kind`` odm: a Snapshot;
    odm-transactional: every entry with its audit record; csv: the analysis zip), whole or not
    at all, and record the export.

    Raises:
        DefinitionsNotFound: the study's definitions cannot be loaded.
        NothingToExport: no site of the study is known to the server.
        SubjectAtTwoSites: one subject id is used at two sites.
        UnwritableValue: a value holds a character XML cannot carry (ODM).
    """
    if kind not in FORMATS:
        raise ValueError(f"unknown export format {kind!r}")
    loaded = load_definitions(study_id, definitions)
    wanted = Definitions(loaded.study, loaded.forms)
    created = _stamp(now)
    transactional = kind == "odm-transactional"
    info = _file_info(study_id, kind, created)
    counted, entries = [0], [0]
    # one consistent view for the whole file, read as it is written; uploads go on meanwhile
    with db.snapshot() as tx:
        sites = _sites(tx, study_id)
        if not sites:
            raise NothingToExport(f"the server holds no site of study {study_id}")
        read = [_read_site(tx, code, study_id) for code in sites]
        _refuse_shared_ids(read)
        subjects = _subjects(tx, read)

        def write(stream: IO[bytes]) -> None:
            if kind == "odm":
                admin = _admin(read)
                counted[0] = write_snapshot(stream, info, wanted, admin, subjects)
            elif transactional:
                heads = _heads(tx, sites)
                counted[0] = sum(len(site.subjects) for site in read)
                entries[0] = write_transactional(
                    stream,
                    info,
                    wanted,
                    _admin(read),
                    [_chain(tx, head) for head in heads],
                    heads=[ChainHead(h.device, h.seq, h.hash) for h in heads],
                    locations={h.device: h.site for h in heads},
                )
            else:
                counted[0] = write_tables(stream, info, wanted, subjects)

        digest = _write_whole(out, write)
    with db.transaction() as tx:
        tx.execute(
            "INSERT INTO exports (at, study, format, file, sha256, subjects, sites) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (created, study_id, kind, out.name, digest, counted[0], ",".join(sites)),
        )
    return StudyExport(out, counted[0], sites, digest, entries[0])


@dataclass(frozen=True)
class _Head:
    """A device of the study and its last entry when the export began."""

    device: str
    site: str
    seq: int
    hash: str


def _heads(tx: Tx, sites: tuple[str, ...]) -> list[_Head]:
    """Every device of the sites that uploaded something, with its head, in device order."""
    marks = ", ".join("?" for _ in sites)
    rows = tx.all(
        f"SELECT device, site, last_seq, last_hash FROM devices WHERE site IN ({marks}) "
        "AND last_seq > 0 ORDER BY device",
        sites,
    )
    return [_Head(str(d), str(site), int(seq), str(h)) for d, site, seq, h in rows]


def _chain(tx: Tx, head: _Head) -> Iterator[dict[str, Any]]:
    """One device's entries in sequence order up to its head, as they are read."""
    rows = tx.rows(
        "SELECT body FROM feed WHERE device = ? AND kind = 'entry' AND seq <= ? ORDER BY seq",
        (head.device, head.seq),
    )
    for (body,) in rows:
        yield json.loads(body)["entry"]


def _refuse_shared_ids(sites: list[_SiteData]) -> None:
    where: dict[str, list[str]] = defaultdict(list)
    for site in sites:
        for subject in site.subjects:
            where[subject].append(site.code)
    for subject in sorted(where):
        if len(where[subject]) > 1:
            raise SubjectAtTwoSites(subject, where[subject])


def _stamp(now: datetime | None) -> str:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _file_info(study_id: str, kind: str, created: str) -> FileInfo:
    stamp = created.replace("-", "").replace(":", "").replace(".", "")
    label = {"odm": "Snapshot", "odm-transactional": "Transactional"}.get(kind, "CSV")
    return FileInfo(
        file_oid=f"ODM.{study_id}.ALL.{label}.{stamp}",
        created=created,
        source_system="desktop-crf server",
        description=f"{study_id}: {label.lower()} export of every site, from the server",
        granularity="All",
    )


def _sites(tx: Tx, study: str) -> tuple[str, ...]:
    rows = tx.all(
        "SELECT code FROM sites WHERE study = ? UNION SELECT site FROM devices WHERE study = ?",
        (study, study),
    )
    return tuple(sorted({str(r[0]) for r in rows}))


def _feed(tx: Tx, site: str) -> Iterator[dict[str, Any]]:
    """The site's entries in feed order (the order the server accepted them), as read."""
    rows = tx.rows("SELECT body FROM feed WHERE site = ? AND kind = 'entry' ORDER BY pos", (site,))
    for (body,) in rows:
        yield json.loads(body)["entry"]


def _form_key(entry: Mapping[str, Any]) -> tuple[str, int, str]:
    return (str(entry["event"]), int(entry.get("event_repeat") or 1), str(entry["form"]))


def _read_site(tx: Tx, code: str, study_id: str) -> _SiteData:
    site = _SiteData(code)
    for entry in _feed(tx, code):
        action, subject = entry.get("action"), entry.get("subject")
        site.users.setdefault(str(entry["user"]), None)
        if entry.get("unit"):
            site.units.add(str(entry["unit"]))
        if not subject:
            continue
        if action in _SUBJECT_ACTIONS:
            _subject_fields(site, str(subject), entry)
        elif action == "form.status" and entry.get("new") in ("draft", "complete"):
            if entry.get("event") and entry.get("form"):
                site.statuses.setdefault(str(subject), {})[_form_key(entry)] = str(entry["new"])
        elif action == "form.sign" and entry.get("event") and entry.get("form"):
            _signature(site, str(subject), entry)
    site.subjects = {
        s: fields
        for s, fields in site.subjects.items()
        if fields.get("status") and fields.get("study_id") in (None, study_id)
    }
    return site


def _subject_fields(site: _SiteData, subject: str, entry: Mapping[str, Any]) -> None:
    try:
        changed = json.loads(entry.get("new") or "{}")
    except ValueError:
        return
    if isinstance(changed, dict):
        fields = site.subjects.setdefault(subject, {"subject_id": subject})
        fields.update(changed)


def _signature(site: _SiteData, subject: str, entry: Mapping[str, Any]) -> None:
    try:
        detail = json.loads(str(entry.get("detail")))
        signature = SignatureInfo(
            str(detail["signer"]),
            str(detail["signed_at"]),
            str(detail["meaning"]),
            str(detail["content_hash"]),
        )
    except (ValueError, KeyError, TypeError):
        return  # an unreadable signature detail: the entry is still in the ledger
    site.signatures.setdefault(subject, {})[_form_key(entry)] = signature
    site.meanings.add(signature.meaning)
    name = detail.get("signer_name")
    site.users[signature.signer] = str(name) if name else site.users.get(signature.signer)


def _values(tx: Tx, site: str) -> Iterator[tuple[str, list[ValueAt]]]:
    """The site's current values, one subject's at a time, in the order of their paths (the
    projection's key: the JSON list of the item's ODM path, subject first, so that a
    subject's values stand together)."""
    order = 'path COLLATE "C"' if tx.dialect == "postgresql" else "path"
    rows = tx.rows(f"SELECT path, value, unit FROM items WHERE site = ? ORDER BY {order}", (site,))
    current: str | None = None
    found: list[ValueAt] = []
    for path, value, unit in rows:
        subject, event, ev_rep, form, group, rep, item = json.loads(path)
        if None in (subject, event, form, group, item):
            continue
        if str(subject) != current:
            if current is not None:
                yield current, found
            current, found = str(subject), []
        found.append(
            (
                str(event),
                int(ev_rep or 1),
                str(form),
                str(group),
                int(rep or 1),
                str(item),
                value,
                unit,
            )
        )
    if current is not None:
        yield current, found


def _path_order(subject: str) -> str:
    """Where a subject's values come in the projection's order of paths."""
    return item_path({"subject": subject})


def _subjects(tx: Tx, sites: list[_SiteData]) -> Iterator[SubjectRecord]:
    """Every site's subjects, site by site, each with its forms: its values read as the
    subjects are written, so memory holds one subject's at a time."""
    for site in sites:
        values = _values(tx, site.code)
        pending = next(values, None)
        for subject_id in sorted(site.subjects, key=_path_order):
            key = _path_order(subject_id)
            while pending is not None and _path_order(pending[0]) < key:
                pending = next(values, None)  # values of a subject the file leaves out
            rows: list[ValueAt] = []
            if pending is not None and pending[0] == subject_id:
                rows, pending = pending[1], next(values, None)
            statuses = site.statuses.get(subject_id, {})
            forms = form_records(
                rows,
                [(*form, status) for form, status in statuses.items()],
                site.signatures.get(subject_id, {}),
            )
            yield SubjectRecord(subject_id, site.subjects[subject_id], forms, site=site.code)


def _admin(sites: list[_SiteData]) -> AdminInfo:
    """Every user the data names with the sites they work at, every site, every signature
    meaning and every unit."""
    at: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str | None] = {}
    for site in sites:
        for login, name in site.users.items():
            at[login].append(site.code)
            names[login] = names.get(login) or name
    units = {unit for site in sites for unit in site.units}  # every unit an entry gave
    meanings = {meaning for site in sites for meaning in site.meanings}
    codes = [(site.code, f"Site {site.code}") for site in sites]
    return AdminInfo(
        site_code=codes[0][0],
        site_name=codes[0][1],
        users=tuple(UserInfo(u, names[u], sites=tuple(at[u])) for u in sorted(at)),
        signature_meanings=tuple(sorted(meanings)),
        units=tuple(sorted(units)),
        other_sites=tuple(codes[1:]),
    )


def _write_whole(target: Path, write: Any) -> str:
    """Write ``target`` through a temporary file beside it; return its SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".part", dir=target.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        digest = hashlib.sha256()
        with temp.open("rb") as written:
            while chunk := written.read(1 << 20):
                digest.update(chunk)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return digest.hexdigest()
