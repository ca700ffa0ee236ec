"""Sync with the central server: enrol this device, run a round, report the state.

The network part lives in ``sync.client``; this module is its driver on the real encrypted
database. ``SiteSyncStore`` implements the client's ``SyncStore`` interface:

- the outbox is this device's audit entries above the acknowledged sequence (``sync_state``
  key ``acked_seq``); a receipt is stored and the sequence moved in one transaction;
- a refused set is kept under ``quarantine:<id>`` with its reason and bytes, never dropped;
- pulled records are applied in one transaction with the new cursor: other devices' entries go
  into the local audit table as they came (their chains verify on their own) and their effects
  into the data tables; queries (a monitor's or a conflict's) are kept under ``query:<id>``, and
  an open conflict query marks its item (``item_values.conflict``) until it is closed.

Store functions that this needs and ``desktop_crf.store`` does not offer (reading a sync-state
prefix, marking an item's conflict) are small private helpers here.

The demo site never syncs.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_crf.errors import InvalidInput, KnownError, ReasonRequired
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Changes, Session
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import entries_after, store_foreign_entry, utc_now
from desktop_crf.store.database import transaction
from sync.changeset import SignedChangeSet
from sync.client import (
    ChainMismatch,
    ChangeSetRefused,
    DeviceIdentity,
    DeviceRevoked,
    RetryPolicy,
    RoundResult,
    ServerUnreachable,
    SyncClient,
    SyncError,
    SyncRefused,
    SyncStore,
    enrol,
)
from sync.entries import GENESIS_HASH, entry_hash

ACKED_SEQ = "acked_seq"
PULL_CURSOR = "pull_cursor"
SERVER_URL = "server_url"
ENROLLED = "enrolled"
LAST_SUCCESS = "last_success"
LAST_ERROR = "last_error"
RECEIPT_PREFIX = "receipt:"
QUARANTINE_PREFIX = "quarantine:"
QUERY_PREFIX = "query:"


class DemoSiteNeverSyncs(KnownError):
    def __init__(self) -> None:
        super().__init__(
            "This is the demonstration site: its made-up data is never sent to the server."
        )


class NotEnrolled(KnownError):
    def __init__(self) -> None:
        super().__init__(
            "This computer is not enrolled with a sync server yet. Ask the data manager for an "
            "enrolment token and run 'crf enroll'."
        )


class SyncFailed(KnownError):
    """A sync round that stopped; the message says why and what to do. Nothing was lost."""

    exit_code = 3


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows."""

    enrolled: bool
    server_url: str | None
    pending: int
    acked_seq: int
    last_success: str | None
    last_error: str | None
    quarantined: int
    conflicts: int
    open_queries: int


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
                    _apply_query(self._db, record["query"])
            repo.set_sync_state(self._db, PULL_CURSOR, str(cursor))


class PulledEntryInvalid(SyncFailed):
    def __init__(self, device: str, seq: int) -> None:
        super().__init__(
            f"An entry received from the server ({device}#{seq}) does not verify against its "
            "hash chain, so nothing of this download was applied. Tell your data manager."
        )


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
        key = repo.FormKey(
            entry["subject"], entry["event"], entry["form"], int(entry.get("event_repeat") or 1)
        )
        value = repo.StoredValue(
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
    key = repo.FormKey(
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


def _item_key(key: repo.FormKey, entry: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        key.subject_id,
        key.event,
        key.event_repeat,
        key.form,
        entry["item_group"],
        int(entry.get("group_repeat") or 1),
        entry["item"],
    )


def _apply_query(db: Any, query: Mapping[str, Any]) -> None:
    repo.set_sync_state(db, QUERY_PREFIX + str(query["id"]), json.dumps(query))
    if query.get("kind") != "conflict" or not query.get("item") or not query.get("subject"):
        return
    key = repo.FormKey(
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
            value = repo.StoredValue(item_key[4], item_key[5], item_key[6], None, None, 0, marker)
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


def _prefixed(db: Any, prefix: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT value FROM sync_state WHERE key >= ? AND key < ? ORDER BY key",
        [prefix, prefix + "\uffff"],
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def _identity(session: Session) -> DeviceIdentity:
    raw = repo.device_private_key(session.db, session.site.device)
    return DeviceIdentity(
        session.site.device,
        session.site.study_id,
        session.site.site_code,
        Ed25519PrivateKey.from_private_bytes(raw),
    )


def _refuse_demo(session: Session) -> None:
    if session.site.demo:
        raise DemoSiteNeverSyncs()


def enroll_device(
    session: Session,
    *,
    server_url: str,
    token: str,
    label: str = "",
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
) -> dict[str, Any]:
    """Register this device's key with the server using a one-time token; remember the server.

    Raises:
        DemoSiteNeverSyncs, PermissionDenied, SyncFailed: with the server's reason.
    """
    session.require(Permission.SYNC)
    _refuse_demo(session)
    identity = _identity(session)
    try:
        answer = enrol(
            server_url,
            token=token,
            device=identity.device,
            study=identity.study,
            private_key=identity.private_key,
            label=label or identity.device,
            http=http,
            retry=retry,
        )
    except SyncError as exc:
        raise SyncFailed(f"Enrolment failed: {exc}") from exc
    if answer.get("site") != identity.site:
        raise SyncFailed(
            f"The token is for site {answer.get('site')}, but this computer is site "
            f"{identity.site}. Ask for a token for the right site."
        )
    with transaction(session.db, session.paths.database):
        repo.set_sync_state(session.db, SERVER_URL, server_url.rstrip("/"))
        repo.set_sync_state(session.db, ENROLLED, json.dumps(answer))
    with session.write() as audit:
        audit.append("sync.enrol", detail=json.dumps({"server": server_url, **answer}))
    return answer


@dataclass(frozen=True)
class RoundPlan:
    """What a round needs, read from the database once: the server and the device identity."""

    server_url: str
    identity: DeviceIdentity


def plan_round(session: Session, *, server_url: str | None = None) -> RoundPlan:
    """Read what a round needs (on the thread that owns the database).

    Raises:
        DemoSiteNeverSyncs, NotEnrolled, PermissionDenied.
    """
    session.require(Permission.SYNC)
    _refuse_demo(session)
    url = server_url or repo.get_sync_state(session.db, SERVER_URL)
    if not url or not repo.get_sync_state(session.db, ENROLLED):
        raise NotEnrolled()
    return RoundPlan(url, _identity(session))


def run_round(
    plan: RoundPlan,
    store: SyncStore,
    *,
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
) -> RoundResult:
    """Probe once, then upload and pull (network work; may run off the database thread).

    ``store`` is a ``SiteSyncStore``, or a proxy that runs each of its calls (each one short
    transaction) on the thread that owns the database.

    Raises:
        SyncFailed: the round stopped with the reason; nothing was lost.
    """
    try:
        with SyncClient(
            plan.server_url, plan.identity, http=http, retry=retry, timeout=timeout
        ) as client:
            client.probe()  # one try: an unreachable server ends the round at once
            return client.sync_round(store)
    except (ServerUnreachable, DeviceRevoked, ChangeSetRefused, SyncRefused, ChainMismatch) as exc:
        raise SyncFailed(str(exc)) from exc


def record_round(session: Session, error: Exception | None) -> None:
    """Remember the last success or the last error, for the status bar."""
    if error is None:
        _remember(session, LAST_SUCCESS, utc_now())
    else:
        _remember(session, LAST_ERROR, f"{utc_now()} {error}")


def sync_now(
    session: Session,
    *,
    server_url: str | None = None,
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
) -> RoundResult:
    """Run one round on this thread: upload everything pending, then pull (the CLI's way).

    Raises:
        DemoSiteNeverSyncs, NotEnrolled, SyncFailed: the round stopped; nothing was lost.
    """
    plan = plan_round(session, server_url=server_url)
    try:
        result = run_round(plan, SiteSyncStore(session), http=http, retry=retry, timeout=timeout)
    except SyncFailed as exc:
        record_round(session, exc)
        raise
    record_round(session, None)
    return result


def _remember(session: Session, key: str, value: str) -> None:
    with transaction(session.db, session.paths.database):
        repo.set_sync_state(session.db, key, value)


def sync_status(session: Session) -> SyncStatus:
    """Return what the status bar shows: enrolment, pending changes, last success and error."""
    db = session.db
    acked = int(repo.get_sync_state(db, ACKED_SEQ, "0"))
    pending = db.execute(
        "SELECT count(*) FROM audit WHERE device = ? AND seq > ?", [session.site.device, acked]
    ).fetchone()[0]
    conflicts = db.execute("SELECT count(*) FROM item_values WHERE conflict IS NOT NULL")
    queries = [q for q in _prefixed(db, QUERY_PREFIX) if q.get("status") == "open"]
    return SyncStatus(
        enrolled=bool(repo.get_sync_state(db, ENROLLED)) and not session.site.demo,
        server_url=repo.get_sync_state(db, SERVER_URL) or None,
        pending=int(pending),
        acked_seq=acked,
        last_success=repo.get_sync_state(db, LAST_SUCCESS) or None,
        last_error=repo.get_sync_state(db, LAST_ERROR) or None,
        quarantined=len(_prefixed(db, QUARANTINE_PREFIX)),
        conflicts=int(conflicts.fetchone()[0]),
        open_queries=len(queries),
    )


def quarantined_sets(session: Session) -> list[dict[str, Any]]:
    """The change sets the server refused, with the reason (the bytes are kept too)."""
    session.require(Permission.SYNC)
    return [
        {k: v for k, v in q.items() if k != "envelope"}
        for q in _prefixed(session.db, QUARANTINE_PREFIX)
    ]


def server_queries(session: Session, subject_id: str | None = None) -> list[dict[str, Any]]:
    """Queries that came from the server (monitors' and conflicts), optionally of one subject."""
    session.require(Permission.VIEW_DATA)
    queries = _prefixed(session.db, QUERY_PREFIX)
    return [q for q in queries if subject_id is None or q.get("subject") == subject_id]


def resolve_conflict(
    session: Session,
    key: repo.FormKey,
    *,
    item_group: str,
    item: str,
    value: str | None,
    reason: str,
    unit: str | None = None,
    group_repeat: int = 1,
) -> Changes:
    """Resolve an item in conflict with the value a person chose, and the reason.

    The resolution is a new change (audit action ``conflict.resolve``); once it reaches the
    server the conflict query is closed on every device.

    Raises:
        ReasonRequired: no reason given. InvalidInput: the item is not in conflict.
    """
    session.require(Permission.ENTER_DATA)
    session.require_subject(key.subject_id, key.form)
    if not reason.strip():
        raise ReasonRequired(item)
    with session.write() as audit:
        current = repo.form_values(session.db, key).get((item_group, group_repeat, item))
        if current is None or current.conflict is None:
            raise InvalidInput(f"{item} is not in conflict; change it as usual.")
        stored = repo.StoredValue(item_group, group_repeat, item, value, unit, current.rev + 1)
        repo.write_value(
            session.db, key, stored, updated_at=utc_now(), updated_by=session.actor.user
        )
        audit.append(
            "conflict.resolve",
            subject=key.subject_id,
            event=key.event,
            event_repeat=key.event_repeat,
            form=key.form,
            item_group=item_group,
            group_repeat=group_repeat,
            item=item,
            old=current.value,
            new=value,
            unit=unit,
            reason=reason.strip(),
            base_rev=current.rev,
            detail=current.conflict,
        )
    return Changes(key.subject_id, key.event, key.form, (item,))
