"""Factories for sync tests: audit entries with real hash chains and device keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.client import RetryPolicy
from sync.entries import ENTRY_FIELDS, GENESIS_HASH, entry_hash

#: Retries without waiting: tests talk to a server on 127.0.0.1.
FAST = RetryPolicy(attempts=2, base=0.001, cap=0.01)
#: The admin (monitor) bearer token of the test servers.
ADMIN = {"Authorization": "Bearer admin-secret", "X-CRF-Protocol": "2"}
#: What every request of this protocol carries (``sync.protocol``).
PROTOCOL = {"X-CRF-Protocol": "2"}


def make_entry(device: str, seq: int, prev_hash: str, **fields: Any) -> dict[str, Any]:
    """Return one chained entry; unspecified fields are an item change of subject S-001."""
    entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
    entry.update(
        device=device,
        seq=seq,
        ts=f"2026-01-01T00:00:{seq % 60:02d}Z",
        user="nurse1",
        role="nurse",
        action="item.set",
        subject="S-001",
        event="V1",
        event_repeat=1,
        form="LAB",
        item_group="HEM",
        group_repeat=1,
        item=f"IT{seq}",
        old=None,
        new=str(seq),
        unit=None,
        reason=None,
        base_rev=0,
        detail=None,
    )
    entry.update(fields)
    if entry["action"] not in ("item.set", "conflict.resolve") and "base_rev" not in fields:
        entry["base_rev"] = None  # only item changes carry the revision the user saw
    entry["prev_hash"] = prev_hash
    entry["hash"] = entry_hash(entry)
    return entry


def make_entries(
    device: str, count: int, *, start_seq: int = 1, prev_hash: str = GENESIS_HASH, **fields: Any
) -> list[dict[str, Any]]:
    """Return ``count`` chained entries of ``device`` starting at ``start_seq``."""
    out: list[dict[str, Any]] = []
    for seq in range(start_seq, start_seq + count):
        entry = make_entry(device, seq, prev_hash, **fields)
        prev_hash = entry["hash"]
        out.append(entry)
    return out


def rechain(
    entries: list[Mapping[str, Any]], prev_hash: str = GENESIS_HASH
) -> list[dict[str, Any]]:
    """Recompute the hashes of ``entries`` after a test changed one of them."""
    out = []
    for entry in entries:
        fixed = dict(entry)
        fixed["prev_hash"] = prev_hash
        fixed["hash"] = entry_hash(fixed)
        prev_hash = fixed["hash"]
        out.append(fixed)
    return out


def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


class MemoryStore:
    """An in-memory ``SyncStore``: the device side of the protocol without a database."""

    def __init__(self, device: str) -> None:
        self.device = device
        self.entries: list[dict[str, Any]] = []
        self.ack = 0
        self.receipts: dict[str, Mapping[str, Any]] = {}
        self.quarantined: list[tuple[str, str, str]] = []
        self.cursor = 0
        self.pulled: list[Mapping[str, Any]] = []
        self.queries: dict[int, Mapping[str, Any]] = {}

    def add(self, count: int, **fields: Any) -> list[dict[str, Any]]:
        prev = self.entries[-1]["hash"] if self.entries else GENESIS_HASH
        new = make_entries(
            self.device, count, start_seq=len(self.entries) + 1, prev_hash=prev, **fields
        )
        self.entries.extend(new)
        return new

    # SyncStore
    def acknowledged_seq(self) -> int:
        return self.ack

    def pending_entries(self, after_seq: int, limit: int) -> list[dict[str, Any]]:
        return self.entries[after_seq : after_seq + limit]

    def entry_hash(self, seq: int) -> str | None:
        return self.entries[seq - 1]["hash"] if 0 < seq <= len(self.entries) else None

    def record_receipt(self, receipt: Mapping[str, Any]) -> None:
        self.receipts[receipt["id"]] = receipt
        self.ack = max(self.ack, int(receipt["seq_to"]))

    def quarantine(self, changeset: Any, code: str, reason: str) -> None:
        self.quarantined.append((changeset.id, code, reason))

    def pull_cursor(self) -> int:
        return self.cursor

    def apply_pulled(self, records: Any, cursor: int) -> None:
        for record in records:
            if record["kind"] == "query":
                self.queries[record["query"]["id"]] = record["query"]
            else:
                self.pulled.append(record)
        self.cursor = cursor

    def set_aside_unreported(self) -> list[dict[str, Any]]:
        return []

    def set_aside_reported(self, ids: Any) -> None:
        pass


#: What the protocol-level tests' devices declare at enrolment: their entries (``make_entries``:
#: no author signatures) are the unsigned history of a site created before user signatures,
#: which only a token the data manager issued for such a site allows. Tests of the authors'
#: signatures themselves enrol real sites (``tests.helpers.enrolled``) or ``signed_device``.
UNSIGNED_HISTORY = 10**9


def legacy_enrol(url: str, db: Any, device: str, key: Any, *, site: str = "101",
                 study: str = "PEG-HCC", http: Any = None) -> dict[str, Any]:  # fmt: skip
    """Enrol ``device`` (key ``key``) for ``site`` as a computer of a site created before user
    signatures, through the real client; return the server's answer."""
    from datetime import timedelta

    from sync.authorship import UserSigner
    from sync.client import enrol
    from sync.server.registry import issue_token

    token = issue_token(db, site, ttl=timedelta(hours=1), unsigned_history=True)
    return enrol(
        url,
        token=token,
        device=device,
        study=study,
        private_key=key,
        admin=UserSigner.generate("admin"),
        unsigned_through=UNSIGNED_HISTORY,
        http=http,
    )


def enrol_device(http: Any, db: Any, device: str, *, site: str = "101", study: str = "PEG-HCC"):
    """Issue a token for ``site`` and enrol ``device`` through the real client; return
    (identity, store)."""
    from sync.client import DeviceIdentity

    key = new_key()
    legacy_enrol("http://unused", db, device, key, site=site, study=study, http=http)
    return DeviceIdentity(device, study, site, key), MemoryStore(device)
