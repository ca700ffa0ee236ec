"""What comes back down and what monitors read: pull by cursor, export, verification."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.canonical import sha256_hex
from sync.changeset import ChangeSetError, last_hash, load_public_key, parse_json, verify_changeset
from sync.entries import GENESIS_HASH
from sync.server.db import Database
from sync.server.registry import Device, list_devices

MAX_PULL = 1000


def pull(db: Database, device: Device, *, after: int, limit: int = MAX_PULL) -> dict[str, Any]:
    """Return the site's records after cursor ``after`` that did not come from ``device``.

    Returns:
        ``{"records": [...], "cursor": N, "more": bool}``; a record is ``{"pos", "kind":
        "entry", "entry", "outcome"?, "rev"?, "query_id"?}`` or ``{"pos", "kind": "query",
        "query"}``. The device stores ``cursor`` with what it applied and asks from there.
    """
    limit = max(1, min(limit, MAX_PULL))
    with db.transaction() as tx:
        # The newest position first: every record of the site up to it is committed (writers
        # of a site hold its lock until they commit), so when fewer than ``limit`` records
        # come back the cursor can jump to it, past this device's own entries.
        top = tx.one("SELECT max(pos) FROM feed WHERE site = ?", (device.site,))
        newest = int(top[0]) if top and top[0] is not None else after
        rows = tx.all(
            "SELECT pos, kind, body FROM feed WHERE site = ? AND pos > ? AND pos <= ? "
            "AND (device IS NULL OR device <> ?) ORDER BY pos LIMIT ?",
            (device.site, after, newest, device.device, limit),
        )
    records = [_record(int(pos), kind, body) for pos, kind, body in rows]
    more = len(rows) == limit
    cursor = int(rows[-1][0]) if more else max(after, newest)
    return {"records": records, "cursor": cursor, "more": more}


def _record(pos: int, kind: str, body: str) -> dict[str, Any]:
    if kind == "entry":
        return {"pos": pos, "kind": kind, **json.loads(body)}
    return {"pos": pos, "kind": kind, "query": json.loads(body)}


def export_entries(db: Database, site: str, *, page: int = 2000) -> Iterator[dict[str, Any]]:
    """Yield every entry the server holds for ``site``, by device then sequence."""
    last: tuple[str, int] = ("", 0)
    while True:
        with db.transaction() as tx:
            rows = tx.all(
                "SELECT device, seq, body FROM feed WHERE site = ? AND kind = 'entry' "
                "AND (device > ? OR (device = ? AND seq > ?)) ORDER BY device, seq LIMIT ?",
                (site, last[0], last[0], last[1], page),
            )
        for _, _, body in rows:
            yield json.loads(body)["entry"]
        if len(rows) < page:
            return
        last = (rows[-1][0], int(rows[-1][1]))


@dataclass
class DeviceCheck:
    """The result of re-verifying one device's ledger."""

    device: str
    site: str
    changesets: int = 0
    entries: int = 0
    last_seq: int = 0
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class LedgerCheck:
    devices: list[DeviceCheck] = field(default_factory=list)

    @property
    def problem(self) -> str | None:
        return next((d.problem for d in self.devices if d.problem), None)


def verify_ledger(db: Database, *, site: str | None = None) -> LedgerCheck:
    """Re-verify every stored change set: id, signature, chain, continuity, and the feed copy."""
    result = LedgerCheck()
    for device in list_devices(db):
        if site is None or device.site == site:
            result.devices.append(_verify_device(db, device))
    return result


def _verify_device(db: Database, device: Device) -> DeviceCheck:
    check = DeviceCheck(device.device, device.site)
    key = load_public_key(device.public_key)
    seq, prev = 0, GENESIS_HASH
    for set_id, body, signature in _changesets(db, device.device):
        where = f"device {device.device}, change set {set_id[:12]}"
        try:
            if sha256_hex(body) != set_id:
                raise ChangeSetError("id_mismatch", "its bytes do not match its id")
            # stored: a ledger from before user signatures holds sets of format 1
            changeset, canonical = verify_changeset(parse_json(body), signature, key, stored=True)
            if canonical != body:
                raise ChangeSetError("schema", "its stored bytes are not canonical")
            if changeset.seq_from != seq + 1 or changeset.prev_hash != prev:
                raise ChangeSetError("chain_break", f"does not continue entry #{seq}")
            _compare_feed(db, changeset.device, changeset.entries)
        except ChangeSetError as exc:
            check.problem = f"{where}: {exc.message}"
            return check
        seq, prev = changeset.seq_to, last_hash(changeset)
        check.changesets += 1
        check.entries += len(changeset.entries)
    check.last_seq = seq
    if (seq, prev) != (device.last_seq, device.last_hash):
        check.problem = (
            f"device {device.device}: its recorded position #{device.last_seq} "
            f"is not its last stored entry #{seq}"
        )
    return check


def _changesets(db: Database, device: str, page: int = 200) -> Iterator[tuple[str, bytes, bytes]]:
    after = 0
    while True:
        with db.transaction() as tx:
            rows = tx.all(
                "SELECT id, body, signature, seq_from FROM changesets WHERE device = ? "
                "AND seq_from > ? ORDER BY seq_from LIMIT ?",
                (device, after, page),
            )
        for set_id, body, signature, _ in rows:
            yield set_id, bytes(body), bytes(signature)
        if len(rows) < page:
            return
        after = int(rows[-1][3])


def _compare_feed(db: Database, device: str, entries: tuple[Mapping[str, Any], ...]) -> None:
    first, last = int(entries[0]["seq"]), int(entries[-1]["seq"])
    with db.transaction() as tx:
        rows = tx.all(
            "SELECT body FROM feed WHERE kind = 'entry' AND device = ? AND seq BETWEEN ? AND ? "
            "ORDER BY seq",
            (device, first, last),
        )
    stored = [json.loads(r[0])["entry"] for r in rows]
    if stored != [dict(e) for e in entries]:
        raise ChangeSetError("feed_mismatch", "the entries served to devices differ from the set")
