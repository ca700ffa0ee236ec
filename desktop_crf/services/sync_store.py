"""The sync client's store on the real encrypted database, and what pulled records do to it.

``SiteSyncStore`` implements ``sync.client.SyncStore``:

- the outbox is this device's audit entries above the acknowledged sequence (``sync_state``
  key ``acked_seq``); a receipt is stored and the sequence moved in one transaction;
- a refused set is kept under ``quarantine:<id>`` with its reason and bytes, never dropped;
- pulled records are applied in one transaction with the new cursor: other devices' entries go
  into the local audit table as they came (their chains verify on their own) and their effects
  into the data tables (query entries have none: the queries come down whole); queries (a
  monitor's or a conflict's) are kept under ``query:<id>``, and an open conflict query marks its
  item (``item_values.conflict``) until it is closed;
- a query a monitor raised on this device waits under ``query:local:<device>:<seq>`` (``id``
  None, ``origin`` naming its ``query.raise`` entry) until the server's copy, which carries the
  same ``origin``, comes down and takes its place in the same transaction.

Store functions that this needs and ``desktop_crf.store`` does not offer (reading a sync-state
prefix, marking an item's conflict) are small helpers here.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.session import Session
from desktop_crf.services.sync_errors import PulledEntryInvalid
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import entries_after, store_foreign_entry, utc_now
from desktop_crf.store.database import transaction
from sync.changeset import SignedChangeSet
from sync.entries import GENESIS_HASH, entry_hash, moved

ACKED_SEQ = "acked_seq"
PULL_CURSOR = "pull_cursor"
SERVER_URL = "server_url"
ENROLLED = "enrolled"
LAST_SUCCESS = "last_success"
LAST_ERROR = "last_error"
RECEIPT_PREFIX = "receipt:"
QUARANTINE_PREFIX = "quarantine:"
QUERY_PREFIX = "query:"
PENDING_QUERY_PREFIX = QUERY_PREFIX + "local:"
#: A monitor's move of a query: the status it leads to -> the statuses it may start from (the
#: server's rule, ``sync.server.queries``).
MOVE_FROM = {"closed": ("open", "answered"), "open": ("answered", "closed")}


class SiteSyncStore:
    """The client's ``SyncStore`` on an unlocked site database."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._device = session.site.device

    @property
    def _db(self) -> Any:
        return self._session.db

    def _tx(self) -> Any:
        return transaction(self._db, self._session.paths.database)

    def acknowledged_seq(self) -> int:
        return int(repo.get_sync_state(self._db, ACKED_SEQ, "0"))

    def pending_entries(self, after_seq: int, limit: int) -> Sequence[Mapping[str, Any]]:
        return entries_after(self._db, self._device, after_seq, limit=limit)

    def entry_hash(self, seq: int) -> str | None:
        row = self._db.execute(
            "SELECT hash FROM audit WHERE device = ? AND seq = ?", [self._device, seq]
        ).fetchone()
        return str(row[0]) if row else None

    def record_receipt(self, receipt: Mapping[str, Any]) -> None:
        with self._tx():
            repo.set_sync_state(self._db, RECEIPT_PREFIX + str(receipt["id"]), json.dumps(receipt))
            acked = max(self.acknowledged_seq(), int(receipt["seq_to"]))
            repo.set_sync_state(self._db, ACKED_SEQ, str(acked))

    def quarantine(self, changeset: SignedChangeSet, code: str, reason: str) -> None:
        record = {
            "id": changeset.id,
            "code": code,
            "reason": reason,
            "seq_from": changeset.changeset.seq_from,
            "seq_to": changeset.changeset.seq_to,
            "at": utc_now(),
            "envelope": base64.b64encode(changeset.envelope()).decode("ascii"),
        }
        # Keyed by the first sequence: the same run refused again (rebuilt with a new time,
        # so a new id) replaces its record instead of piling up copies.
        key = f"{QUARANTINE_PREFIX}{changeset.changeset.seq_from:012d}"
        with self._tx():
            repo.set_sync_state(self._db, key, json.dumps(record))

    def pull_cursor(self) -> int:
        return int(repo.get_sync_state(self._db, PULL_CURSOR, "0"))

    def apply_pulled(self, records: Sequence[Mapping[str, Any]], cursor: int) -> None:
        with self._tx():
            for record in records:
                if record.get("kind") == "entry":
                    _apply_entry(self._db, record)
                elif record.get("kind") == "query":
                    _apply_query(self._db, record["query"], self._device)
            repo.set_sync_state(self._db, PULL_CURSOR, str(cursor))


def prefixed_records(db: Any, prefix: str) -> list[dict[str, Any]]:
    """Return the JSON records kept in ``sync_state`` under keys starting with ``prefix``."""
    rows = db.execute(
        "SELECT value FROM sync_state WHERE key >= ? AND key < ? ORDER BY key",
        [prefix, prefix + "\uffff"],
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def read_query(db: Any, query_id: int) -> dict[str, Any] | None:
    """Return the query kept on this device under ``query:<id>``, or None."""
    raw = repo.get_sync_state(db, QUERY_PREFIX + str(query_id))
    return json.loads(raw) if raw else None


def write_query(db: Any, query: Mapping[str, Any]) -> None:
    """Keep ``query`` on this device (inside the caller's transaction)."""
    repo.set_sync_state(db, QUERY_PREFIX + str(query["id"]), json.dumps(query))


def pending_query_key(device: str, seq: int) -> str:
    """Where a query raised on this device waits for its server id."""
    return f"{PENDING_QUERY_PREFIX}{device}:{seq}"


def write_pending_query(db: Any, query: Mapping[str, Any]) -> None:
    """Keep a query raised here, not yet on the server (inside the caller's transaction)."""
    origin = query["origin"]
    key = pending_query_key(str(origin["device"]), int(origin["seq"]))
    repo.set_sync_state(db, key, json.dumps(query))


def move_allowed(query: Mapping[str, Any], to: str) -> bool:
    """Whether a monitor may move ``query`` to status ``to`` (never a conflict's query)."""
    return query.get("kind") != "conflict" and query.get("status") in MOVE_FROM[to]


def _apply_entry(db: Any, record: Mapping[str, Any]) -> None:
    entry = record["entry"]
    device, seq = str(entry.get("device")), int(entry.get("seq") or 0)
    if entry_hash(entry) != entry.get("hash"):
        raise PulledEntryInvalid(device, seq)
    rows = db.execute(
        "SELECT seq, hash FROM audit WHERE device = ? AND seq IN (?, ?)", [device, seq - 1, seq]
    ).fetchall()
    held = dict(rows)
    if seq in held:
        return
    # The other device's chain must continue here exactly as it does on the server.
    previous = held.get(seq - 1, GENESIS_HASH if seq == 1 else None)
    if previous is not None and entry.get("prev_hash") != previous:
        raise PulledEntryInvalid(device, seq)
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


def _apply_form_status(db: Any, entry: Mapping[str, Any]) -> None:
    if repo.get_subject(db, entry["subject"]) is None:
        return  # a status of a subject this device has not received: the audit entry is kept
    key = FormKey(
        entry["subject"], entry["event"], entry["form"], int(entry.get("event_repeat") or 1)
    )
    repo.set_form_status(db, key, entry["new"], updated_at=entry["ts"], updated_by=entry["user"])


def _apply_subject(db: Any, entry: Mapping[str, Any]) -> None:
    try:
        changed = json.loads(entry.get("new") or "{}")
    except ValueError:
        return
    subject = {**(repo.get_subject(db, entry["subject"]) or {}), **changed}
    subject.update(subject_id=entry["subject"], updated_at=entry["ts"])
    if all(subject.get(k) for k in ("study_id", "study_version", "status")):
        repo.upsert_subject(db, subject)


def _with_local_changes(db: Any, query: Mapping[str, Any], device: str) -> Mapping[str, Any]:
    """Keep what this device did to a query that the server's copy does not show yet.

    An answer made after the round uploaded (or before an older state of the query comes
    down) reaches the server with the next change set; until then the device keeps showing it.
    A monitor's close or reopen made here is kept the same way while its entry is not
    acknowledged: once the server holds the entry its copy is the truth (a move the server
    found no longer possible, e.g. the query was closed there meanwhile, is then dropped here
    too). Kept changes are applied in the order they were made, by the server's rules.
    """
    held = read_query(db, int(query["id"]))
    if not held:
        return query
    acked = int(repo.get_sync_state(db, ACKED_SEQ, "0"))
    answers = {(a.get("device"), a.get("seq")) for a in query.get("answers") or []}
    steps = {(h.get("device"), h.get("seq")) for h in query.get("history") or []}
    local = [
        (True, a)
        for a in held.get("answers") or []
        if (a.get("device"), a.get("seq")) not in answers
    ]
    local += [
        (False, h)
        for h in held.get("history") or []
        if h.get("device") == device
        and int(h.get("seq") or 0) > acked
        and (h.get("device"), h.get("seq")) not in steps
    ]
    merged = dict(query)
    for is_answer, record in sorted(local, key=lambda change: int(change[1].get("seq") or 0)):
        if is_answer:
            merged = _with_answer(merged, record)
        elif move_allowed(merged, str(record.get("status"))):
            merged = moved(merged, record)
    return merged


def _with_answer(query: Mapping[str, Any], answer: Mapping[str, Any]) -> dict[str, Any]:
    status = query.get("status")
    if query.get("kind") == "monitor" and status == "open":
        status = "answered"
    return {**query, "answers": [*(query.get("answers") or []), dict(answer)], "status": status}


def _item_key(key: FormKey, entry: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        key.subject_id,
        key.event,
        key.event_repeat,
        key.form,
        entry["item_group"],
        int(entry.get("group_repeat") or 1),
        entry["item"],
    )


def _apply_query(db: Any, query: Mapping[str, Any], device: str) -> None:
    origin = query.get("origin")
    if isinstance(origin, dict):  # raised on a device of this site: it now has its server id
        pending = pending_query_key(str(origin.get("device")), int(origin.get("seq") or 0))
        db.execute("DELETE FROM sync_state WHERE key = ?", [pending])
    write_query(db, _with_local_changes(db, query, device))
    if query.get("kind") != "conflict" or not query.get("item") or not query.get("subject"):
        return
    key = FormKey(
        query["subject"], query["event"], query["form"], int(query.get("event_repeat") or 1)
    )
    item_key = _item_key(key, query)
    if query.get("status") == "open":
        marker = json.dumps({"query_id": query["id"], "values": query.get("values", [])})
        changed = db.execute(
            "UPDATE item_values SET conflict = ? WHERE subject_id = ? AND event = ? AND "
            "event_repeat = ? AND form = ? AND item_group = ? AND group_repeat = ? AND item = ?",
            [marker, *item_key],
        ).rowcount
        if not changed:
            value = StoredValue(item_key[4], item_key[5], item_key[6], None, None, 0, marker)
            repo.write_value(db, key, value, updated_at=utc_now(), updated_by="server")
    else:
        # The resolution's revision is the server's: align with it, so that the next change
        # of this item carries the base revision the server expects.
        rev = (query.get("resolution") or {}).get("rev")
        db.execute(
            "UPDATE item_values SET conflict = NULL, rev = coalesce(?, rev) WHERE subject_id = ? "
            "AND event = ? AND event_repeat = ? AND form = ? AND item_group = ? AND "
            "group_repeat = ? AND item = ?",
            [rev, *item_key],
        )
