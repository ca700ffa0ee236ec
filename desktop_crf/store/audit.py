"""The hash-chained, append-only audit trail (21 CFR Part 11 §11.10(e)).

Every write of the app appends its entries here inside the same transaction as the data change.
Entries of this device get the next gap-free sequence number and link to the hash of the
device's previous entry; entries pulled from other devices are stored as they came, so each
device's chain can be verified on its own.

The author signs what a transaction appended (``sync.authorship``): ``AuditWriter.seal`` adds
one signature per transaction (per group of at most 256 entries) to ``audit_signatures``, in the
same transaction. Verification checks each device's chain, then that every entry is covered by
a signature of a key entitled to it (entries written before user signatures existed may start a
chain unsigned: they are covered by the chain and the change sets' device signatures only).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desktop_crf.model import ChainReport
from desktop_crf.store.chain import DatabaseSource, verify_device_chain
from sync.authorship import (
    Authority,
    AuthorshipError,
    EntrySignature,
    UserSigner,
    group_ranges,
    key_id_of,
)
from sync.authorship import sign_group as sign_entries
from sync.entries import (
    ENTRY_FIELDS,
    GENESIS_HASH,
    ChainBreak,
    entry_canonical_bytes,
    timestamp,
)

_COLUMNS = (*ENTRY_FIELDS, "hash")
_INSERT_SQL = (
    f"INSERT INTO audit ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})"
)


def utc_now() -> str:
    """UTC time with microseconds, ISO 8601 with a Z, as every timestamp of the trail."""
    return timestamp()


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the user, the role they act in, and this device."""

    user: str
    role: str
    device: str


class AuditWriter:
    """Appends this device's entries within one open transaction; ``seal`` has the author sign
    them (call it last, inside the transaction: ``Session.write`` does).

    Reads the device's last sequence number and hash once, then chains in memory: a save of
    thirty items costs one read, thirty inserts and one signature.
    """

    def __init__(
        self, db: sqlite_utils.Database, actor: Actor, *, signer: UserSigner | None = None
    ) -> None:
        self._db = db
        self._actor = actor
        self._signer = signer
        self._appended: list[dict[str, Any]] = []
        self._sizes: list[int] = []
        row = db.execute(
            "SELECT seq, hash FROM audit WHERE device = ? ORDER BY seq DESC LIMIT 1",
            [actor.device],
        ).fetchone()
        self._seq: int = int(row[0]) if row else 0
        self._hash: str = str(row[1]) if row else GENESIS_HASH
        self._ts = utc_now()

    def append(self, action: str, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - set(ENTRY_FIELDS)
        if unknown:
            raise TypeError(f"unknown audit fields: {sorted(unknown)}")
        entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
        entry.update(fields)
        entry.update(
            device=self._actor.device,
            seq=self._seq + 1,
            ts=self._ts,
            user=self._actor.user,
            role=self._actor.role,
            action=action,
            prev_hash=self._hash,
        )
        body = entry_canonical_bytes(entry)
        entry["hash"] = hashlib.sha256(bytes.fromhex(self._hash) + body).hexdigest()
        # The server refuses what does not fit the shared schema: never write such an entry.
        # (Imported here: its models are built on first use, not as the app's window opens.)
        from sync.entry_schema import check_entry

        check_entry(entry)
        self._db.execute(_INSERT_SQL, [entry[c] for c in _COLUMNS])
        self._seq, self._hash = entry["seq"], entry["hash"]
        self._appended.append(entry)
        self._sizes.append(len(body))
        return entry

    def seal(self) -> list[EntrySignature]:
        """Sign what was appended since the last seal (one signature per group of at most
        256 entries) and store the signatures; nothing if there is no signer."""
        entries, sizes = self._appended, self._sizes
        self._appended, self._sizes = [], []
        if self._signer is None or not entries:
            return []
        first = int(entries[0]["seq"])
        made = []
        for seq_from, seq_to in group_ranges(sizes, first):
            sig = sign_entries(self._signer, entries[seq_from - first : seq_to - first + 1])
            store_signature(self._db, sig)
            made.append(sig)
        return made


_SIGNATURE_COLUMNS = ("device", "seq_from", "seq_to", "signer", "key_id", "signature")


def store_signature(db: sqlite_utils.Database, sig: EntrySignature) -> bool:
    """Keep an author's signature (this device's, or pulled with another device's entries);
    False if it was held already."""
    held = db.execute(
        "SELECT 1 FROM audit_signatures WHERE device = ? AND seq_to = ?", [sig.device, sig.seq_to]
    ).fetchone()
    if held:
        return False
    db.execute(
        f"INSERT INTO audit_signatures ({', '.join(_SIGNATURE_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
        [sig.device, sig.seq_from, sig.seq_to, sig.signer, sig.key_id, sig.signature],
    )
    return True


def signatures_between(
    db: sqlite_utils.Database, device: str, after_seq: int, upto_seq: int | None = None
) -> list[EntrySignature]:
    """``device``'s signatures of groups that end after ``after_seq`` (and start at or before
    ``upto_seq``), in order."""
    sql = f"SELECT {', '.join(_SIGNATURE_COLUMNS)} FROM audit_signatures WHERE device = ? "
    sql += "AND seq_to > ?"
    params: list[Any] = [device, after_seq]
    if upto_seq is not None:
        sql += " AND seq_from <= ?"
        params.append(upto_seq)
    rows = db.execute(sql + " ORDER BY seq_from", params).fetchall()
    return [EntrySignature(r[0], r[1], r[2], r[3], r[4], bytes(r[5])) for r in rows]


def store_foreign_entry(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> None:
    """Store an entry that another device wrote (already verified by the caller)."""
    db.execute(_INSERT_SQL, [entry.get(c) for c in _COLUMNS])


def verify_chain(
    db: sqlite_utils.Database,
    *,
    own_device: str | None = None,
    source: DatabaseSource | None = None,
) -> ChainReport:
    """Recompute every device's hash chain and check its authors' signatures; name the first
    broken entry, if any (``ChainReport``: how many entries, how many signed by their author,
    how many written before user signatures existed).

    Another device's last entries may wait for their signature (a pull cut between pages brings
    it with the next page); this device's own entries never do (``own_device``). ``source``:
    long chains are checked in parts at once (``verify_device_chain``)."""
    report = ChainReport(0, None)
    devices = [r[0] for r in db.execute("SELECT DISTINCT device FROM audit ORDER BY device")]
    for device in devices:
        count, chain_broken = verify_device_chain(db, device, source=source)
        check = _DeviceCheck(device, signatures_between(db, device, 0))
        broken = check.run(
            _author_rows(db, device, count), chain_broken, tail_allowed=device != own_device
        )
        report = ChainReport(
            report.count + check.count,
            broken,
            report.signed + check.signed,
            report.unsigned + check.unsigned,
        )
        if broken is not None:
            return report
    return report


#: What the authors' check reads of an entry (``sync.authorship.Authority`` needs no more).
_AUTHOR_FIELDS = ("seq", "action", "user", "role", "detail", "hash")


def _author_rows(db: sqlite_utils.Database, device: str, count: int) -> Iterator[tuple[Any, ...]]:
    """The first ``count`` entries of ``device`` (those whose chain verified), for the authors'
    check, in sequence order."""
    cursor = db.execute(
        f"SELECT {', '.join(_AUTHOR_FIELDS)} FROM audit WHERE device = ? ORDER BY seq LIMIT ?",
        [device, count],
    )
    while rows := cursor.fetchmany(5000):
        yield from rows


class _DeviceCheck:
    """One device's authors' signatures, walked once in sequence order over the entries whose
    hash chain verified (``verify_device_chain``, SQLite's fast path): what the chain check
    found first, the chain's break or an author's, is the device's break."""

    def __init__(self, device: str, signatures: list[EntrySignature]) -> None:
        self.authority = Authority(device)
        self.pending = {s.seq_from: s for s in signatures}
        self.count = self.signed = self.unsigned = 0

    def run(
        self,
        rows: Iterator[tuple[Any, ...]],
        chain_broken: ChainBreak | None,
        *,
        tail_allowed: bool,
    ) -> ChainBreak | None:
        group: list[dict[str, Any]] = []
        sig: EntrySignature | None = None
        tail: int | None = None  # first entry waiting for its signature
        for row in rows:
            self.count += 1
            seq = row[0]
            if sig is None:
                sig = self.pending.pop(seq, None)
            entry = dict(zip(_AUTHOR_FIELDS, row, strict=True))
            try:
                if sig is None:
                    if self.authority.signed_yet and tail_allowed:
                        tail = seq if tail is None else tail
                        continue
                    self.authority.admit_unsigned(entry)
                    self.unsigned += 1
                    continue
                if tail is not None:
                    return ChainBreak(self.authority.device, tail, _UNSIGNED)
                group.append(entry)
                if seq == sig.seq_to:
                    self.authority.admit_group(group, sig)
                    self.signed += len(group)
                    group, sig = [], None
            except AuthorshipError as exc:
                return ChainBreak(self.authority.device, exc.seq, exc.message)
        if chain_broken is not None:
            return chain_broken
        if self.pending:
            return ChainBreak(self.authority.device, min(self.pending), _NOT_HELD)
        if sig is not None and not tail_allowed:
            return ChainBreak(self.authority.device, sig.seq_from, _NOT_HELD)
        return None


_UNSIGNED = "not signed by its author"
_NOT_HELD = "a signature covers entries that are not held"


def entries_after(
    db: sqlite_utils.Database, device: str, after_seq: int, *, limit: int = 500
) -> list[dict[str, Any]]:
    """This device's entries with a sequence number above ``after_seq``, in order: about
    ``limit``, never ending inside a signed group (the last entry of each group carries its
    author's signature record as ``signature``)."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM audit WHERE device = ? AND seq > ? AND seq <= ?"
    cursor = db.execute(sql + " ORDER BY seq LIMIT ?", [device, after_seq, 2**62, limit])
    entries = [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    if not entries:
        return entries
    last = int(entries[-1]["seq"])
    # the groups these entries are in (the last one may go on past them): not every group to
    # the end of the outbox, which a large backlog read in runs would fetch again each run
    signatures = signatures_between(db, device, after_seq, last)
    open_group = next((s for s in signatures if s.seq_from <= last < s.seq_to), None)
    if open_group is not None:  # the group goes on past the limit: take it whole
        cursor = db.execute(sql + " ORDER BY seq", [device, last, open_group.seq_to])
        entries += [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    ends = {s.seq_to: s for s in signatures}
    for entry in entries:
        sig = ends.get(int(entry["seq"]))
        if sig is not None:
            entry["signature"] = sig.to_record()
    return entries


def chain_start(db: sqlite_utils.Database, device: str) -> tuple[tuple[str, bytes] | None, int]:
    """How ``device``'s chain starts: its root (the admin and public key of the key that signed
    its first entries and granted itself, or None) and how many entries it starts with that
    were written before user signatures (what enrolment binds, ``sync.authorship``)."""
    first = db.execute(
        "SELECT seq_from, seq_to, key_id, signer FROM audit_signatures WHERE device = ? "
        "ORDER BY seq_from LIMIT 1",
        [device],
    ).fetchone()
    if first is None:
        return None, last_seq(db, device)
    seq_from, seq_to, kid, signer = first
    if seq_from > 1:
        return None, int(seq_from) - 1
    rows = db.execute(
        "SELECT detail FROM audit WHERE device = ? AND seq BETWEEN ? AND ? AND action = 'user.add'",
        [device, seq_from, seq_to],
    ).fetchall()
    for (detail,) in rows:
        text = json.loads(detail or "{}").get("public_key")
        raw = base64.b64decode(text) if isinstance(text, str) else b""
        if raw and key_id_of(raw) == kid:
            return (str(signer), raw), 0
    return None, 0


def last_seq(db: sqlite_utils.Database, device: str) -> int:
    row = db.execute("SELECT max(seq) FROM audit WHERE device = ?", [device]).fetchone()
    return int(row[0] or 0)


def trail(
    db: sqlite_utils.Database,
    *,
    subject: str | None = None,
    form: str | None = None,
    item: str | None = None,
    user: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 10_000,
) -> list[dict[str, Any]]:
    """Audit entries filtered as a monitor asks (per subject / form / item / user / date)."""
    where, params = [], []
    for column, value in (("subject", subject), ("form", form), ("item", item), ("user", user)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if since is not None:
        where.append("ts >= ?")
        params.append(since)
    if until is not None:
        where.append("ts < ?")
        params.append(until)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY ts, device, seq LIMIT ?"
    cursor = db.execute(sql, [*params, limit])
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def subject_entries(db: sqlite_utils.Database, subject: str, action: str) -> list[dict[str, Any]]:
    """Every device's entries of one action about one subject, in time order (entries pulled
    from other devices included: a decision made on another computer counts here too)."""
    cursor = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM audit WHERE subject = ? AND action = ? "
        "ORDER BY ts, device, seq",
        [subject, action],
    )
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


# -- reading the trail for review and export -------------------------------------------------


@dataclass(frozen=True)
class TrailFilter:
    """What a monitor narrows the trail to; ``since``/``until`` are UTC stamps as in ``ts``
    (``until`` excluded). Every field left None matches everything."""

    subject: str | None = None
    user: str | None = None
    action: str | None = None
    since: str | None = None
    until: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition (with its leading WHERE, or empty) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (("subject", self.subject), ("user", self.user)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.action is not None:
            clauses.append("action = ?")
            params.append(self.action)
        if self.since is not None:
            clauses.append("ts >= ?")
            params.append(self.since)
        if self.until is not None:
            clauses.append("ts < ?")
            params.append(self.until)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def source(self) -> str:
        """The table to read, in time order. Without a subject, walk the time index: the
        planner otherwise sorts the whole trail for a page of 500 (0.7 s at 200,000 entries
        instead of 2 ms); a subject's entries are found by their own index and sorted."""
        return "audit" if self.subject is not None else "audit INDEXED BY audit_ts"


#: Where an entry stands in the newest-first order; a page continues below the last one shown.
TrailKey = tuple[str, str, int]


def trail_page(
    db: sqlite_utils.Database,
    where: TrailFilter,
    *,
    before: TrailKey | None = None,
    offset: int = 0,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Entries newest first, by (ts, device, seq). ``before`` pages by key, so entries that
    arrive while a monitor reads (a pull, a lock) neither repeat nor hide one."""
    condition, params = where.where()
    if before is not None:
        condition += (" AND " if condition else " WHERE ") + "(ts, device, seq) < (?, ?, ?)"
        params.extend(before)
    sql = (
        f"SELECT {', '.join(_COLUMNS)} FROM {where.source()}{condition} "
        "ORDER BY ts DESC, device DESC, seq DESC LIMIT ? OFFSET ?"
    )
    cursor = db.execute(sql, [*params, limit, offset])
    return [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def trail_count(db: sqlite_utils.Database, where: TrailFilter) -> int:
    condition, params = where.where()
    return int(db.execute(f"SELECT count(*) FROM audit{condition}", params).fetchone()[0])


def iter_trail(
    db: sqlite_utils.Database, where: TrailFilter, *, batch: int = 2000
) -> Iterator[dict[str, Any]]:
    """Every matching entry oldest first (chain order), read in batches: an export of a
    million entries never holds them all in memory."""
    condition, params = where.where()
    cursor = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM {where.source()}{condition} ORDER BY ts, device, seq",
        params,
    )
    while rows := cursor.fetchmany(batch):
        for row in rows:
            yield dict(zip(_COLUMNS, row, strict=True))


def trail_values(db: sqlite_utils.Database, column: str) -> list[str]:
    """The distinct values of ``subject``, ``user`` or ``action`` (for filter choices)."""
    if column not in ("subject", "user", "action"):
        raise ValueError(f"not a filter column: {column}")
    cursor = db.execute(
        f"SELECT DISTINCT {column} FROM audit WHERE {column} IS NOT NULL ORDER BY {column}"
    )
    return [str(row[0]) for row in cursor.fetchall()]


#: Every stored column of an entry, in storage order (the CSV export's header).
COLUMNS = _COLUMNS
