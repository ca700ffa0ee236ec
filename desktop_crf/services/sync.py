"""Sync with the central server: enrol this device, run a round, report the state.

The network part lives in ``sync.client``; this module is its driver on the real encrypted
database, through ``SiteSyncStore`` (``desktop_crf.services.sync_store``, re-exported here).
Queries that come down from the server and the site's answers to them are in
``desktop_crf.services.queries``.

The demo site never syncs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.sync_errors import (
    DemoSiteNeverSyncs,
    NotEnrolled,
    PulledEntryInvalid,
    SyncFailed,
)
from desktop_crf.services.sync_store import (
    ACKED_SEQ,
    ENROLLED,
    LAST_ERROR,
    LAST_SUCCESS,
    PULL_CURSOR,
    QUARANTINE_PREFIX,
    QUERY_PREFIX,
    SERVER_URL,
    SiteSyncStore,
    prefixed_records,
)
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import utc_now
from desktop_crf.store.database import transaction
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

__all__ = [
    "ACKED_SEQ",
    "ENROLLED",
    "LAST_ERROR",
    "LAST_SUCCESS",
    "PULL_CURSOR",
    "QUARANTINE_PREFIX",
    "QUERY_PREFIX",
    "SERVER_URL",
    "DemoSiteNeverSyncs",
    "NotEnrolled",
    "PulledEntryInvalid",
    "RoundPlan",
    "SiteSyncStore",
    "SyncFailed",
    "SyncStatus",
    "enroll_device",
    "plan_round",
    "quarantined_sets",
    "record_round",
    "run_round",
    "sync_now",
    "sync_status",
]


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
    #: a monitor's queries still open (conflicts are counted in ``conflicts``)
    open_queries: int


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
    queries = [
        q
        for q in prefixed_records(db, QUERY_PREFIX)
        if q.get("status") == "open" and q.get("kind") != "conflict"
    ]
    return SyncStatus(
        enrolled=bool(repo.get_sync_state(db, ENROLLED)) and not session.site.demo,
        server_url=repo.get_sync_state(db, SERVER_URL) or None,
        pending=int(pending),
        acked_seq=acked,
        last_success=repo.get_sync_state(db, LAST_SUCCESS) or None,
        last_error=repo.get_sync_state(db, LAST_ERROR) or None,
        quarantined=len(prefixed_records(db, QUARANTINE_PREFIX)),
        conflicts=int(conflicts.fetchone()[0]),
        open_queries=len(queries),
    )


def quarantined_sets(session: Session) -> list[dict[str, Any]]:
    """The change sets the server refused, with the reason (the bytes are kept too)."""
    session.require(Permission.SYNC)
    return [
        {k: v for k, v in q.items() if k != "envelope"}
        for q in prefixed_records(session.db, QUARANTINE_PREFIX)
    ]
