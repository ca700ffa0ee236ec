"""The sync client: enrol, probe, upload the outbox in order, pull by cursor.

It knows HTTP and change sets, nothing of Qt or of the local database: the desktop app hands it
a ``SyncStore`` (its outbox, receipts, quarantine and pull cursor) and the device identity.
Tests drive it with an in-memory store against a real server.

Failure handling, from the protocol (docs/sync-protocol.md):

- network errors, timeouts, 5xx and 429 are retried with exponential back-off and full jitter,
  waiting at least what ``Retry-After`` asks; the same bytes are resent, so a set that did land
  before the cut gets its receipt the second time;
- a gap or overlap answer carries the server's last sequence: the client fetches the receipts it
  missed and carries on from there;
- any other 4xx is permanent: the set is quarantined in the store (kept, shown, never dropped)
  and the round stops with the reason.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.authorship import UserSigner, enrolment_message, monitor_binding_message
from sync.canonical import sha256_hex
from sync.changeset import (
    BASE_MAX_ENTRIES,
    MAX_ENTRIES,
    SignedChangeSet,
    build_changesets,
    public_key_bytes,
)
from sync.entries import timestamp
from sync.protocol import UPDATE_REQUIRED, VERSION_FIELDS, health_verdict, update_message
from sync.transport import (
    ChainMismatch,
    ChangeSetRefused,
    DeviceRevoked,
    RetryPolicy,
    ServerUnreachable,
    SyncError,
    SyncRefused,
    Transport,
    UpdateRequired,
    error_of,
    gzip_bytes,
    json_or_none,
)

__all__ = [
    "ChainMismatch",
    "ChangeSetRefused",
    "DeviceIdentity",
    "DeviceRevoked",
    "RetryPolicy",
    "RoundResult",
    "ServerUnreachable",
    "SyncClient",
    "SyncError",
    "SyncRefused",
    "SyncStore",
    "UpdateRequired",
    "enrol",
]


class SyncStore(Protocol):
    """What the client needs from the device's store; each call is one local transaction."""

    def acknowledged_seq(self) -> int:
        """The last sequence the server acknowledged (0 if none)."""

    def pending_entries(self, after_seq: int, limit: int) -> Sequence[Mapping[str, Any]]:
        """This device's entries with seq > ``after_seq``, in order, with their ``hash``."""

    def entry_hash(self, seq: int) -> str | None:
        """The hash of this device's entry ``seq``, or None if there is none."""

    def record_receipt(self, receipt: Mapping[str, Any]) -> None:
        """Keep a receipt and move the acknowledged sequence to its ``seq_to``, together."""

    def quarantine(self, changeset: SignedChangeSet, code: str, reason: str) -> None:
        """Keep a refused set with the reason, for a person to see."""

    def pull_cursor(self) -> int:
        """The server cursor up to which pulled records were applied."""

    def apply_pulled(self, records: Sequence[Mapping[str, Any]], cursor: int) -> None:
        """Apply pulled records and store the new cursor, in one transaction. A record that
        cannot be applied is set aside with the reason, never stops the page."""

    def set_aside_unreported(self) -> Sequence[Mapping[str, Any]]:
        """Records set aside that the server was not told of yet (``id``, where, why)."""

    def set_aside_reported(self, ids: Sequence[int]) -> None:
        """Remember that the server was told of these set-aside records."""


@dataclass(frozen=True)
class DeviceIdentity:
    """Who signs: the device id, its study and site, and its Ed25519 key."""

    device: str
    study: str
    site: str
    private_key: Ed25519PrivateKey


@dataclass
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

    def summary(self) -> str:
        return (
            f"uploaded {self.uploaded_entries} entries in {self.uploaded_sets} change sets; "
            f"pulled {self.pulled_entries} entries"
        )


def enrol(
    base_url: str,
    *,
    token: str,
    device: str,
    study: str,
    private_key: Ed25519PrivateKey,
    admin: UserSigner,
    root: tuple[str, bytes] | None = None,
    unsigned_through: int = 0,
    label: str = "",
    http: httpx.Client | None = None,
    retry: RetryPolicy | None = None,
    app_version: str | None = None,
) -> dict[str, Any]:
    """Register this device's public key with a one-time token, binding the site admin's key
    (``admin`` signs the enrolment) and the key that created the site here (``root``: user and
    public key; None for a site created before user signatures, whose first
    ``unsigned_through`` entries are unsigned); return the server's answer.

    Raises:
        SyncRefused: token unknown, used or expired, device id taken; ServerUnreachable.
    """
    device_key = public_key_bytes(private_key.public_key())
    message = enrolment_message(
        token_sha256=sha256_hex(token.encode()),
        device=device,
        device_key=device_key,
        study=study,
        admin_user=admin.user,
        root_key=root[1] if root else None,
        unsigned_through=unsigned_through,
    )
    body: dict[str, Any] = {
        "token": token,
        "device": device,
        "study": study,
        "label": label,
        "public_key": _b64(device_key),
        "admin": {
            "user": admin.user,
            "public_key": admin.public_b64,
            "signature": _b64(admin.private_key.sign(message)),
        },
        "root": {"user": root[0], "public_key": _b64(root[1])} if root else None,
        "unsigned_through": unsigned_through,
    }
    with Transport(
        base_url, http=http, retry=retry or RetryPolicy(), app_version=app_version
    ) as transport:
        response = transport.send("POST", "/v1/enrolments", json_body=body)
        return transport.expect(response)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class _Outgoing:
    """A signed change set and its request body as sent (compressed once, when it is signed)."""

    signed: SignedChangeSet
    body: bytes
    headers: dict[str, str]

    @classmethod
    def of(cls, signed: SignedChangeSet, *, compress: bool) -> _Outgoing:
        body, headers = signed.envelope(), {"Content-Type": "application/json"}
        if compress:
            body = gzip_bytes(body)
            headers["Content-Encoding"] = "gzip"
        return cls(signed, body, headers)


def set_size(state: Mapping[str, Any]) -> int:
    """How many entries a change set may hold, for the server whose device state this is: what
    it announces (within this app's own limit), else what every server takes."""
    announced = state.get("max_entries")
    if type(announced) is not int or announced < 1:
        return BASE_MAX_ENTRIES
    return min(announced, MAX_ENTRIES)


class SyncClient:
    """Runs sync rounds for one device against one server."""

    def __init__(
        self,
        base_url: str,
        identity: DeviceIdentity,
        *,
        http: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        compress: bool = True,
        app_version: str | None = None,
    ) -> None:
        self.identity = identity
        self.compress = compress
        self._transport = Transport(
            base_url,
            http=http,
            retry=retry or RetryPolicy(),
            timeout=timeout,
            app_version=app_version,
        )

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    @property
    def bytes_sent(self) -> int:
        """Request body bytes put on the wire (after compression) so far."""
        return self._transport.bytes_sent

    def probe(self) -> dict[str, Any]:
        """Ask the server's health once (``GET /v1/health``, open to any app).

        Raises:
            ServerUnreachable: it does not answer. UpdateRequired: it speaks another protocol,
                or names a minimum app version above this app's (nothing is sent).
        """
        health = self._transport.expect(self._transport.send("GET", "/v1/health", attempts=1))
        self._check_versions(health)
        return health

    def start_round(self) -> dict[str, Any]:
        """A round's first request: the server's view of this device (``device_state``), which
        also names the server's protocol and the minimum and recommended app versions, as the
        health probe does. Asked once: a server that does not answer ends the round at once.
        The versions are checked before anything is sent.

        A server whose answer names no protocol (one from before versions came with the
        device's state), or that refuses the request, is asked its health, as before: an
        older server, or an app too old for it, is told so first.

        Raises:
            ServerUnreachable: it does not answer. UpdateRequired: another protocol, or this
                app below the server's minimum (nothing is sent). SyncRefused: the server's
                refusal of the request (e.g. an unknown device, a wrong clock).
        """
        path = f"/v1/devices/{self.identity.device}"
        response = self._transport.send("GET", path, identity=self.identity, attempts=1)
        # A server of another protocol, or one whose minimum this app is below, answers 426
        # and names its protocol and minimum: a server older than this app is told so, as
        # its health would (the app is the newer one: it is not asked to update).
        self._check_refusal_versions(response)
        try:
            state = self._transport.expect(response)
        except SyncRefused:
            with suppress(ServerUnreachable, SyncRefused):
                self.probe()  # raises UpdateRequired if that is why
            raise
        if "protocol" not in state:
            health = self.probe()
            return {**state, **{k: health.get(k) for k in VERSION_FIELDS}}
        self._check_versions(state)
        return state

    def _check_refusal_versions(self, response: httpx.Response) -> None:
        """Raise UpdateRequired as ``_check_versions`` does from the protocol and minimum a
        426 ``update_required`` answer names, if it names them."""
        if response.status_code != 426:
            return
        body = json_or_none(response)
        error = body.get("error") if isinstance(body, dict) else None
        details = error.get("details") if isinstance(error, dict) else None
        if isinstance(details, dict) and "protocol" in details:
            self._check_versions(details)

    def _check_versions(self, versions: Mapping[str, Any]) -> None:
        """Raise UpdateRequired if the server's protocol and app versions (of its health or of
        the device's state) do not let this app sync."""
        verdict = health_verdict(versions, self._transport.app_version)
        if verdict == "server_outdated":
            raise UpdateRequired(
                f"The sync server speaks an older protocol ({versions.get('protocol')}) than "
                "this app: ask the data manager to update the server. Nothing was lost: every "
                "change stays on this computer.",
                server_outdated=True,
            )
        if verdict == "update_required":
            raise UpdateRequired(update_message())

    def recommended_update(self, health: Mapping[str, Any]) -> str | None:
        """The newer app version the server recommends to this app, if any (from its health or
        the device's state of ``start_round``)."""
        if health_verdict(health, self._transport.app_version) == "update_recommended":
            return str(health["recommended_app_version"])
        return None

    def bind_monitor(self, token: str, signer: UserSigner) -> dict[str, Any]:
        """Bind a monitor's key on this device with their one-time monitor token.

        Raises:
            SyncRefused: token unknown, used, expired or for another monitor or site.
        """
        kid = signer.key_id
        message = monitor_binding_message(
            token_sha256=sha256_hex(token.encode()),
            site=self.identity.site,
            device=self.identity.device,
            user=signer.user,
            key_id=kid,
        )
        body = {
            "token": token,
            "user": signer.user,
            "public_key": signer.public_b64,
            "proof": _b64(signer.private_key.sign(message)),
        }
        response = self._transport.send(
            "POST",
            f"/v1/sites/{self.identity.site}/monitor-keys",
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            identity=self.identity,
        )
        return self._transport.expect(response)

    def device_state(self) -> dict[str, Any]:
        """Return the server's view of this device: status, last sequence and hash."""
        path = f"/v1/devices/{self.identity.device}"
        return self._get(path)

    def sync_round(self, store: SyncStore, state: dict[str, Any] | None = None) -> RoundResult:
        """Upload everything pending, then pull, then report records set aside; one round.
        ``state``: the device's state the round began with (``start_round``), else asked."""
        result = RoundResult()
        self.upload(store, result, state)
        self.pull(store, result)
        self.report_set_aside(store, result)
        return result

    def report_set_aside(self, store: SyncStore, result: RoundResult | None = None) -> RoundResult:
        """Tell the server which pulled records this device could not apply (where and why,
        never their values), so that the data manager sees them too."""
        result = result or RoundResult()
        while records := store.set_aside_unreported():
            body = json.dumps(
                {"records": [{k: v for k, v in r.items() if k != "id"} for r in records]}
            ).encode()
            response = self._transport.send(
                "POST",
                f"/v1/devices/{self.identity.device}/set-aside",
                content=body,
                headers={"Content-Type": "application/json"},
                identity=self.identity,
            )
            self._transport.expect(response)
            store.set_aside_reported([int(r["id"]) for r in records])
            result.set_aside += len(records)
        return result

    def upload(
        self,
        store: SyncStore,
        result: RoundResult | None = None,
        state: dict[str, Any] | None = None,
    ) -> RoundResult:
        """Send the outbox one set at a time, in order: a set goes once the server has stored
        the one before; every receipt that came back is recorded, an error or not. ``state``:
        the device's state just read (``start_round``), else asked first."""
        result = result or RoundResult()
        if state is None:
            state = self.device_state()
        if state.get("status") != "active":
            raise DeviceRevoked(
                "The server no longer accepts this computer (device revoked). Nothing was lost: "
                "every change stays on this computer. Stop entering data here and call your "
                "data manager."
            )
        start = self._align(store, int(state["last_seq"]), str(state["last_hash"]))
        # The device's work overlaps the server's: the next run of the outbox is signed and
        # compressed on another thread while this one uploads, and it is read from the store
        # while the server checks the run's first set (its request goes out from a thread of
        # its own). A set is sent once the server has stored the one before (its receipt
        # came back), and that receipt is recorded here while the set is on its way: the
        # device's commit no longer holds up the server.
        stored: list[dict[str, Any]] = []  # a receipt come back, not recorded yet
        try:
            self._send_all(store, start, result, stored, set_size(state))
        except BaseException:
            # what the server stored is recorded still (else the next round fetches it)
            with suppress(Exception):
                for receipt in stored:
                    store.record_receipt(receipt)
            raise
        for receipt in stored:
            store.record_receipt(receipt)
        return result

    def _send_all(
        self,
        store: SyncStore,
        start: int,
        result: RoundResult,
        stored: list[dict[str, Any]],
        size: int,
    ) -> None:
        """``upload``'s sets of at most ``size`` entries, sent in order from ``start``;
        ``stored`` holds the receipt that came back last until it is recorded."""
        realignments = 0
        with (
            ThreadPoolExecutor(1, thread_name_prefix="sync-sign") as signer,
            ThreadPoolExecutor(1, thread_name_prefix="sync-send") as sender,
        ):
            batch = self._sign_next(store, signer, start, size)
            while batch is not None:
                last_seq, signing = batch
                outgoing = signing.result()
                batch = None
                for index, out in enumerate(outgoing):
                    sending = sender.submit(self._send_set, out)
                    if stored:  # recorded, then dropped: an error leaves it for upload's handler
                        store.record_receipt(stored[0])
                        stored.clear()
                    if index == 0:
                        batch = self._sign_next(store, signer, last_seq, size)
                    answer = self._answer_of(store, out, sending.result())
                    if answer is None:
                        realignments += 1
                        if realignments > 5:
                            raise ChainMismatch(
                                "the server keeps answering with a different position"
                            )
                        state = self.device_state()
                        start = self._align(store, int(state["last_seq"]), str(state["last_hash"]))
                        batch = self._sign_next(store, signer, start, size)
                        break
                    stored.append(answer)
                    result.uploaded_sets += 1
                    result.uploaded_entries += int(answer["seq_to"]) - int(answer["seq_from"]) + 1
                    result.conflicts += int(answer.get("conflicts", 0))

    def _sign_next(
        self, store: SyncStore, signer: ThreadPoolExecutor, after_seq: int, size: int
    ) -> tuple[int, Future[list[_Outgoing]]] | None:
        """Read the outbox's next run after ``after_seq`` (two sets of ``size`` entries) and
        start signing it: its last sequence and the sets to come, ready to send, or None when
        nothing is pending."""
        entries = store.pending_entries(after_seq, size * 2)
        if not entries:
            return None
        return int(entries[-1]["seq"]), signer.submit(self._prepare, entries, timestamp(), size)

    def _prepare(
        self, entries: Sequence[Mapping[str, Any]], created_at: str, size: int
    ) -> list[_Outgoing]:
        """Sign a run of the outbox as change sets and make each one's request body."""
        sets = build_changesets(
            entries,
            study=self.identity.study,
            site=self.identity.site,
            private_key=self.identity.private_key,
            created_at=created_at,
            max_entries=size,
        )
        return [_Outgoing.of(signed, compress=self.compress) for signed in sets]

    def pull(self, store: SyncStore, result: RoundResult | None = None) -> RoundResult:
        """Fetch the site's records after the stored cursor; apply each page with its cursor."""
        result = result or RoundResult()
        cursor = store.pull_cursor()
        while True:
            page = self._get(f"/v1/sites/{self.identity.site}/feed?after={cursor}")
            records, new_cursor = page["records"], int(page["cursor"])
            if records or new_cursor != cursor:
                store.apply_pulled(records, new_cursor)
            result.pulled_entries += sum(1 for r in records if r.get("kind") == "entry")
            result.pulled_queries += sum(1 for r in records if r.get("kind") == "query")
            cursor = new_cursor
            if not page.get("more"):
                return result

    def _get(self, path: str, attempts: int | None = None) -> dict[str, Any]:
        response = self._transport.send("GET", path, identity=self.identity, attempts=attempts)
        return self._transport.expect(response)

    def _send_set(self, out: _Outgoing) -> httpx.Response:
        return self._transport.send(
            "PUT", f"/v1/changesets/{out.signed.id}", content=out.body, headers=out.headers
        )

    def _answer_of(
        self, store: SyncStore, out: _Outgoing, response: httpx.Response
    ) -> dict[str, Any] | None:
        """The receipt of a set sent (to be recorded by the caller); None: the server holds
        another position (realign).

        Raises:
            ChangeSetRefused: the set was refused (it is quarantined); DeviceRevoked,
                UpdateRequired: nothing of the set is at fault.
        """
        signed = out.signed
        data = json_or_none(response)
        if response.is_success and isinstance(data, dict):
            receipt: dict[str, Any] = data["receipt"]
            if receipt.get("id") != signed.id or receipt.get("seq_to") != signed.changeset.seq_to:
                raise ChainMismatch("the server's receipt does not match the change set sent")
            return receipt  # the caller records it
        code, message = error_of(data, response.status_code)
        if code in ("sequence_gap", "sequence_overlap"):
            return None
        if code in ("device_revoked", UPDATE_REQUIRED):
            self._transport.expect(response)  # raises: nothing of the set is at fault
        store.quarantine(signed, code, message)
        raise ChangeSetRefused(code, message, response.status_code, signed.id)

    def _align(self, store: SyncStore, server_last: int, server_hash: str) -> int:
        """Return where to upload from, fetching receipts the device missed (lost answers)."""
        acked = store.acknowledged_seq()
        if server_last <= acked:
            return server_last
        if store.entry_hash(server_last) != server_hash:
            raise ChainMismatch(
                f"the server holds entry #{server_last} of this device with different content; "
                "do not use this computer for data entry and contact your data manager"
            )
        while acked < server_last:
            path = f"/v1/devices/{self.identity.device}/receipts?after_seq={acked}"
            receipts = self._get(path)["receipts"]
            if not receipts:
                break
            for receipt in receipts:
                store.record_receipt(receipt)
                acked = int(receipt["seq_to"])
        return server_last
