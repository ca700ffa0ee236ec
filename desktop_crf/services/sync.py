"""Sync with the central server: enrol this device, run a round, report the state.

The network part lives in ``sync.client``; this module drives it on the real encrypted
database through ``SiteSyncStore`` (each of the client's store calls is one short transaction
on ``desktop_crf.store.sync_state``, ``store.pulled`` and ``store.queries``). Queries that come
down from the server and the site's answers to them are in ``desktop_crf.services.queries``.

The app runs a round on a thread of its own: ``plan_round`` on the thread that owns the
database, ``run_round`` with a ``ThreadedSyncStore`` elsewhere, then ``record_round`` and
``sync_status`` back on the database thread. The CLI runs all of it at once (``sync_now``).

The demo site never syncs.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_crf import __version__
from desktop_crf.model import Changes
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.sync_errors import (
    DemoSiteNeverSyncs,
    NotEnrolled,
    RoundCancelled,
    SyncFailed,
)
from desktop_crf.services.sync_store import SiteSyncStore, ThreadedSyncStore
from desktop_crf.store import queries as local_queries
from desktop_crf.store import repository as repo
from desktop_crf.store import set_aside
from desktop_crf.store import sync_state as state
from desktop_crf.store.audit import chain_start, utc_now
from desktop_crf.store.database import transaction
from desktop_crf.store.set_aside import SetAside
from sync.client import (
    ChainMismatch,
    ChangeSetRefused,
    DeviceIdentity,
    DeviceRevoked,
    RetryPolicy,
    ServerUnreachable,
    SyncClient,
    SyncError,
    SyncRefused,
    SyncStore,
    UpdateRequired,
    enrol,
)
from sync.client import RoundResult as ClientRoundResult

__all__ = [
    "DemoSiteNeverSyncs",
    "NotEnrolled",
    "RetryPolicy",
    "RoundCancelled",
    "RoundPlan",
    "RoundResult",
    "SetAside",
    "SiteSyncStore",
    "SyncFailed",
    "SyncStatus",
    "ThreadedSyncStore",
    "background_retry",
    "bind_monitor",
    "enroll_device",
    "plan_round",
    "quarantined_sets",
    "record_round",
    "run_round",
    "set_aside_records",
    "sync_now",
    "sync_status",
    "update_noticed",
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
    #: records pulled from the server that this computer could not apply (kept aside)
    set_aside: int = 0
    #: who must be updated before this computer syncs again: ``"app"`` (this app is below the
    #: server's minimum or speaks another protocol) or ``"server"``; None while it syncs
    update_required: str | None = None
    #: a newer app version the server recommends, not yet told to the user (it still syncs)
    update_recommended: str | None = None


@dataclass(frozen=True)
class RoundResult:
    """What one sync round did."""

    uploaded_entries: int = 0
    uploaded_sets: int = 0
    pulled_entries: int = 0
    pulled_queries: int = 0
    conflicts: int = 0
    set_aside: int = 0
    #: the server recommends this newer app version (this app still syncs)
    update_recommended: str | None = None

    @classmethod
    def of(cls, result: ClientRoundResult, *, update_recommended: str | None = None) -> RoundResult:
        return cls(
            result.uploaded_entries,
            result.uploaded_sets,
            result.pulled_entries,
            result.pulled_queries,
            result.conflicts,
            result.set_aside,
            update_recommended,
        )

    @property
    def changes(self) -> Changes | None:
        """What the pull changed here (any subject), or None if it brought nothing."""
        if self.pulled_entries or self.pulled_queries:
            return Changes(kind="sync")
        return None

    def summary(self) -> str:
        return (
            f"uploaded {self.uploaded_entries} entries in {self.uploaded_sets} change sets; "
            f"pulled {self.pulled_entries} entries"
        )


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

    Only a site admin enrols: the enrolment binds the admin's key and the key that created the
    site on this computer, from which every user's key here is granted (``sync.authorship``).

    Raises:
        DemoSiteNeverSyncs, PermissionDenied, SyncFailed: with the server's reason.
    """
    session.require(Permission.SYNC)
    session.require(Permission.MANAGE_USERS)
    _refuse_demo(session)
    identity = _identity(session)
    if session.signer is None:
        raise SyncFailed("This session holds no signing key; sign in again.")
    root, unsigned = chain_start(session.db, identity.device)
    try:
        answer = enrol(
            server_url,
            token=token,
            device=identity.device,
            study=identity.study,
            private_key=identity.private_key,
            admin=session.signer,
            root=root,
            unsigned_through=unsigned,
            label=label or identity.device,
            http=http,
            retry=retry,
            app_version=__version__,
        )
    except UpdateRequired as exc:
        raise SyncFailed(f"Enrolment failed: {exc}", update_required="app") from exc
    except SyncError as exc:
        raise SyncFailed(f"Enrolment failed: {exc}") from exc
    if answer.get("site") != identity.site:
        raise SyncFailed(
            f"The token is for site {answer.get('site')}, but this computer is site "
            f"{identity.site}. Ask for a token for the right site."
        )
    with transaction(session.db, session.paths.database):
        state.set_enrolment(session.db, url=server_url, answer=answer)
    with session.write() as audit:
        audit.append("sync.enrol", detail=json.dumps({"server": server_url, **answer}))
    return answer


def bind_monitor(
    session: Session,
    *,
    token: str,
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
) -> Changes:
    """A monitor binds their signing key on this computer with the one-time monitor token the
    data manager gave them: from then on the server takes what they do here as a monitor's.
    Needs the network once; audited (``user.key_bound``).

    Raises:
        PermissionDenied: not a monitor. DemoSiteNeverSyncs, NotEnrolled. SyncFailed: the
        server's reason (token unknown, used, expired, or for someone else), or offline.
    """
    session.require(Permission.RAISE_QUERY)
    plan = plan_round(session)
    if session.signer is None:
        raise SyncFailed("This session holds no signing key; sign in again.")
    try:
        with SyncClient(plan.server_url, plan.identity, http=http, retry=retry) as client:
            answer = client.bind_monitor(token.strip(), session.signer)
    except ServerUnreachable as exc:
        raise SyncFailed(str(exc), offline=True) from exc
    except SyncError as exc:
        raise SyncFailed(f"The monitor token was not accepted: {exc}") from exc
    with session.write() as audit:
        detail = {"name": session.user, "key_id": str(answer["key_id"])}
        audit.append("user.key_bound", detail=json.dumps(detail, sort_keys=True))
    return Changes(kind="users")


@dataclass(frozen=True)
class RoundPlan:
    """What a round needs, read from the database once: the server and the device identity."""

    server_url: str
    identity: DeviceIdentity
    #: this app's version, named in every request (the server may require a newer one)
    app_version: str = __version__


def plan_round(session: Session, *, server_url: str | None = None) -> RoundPlan:
    """Read what a round needs (on the thread that owns the database).

    Raises:
        DemoSiteNeverSyncs, NotEnrolled, PermissionDenied.
    """
    session.require(Permission.SYNC)
    _refuse_demo(session)
    url = server_url or state.server_url(session.db)
    if not url or state.enrolment(session.db) is None:
        raise NotEnrolled()
    return RoundPlan(url, _identity(session))


def background_retry(cancel: threading.Event) -> RetryPolicy:
    """Retries for the app's background rounds: fewer and shorter waits than the CLI's, and
    a wait ends at once when ``cancel`` is set (the site locks)."""

    def sleep(seconds: float) -> None:
        cancel.wait(seconds)

    return RetryPolicy(attempts=4, cap=10.0, sleep=sleep)


def run_round(
    plan: RoundPlan,
    store: SyncStore,
    *,
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
    timeout: float = 30.0,
) -> RoundResult:
    """Ask the device's state once (it says too whether this app may sync), then upload and
    pull (network work; may run off the database thread).

    ``store`` is a ``SiteSyncStore``, or a ``ThreadedSyncStore`` that runs each of its calls
    (each one short transaction) on the thread that owns the database.

    Raises:
        SyncFailed: the round stopped with the reason (``offline`` if the server could not be
            reached); nothing was lost. RoundCancelled: the site locked during the round.
    """
    try:
        with SyncClient(
            plan.server_url,
            plan.identity,
            http=http,
            retry=retry,
            timeout=timeout,
            app_version=plan.app_version,
        ) as client:
            # The device's state, asked once (an unreachable server ends the round at once),
            # names the protocol and app versions too: they are checked before anything is
            # sent, and the upload starts from that state. Two requests for a round with
            # nothing to send: this one and the pull.
            state = client.start_round()
            recommended = client.recommended_update(state)
            result = client.sync_round(store, state)
            return RoundResult.of(result, update_recommended=recommended)
    except ServerUnreachable as exc:
        raise SyncFailed(str(exc), offline=True) from exc
    except UpdateRequired as exc:
        who = "server" if exc.server_outdated else "app"
        raise SyncFailed(str(exc), update_required=who) from exc
    except (DeviceRevoked, ChangeSetRefused, SyncRefused, ChainMismatch) as exc:
        raise SyncFailed(str(exc)) from exc


def record_round(
    session: Session, error: Exception | None, result: RoundResult | None = None
) -> None:
    """Remember the last success or the last error, and whether an update is required or
    recommended, for the status bar."""
    session.require(Permission.SYNC)
    # Bookkeeping for the status bar, written after every round (a no-op round too): its commit
    # need not wait for the disk; a power cut may at most take back the time of the last round.
    with transaction(session.db, session.paths.database, durable=False):
        if error is None:
            state.record_success(session.db, at=utc_now())
        else:
            state.record_error(session.db, str(error), at=utc_now())
        outdated = error.update_required if isinstance(error, SyncFailed) else None
        state.set_update_required(session.db, outdated)
        if result is not None:
            state.set_update_recommended(session.db, result.update_recommended)


def update_noticed(session: Session, version: str) -> None:
    """The user was told that app ``version`` is recommended: they are not told again."""
    session.require(Permission.SYNC)
    with transaction(session.db, session.paths.database):
        state.update_noticed(session.db, version)


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
        DemoSiteNeverSyncs, NotEnrolled, PermissionDenied, SyncFailed: the round stopped;
        nothing was lost.
    """
    plan = plan_round(session, server_url=server_url)
    try:
        result = run_round(plan, SiteSyncStore(session), http=http, retry=retry, timeout=timeout)
    except SyncFailed as exc:
        record_round(session, exc)
        raise
    record_round(session, None, result)
    return result


def sync_status(session: Session) -> SyncStatus:
    """Return what the status bar shows: enrolment, pending changes, last success and error.

    Raises:
        PermissionDenied: a role that does not sync (a patient's session).
    """
    session.require(Permission.SYNC)
    db, device = session.db, session.site.device
    return SyncStatus(
        enrolled=state.enrolment(db) is not None and not session.site.demo,
        server_url=state.server_url(db),
        pending=state.pending_count(db, device),
        acked_seq=state.acknowledged_seq(db),
        last_success=state.last_success(db),
        last_error=state.last_error(db),
        quarantined=state.quarantined_count(db),
        conflicts=state.conflict_count(db),
        open_queries=local_queries.count_open_monitor_queries(db),
        set_aside=set_aside.set_aside_count(db),
        update_required=state.update_required(db),
        update_recommended=state.update_recommended(db),
    )


def set_aside_records(session: Session) -> list[SetAside]:
    """The records pulled from the server that this computer could not apply, newest first,
    each with the reason (where they are, never their values)."""
    session.require(Permission.SYNC)
    return set_aside.set_aside_records(session.db)


def quarantined_sets(session: Session) -> list[dict[str, Any]]:
    """The change sets the server refused, with the reason (the bytes are kept too)."""
    session.require(Permission.SYNC)
    return [
        {k: v for k, v in record.items() if k != "envelope"}
        for record in state.quarantined(session.db)
    ]
