"""What records pulled from the server do to this device's database.

Other devices' entries go into the local audit table as they came (their chains verify on their
own) and their effects into the data tables; query entries have none, because the queries come
down whole. A query (a monitor's or a conflict's) replaces this device's copy, keeping what this
device did to it that the server does not show yet (``sync.queries.with_local_changes``); the
server's copy of a query raised here takes the pending one's place. An open conflict's query
marks its item (``item_values.conflict``) until it is closed.

Everything runs inside the caller's transaction, with the new cursor: all of a page lands, or
none of it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pydantic
import sqlite_utils

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.store import queries as local_queries
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import store_foreign_entry, utc_now
from desktop_crf.store.sync_state import acknowledged_seq, set_pull_cursor
from sync.entries import GENESIS_HASH, entry_hash
from sync.entry_schema import entry_problem
from sync.queries import Query, with_local_changes


class PulledRecordInvalid(ValueError):
    """A pulled record this device cannot apply: an entry that does not verify against its
    hash chain (``device``, ``seq``), or a query that is not a query record (``query_id``)."""

    def __init__(
        self, *, device: str | None = None, seq: int | None = None, query_id: Any = None
    ) -> None:
        what = f"entry {device}#{seq}" if device is not None else f"query {query_id}"
        super().__init__(f"pulled {what} cannot be applied")
        self.device, self.seq, self.query_id = device, seq, query_id


def apply_pulled(
    db: sqlite_utils.Database, records: Sequence[Mapping[str, Any]], cursor: int, *, device: str
) -> None:
    """Apply a page of pulled records and store the new ``cursor`` (``device``: this one).

    Raises:
        PulledRecordInvalid: the caller's transaction must then be rolled back.
    """
    for record in records:
        if record.get("kind") == "entry":
            _apply_entry(db, record)
        elif record.get("kind") == "query":
            _apply_query(db, _read_query(record.get("query")), device)
    set_pull_cursor(db, cursor)


def _read_query(raw: Any) -> Query:
    try:
        return Query.from_record(raw)
    except pydantic.ValidationError as exc:
        query_id = raw.get("id") if isinstance(raw, dict) else None
        raise PulledRecordInvalid(query_id=query_id) from exc


def _apply_entry(db: sqlite_utils.Database, record: Mapping[str, Any]) -> None:
    entry = record.get("entry")
    if not isinstance(entry, Mapping):
        raise PulledRecordInvalid(device="?", seq=0)
    device, seq = str(entry.get("device"))[:100], _seq_of(entry)
    # Only what fits the shared schema is stored: then it is stored exactly as it came.
    if entry_problem(entry) is not None or entry_hash(entry) != entry.get("hash"):
        raise PulledRecordInvalid(device=device, seq=seq)
    rows = db.execute(
        "SELECT seq, hash FROM audit WHERE device = ? AND seq IN (?, ?)", [device, seq - 1, seq]
    ).fetchall()
    held = dict(rows)
    if seq in held:
        return
    # The other device's chain must continue here exactly as it does on the server.
    previous = held.get(seq - 1, GENESIS_HASH if seq == 1 else None)
    if previous is not None and entry.get("prev_hash") != previous:
        raise PulledRecordInvalid(device=device, seq=seq)
    store_foreign_entry(db, entry)
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


def _seq_of(entry: Mapping[str, Any]) -> int:
    seq = entry.get("seq")
    return seq if type(seq) is int else 0


def _apply_form_status(db: sqlite_utils.Database, entry: Mapping[str, Any]) -> None:
    if repo.get_subject(db, entry["subject"]) is None:
        return  # a status of a subject this device has not received: the audit entry is kept
    key = FormKey(
        entry["subject"], entry["event"], entry["form"], int(entry.get("event_repeat") or 1)
    )
    repo.set_form_status(db, key, entry["new"], updated_at=entry["ts"], updated_by=entry["user"])


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
    if query.id is None:
        raise PulledRecordInvalid(query_id=None)
    if query.origin is not None:  # raised on a device of this site: it now has its server id
        local_queries.drop_pending(db, query.origin)
    held = local_queries.get_query(db, query.id)
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
