"""What records pulled from the server do to this device's database.

Other devices' entries go into the local audit table as they came (their chains verify on their
own) and their effects into the data tables; query entries have none, because the queries come
down whole. A query (a monitor's or a conflict's) replaces this device's copy, keeping what this
device did to it that the server does not show yet (``sync.queries.with_local_changes``); the
server's copy of a query raised here takes the pending one's place. A laboratory's reference
range set or removed on another computer is set or removed here too (``store.lab_ranges``), a
monitor's source data verification is recorded (``store.sdv``) and a monitoring visit follows
its steps (``store.monitoring``).
An open conflict's query marks its item (``item_values.conflict``) until it is closed.

Everything runs inside the caller's transaction, with the new cursor. A record this device
cannot apply is set aside with the reason (``store.set_aside``) and the page goes on: one bad
record never stops a device from receiving what comes after it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pydantic
import sqlite_utils

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.store import lab_ranges, monitoring, sdv
from desktop_crf.store import queries as local_queries
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import store_foreign_entry, store_signature, utc_now
from desktop_crf.store.database import known_error
from desktop_crf.store.set_aside import set_aside
from desktop_crf.store.sync_state import acknowledged_seq, set_pull_cursor
from sync.authorship import EntrySignature
from sync.entries import GENESIS_HASH, entry_hash
from sync.queries import Query, with_local_changes


class PulledRecordInvalid(ValueError):
    """A pulled record this device cannot apply, and why (``reason``, for a person)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def apply_pulled(
    db: sqlite_utils.Database, records: Sequence[Mapping[str, Any]], cursor: int, *, device: str
) -> int:
    """Apply a page of pulled records and store the new ``cursor`` (``device``: this one).

    A record that cannot be applied never stops the page: it is set aside with the reason
    (``store.set_aside``) and the others are applied. An entry that fits the schema and its
    chain is stored even when what it does to the data cannot be done here (then only that is
    set aside), so that the other device's chain still verifies on this one.

    Returns:
        How many records were set aside.

    Raises:
        KnownError: a failure of the environment (disk full, locked, damaged): the caller's
            transaction must be rolled back and the page asked for again later.
    """
    count = 0
    for record in records:
        count += _apply_record(db, record, device)
    set_pull_cursor(db, cursor)
    return count


def _apply_record(db: sqlite_utils.Database, record: Any, device: str) -> int:
    """Apply one record inside a savepoint; set it aside (1) if it cannot be applied."""
    db.execute("SAVEPOINT pulled_record")
    stored, reason = False, None
    try:
        kind = record.get("kind") if isinstance(record, Mapping) else None
        if kind == "entry":
            stored = _store_entry(db, record)
            reason = (_store_signature(db, record) or _apply_effect(db, record)) if stored else None
        elif kind == "query":
            _apply_query(db, _read_query(record.get("query")), device)
        else:
            raise PulledRecordInvalid(f"an unknown kind of record: {str(kind)[:40]!r}")
    except PulledRecordInvalid as exc:
        db.execute("ROLLBACK TO pulled_record")
        stored, reason = False, exc.reason
    except Exception as exc:
        if known_error(exc, "") is not None:
            raise
        db.execute("ROLLBACK TO pulled_record")
        stored, reason = False, f"it could not be stored here ({_described(exc)})"
    if reason is not None:
        set_aside(db, record, reason=reason, stored=stored, at=utc_now())
    db.execute("RELEASE pulled_record")
    return int(reason is not None)


def _described(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _read_query(raw: Any) -> Query:
    try:
        query = Query.from_record(raw)
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        where = ".".join(str(p) for p in errors[0]["loc"]) if errors else ""
        why = errors[0]["msg"] if errors else "invalid"
        raise PulledRecordInvalid(f"not a query record ({where}: {why})") from exc
    if query.id is None:
        raise PulledRecordInvalid("a query from the server without its id")
    return query


def _store_entry(db: sqlite_utils.Database, record: Mapping[str, Any]) -> bool:
    """Store another device's entry as it came; False if this device holds it already.

    Raises:
        PulledRecordInvalid: it does not fit the entry schema, its hash or its chain.
    """
    from sync.entry_schema import entry_problem  # its models are built on first use

    entry = record.get("entry")
    problem = entry_problem(entry)
    if problem is not None:
        raise PulledRecordInvalid(f"the entry does not fit the entry schema: {problem}")
    assert isinstance(entry, Mapping)
    if entry_hash(entry) != entry.get("hash"):
        raise PulledRecordInvalid("the entry does not match its hash")
    device, seq = str(entry["device"]), int(entry["seq"])
    rows = db.execute(
        "SELECT seq, hash FROM audit WHERE device = ? AND seq IN (?, ?)", [device, seq - 1, seq]
    ).fetchall()
    held = dict(rows)
    if seq in held:
        return False
    # The other device's chain must continue here exactly as it does on the server.
    previous = held.get(seq - 1, GENESIS_HASH if seq == 1 else None)
    if previous is not None and entry.get("prev_hash") != previous:
        raise PulledRecordInvalid(f"the entry does not link to entry #{seq - 1} of {device}")
    store_foreign_entry(db, entry)
    return True


def _store_signature(db: sqlite_utils.Database, record: Mapping[str, Any]) -> str | None:
    """Keep the author's signature that came with the last entry of its group; the reason it
    could not be kept (the entry stays stored, and verification will say it is unsigned)."""
    if record.get("signature") is None:
        return None
    device = str(record["entry"]["device"])
    try:
        sig = EntrySignature.from_record(device, record["signature"])
    except ValueError as exc:
        return f"the entry is stored, but its author's signature is not readable ({exc})"
    if sig.seq_to != int(record["entry"]["seq"]):
        return "the entry is stored, but the signature that came with it is not for it"
    store_signature(db, sig)
    return None


def _apply_effect(db: sqlite_utils.Database, record: Mapping[str, Any]) -> str | None:
    """Do what a stored entry does to the data, in a savepoint of its own; the reason it
    could not be done (the entry stays stored), or None."""
    db.execute("SAVEPOINT pulled_effect")
    try:
        _effect(db, record)
    except Exception as exc:
        if known_error(exc, "") is not None:
            raise
        db.execute("ROLLBACK TO pulled_effect")
        db.execute("RELEASE pulled_effect")
        return f"the entry is stored, but its change could not be applied here ({_described(exc)})"
    db.execute("RELEASE pulled_effect")
    return None


def _effect(db: sqlite_utils.Database, record: Mapping[str, Any]) -> None:
    entry = record["entry"]
    action = entry.get("action")
    if action in ("item.set", "conflict.resolve") and record.get("outcome") in (
        "applied",
        "resolved",
    ):
        key = FormKey(
            entry["subject"], entry["event"], entry["form"], int(entry.get("event_repeat") or 1)
        )
        value = StoredValue(
            entry["item_group"],
            int(entry.get("group_repeat") or 1),
            entry["item"],
            entry.get("new"),
            entry.get("unit"),
            int(record.get("rev") or 0),
            None,
        )
        repo.write_value(db, key, value, updated_at=entry["ts"], updated_by=entry["user"])
    elif action in ("subject.create", "subject.update"):
        _apply_subject(db, entry)
    elif action == "form.status" and entry.get("new") in ("draft", "complete"):
        _apply_form_status(db, entry)
    elif action == "form.sign":
        _apply_form_signature(db, entry)
    elif action in lab_ranges.ACTIONS:
        lab_ranges.apply_entry(db, entry)
    elif action == sdv.ACTION:
        sdv.apply_entry(db, entry)
    elif action in monitoring.ACTIONS:
        monitoring.apply_entry(db, entry)


def _apply_form_status(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> None:
    if repo.get_subject(db, entry["subject"]) is None:
        return  # a status of a subject this device has not received: the audit entry is kept
    key = FormKey(
        entry["subject"], entry["event"], entry["form"], int(entry.get("event_repeat") or 1)
    )
    repo.set_form_status(db, key, entry["new"], updated_at=entry["ts"], updated_by=entry["user"])


def _apply_form_signature(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> None:
    """A signature made on another computer: the form shows signed here too, by the content
    hash it signed, so a later change here or there shows it broken (``repo.content_hash``)."""
    key = FormKey(
        entry["subject"], entry["event"], entry["form"], int(entry.get("event_repeat") or 1)
    )
    detail = json.loads(entry["detail"])
    names = ("signer", "signer_name", "meaning", "signed_at", "content_hash")
    repo.insert_signature(db, key, {name: str(detail[name]) for name in names})


def _apply_subject(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> None:
    try:
        changed = json.loads(entry.get("new") or "{}")
    except ValueError:
        return
    subject = {**(repo.get_subject(db, entry["subject"]) or {}), **changed}
    subject.update(subject_id=entry["subject"], updated_at=entry["ts"])
    if all(subject.get(k) for k in ("study_id", "study_version", "status")):
        repo.upsert_subject(db, subject)


def _apply_query(db: sqlite_utils.Database, query: Query, device: str) -> None:
    assert query.id is not None  # _read_query refuses a query without its id
    held = local_queries.get_query(db, query.id)
    if query.origin is not None:  # raised on a device of this site: it now has its server id
        pending = local_queries.get_pending(db, query.origin)
        # what was done here to the pending query and is not on the server's copy yet
        held = held or pending
        local_queries.drop_pending(db, query.origin)
    acked = acknowledged_seq(db)
    local_queries.put_query(db, with_local_changes(query, held, device=device, acked_seq=acked))
    place = (query.subject, query.event, query.form, query.item_group, query.item)
    if query.kind == "conflict" and all(place):
        _mark_conflict(db, query)


def _mark_conflict(db: sqlite_utils.Database, query: Query) -> None:
    """An open conflict marks its item; a closed one clears the mark."""
    key = FormKey(
        str(query.subject), str(query.event), str(query.form), int(query.event_repeat or 1)
    )
    group, repeat, item = str(query.item_group), int(query.group_repeat or 1), str(query.item)
    where = (
        "subject_id = ? AND event = ? AND event_repeat = ? AND form = ? AND item_group = ? "
        "AND group_repeat = ? AND item = ?"
    )
    item_key = [key.subject_id, key.event, key.event_repeat, key.form, group, repeat, item]
    if query.status == "open":
        values = [v.model_dump(mode="json") for v in query.values]
        marker = json.dumps({"query_id": query.id, "values": values})
        changed = db.execute(
            f"UPDATE item_values SET conflict = ? WHERE {where}", [marker, *item_key]
        ).rowcount
        if not changed:
            value = StoredValue(group, repeat, item, None, None, 0, marker)
            repo.write_value(db, key, value, updated_at=utc_now(), updated_by="server")
    else:
        # The resolution's revision is the server's: align with it, so that the next change
        # of this item carries the base revision the server expects.
        rev = query.resolution.rev if query.resolution is not None else None
        db.execute(
            f"UPDATE item_values SET conflict = NULL, rev = coalesce(?, rev) WHERE {where}",
            [rev, *item_key],
        )
