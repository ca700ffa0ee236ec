"""Accepting uploads: verify a change set, then store it, its entries and their effects at once.

Order of checks, cheapest and most telling first: the envelope and schema; the id against the
body; a known id (a resend gets the stored receipt); the device (known, not revoked, of this
site and study); the signature and hash chain (outside any lock, they are the expensive part);
that every entry's role may do its action (``sync.rules``, the app's own table); then, inside
one transaction, that the set continues exactly where the device's chain stands and that every
entry is covered by its author's signature with a key entitled to it (``sync.authorship``: the
keys the server holds for the device change with the sets it accepts and with monitors'
bindings and revocations, so this check runs under the site's lock).
"""

from __future__ import annotations

import json
from typing import Any

from sync.authorship import AuthorshipError
from sync.canonical import compact_encoder, sha256_hex
from sync.changeset import (
    ChangeSet,
    ChangeSetError,
    envelope_bytes,
    last_hash,
    load_public_key,
    parse_changeset,
    parse_envelope,
    verify_parsed,
)
from sync.rules import entry_refusal
from sync.server.db import Database, Tx
from sync.server.errors import ApiError
from sync.server.projection import project_entries
from sync.server.queries import project_queries
from sync.server.registry import Device, get_device, iso, read_device, utc_now
from sync.server.sdv import project_sdv
from sync.server.signers import load_authority, save_authority

#: ``json.dumps`` with compact separators, its encoder made once (this runs per entry).
_compact_json = compact_encoder()


def accept_upload(db: Database, changeset_id: str, raw: bytes) -> tuple[dict[str, Any], bool]:
    """Verify and store one uploaded change set.

    Returns:
        The receipt and whether the set is new (False: it was already stored; same receipt).

    Raises:
        ApiError: with the reason the set is refused; nothing is stored then.
    """
    try:
        changeset, body, signature = _parse_upload(raw)
    except ChangeSetError as exc:
        raise ApiError(422, exc.code, exc.message) from exc
    if sha256_hex(body) != changeset_id:
        raise ApiError(
            422, "id_mismatch", "the change-set id is not the SHA-256 of its canonical bytes"
        )
    device = _active_device(db, changeset)
    stored = _stored_receipt(db, changeset_id, signature)
    if stored is not None:
        return stored, False
    try:
        verify_parsed(changeset, body, signature, load_public_key(device.public_key))
    except ChangeSetError as exc:
        raise ApiError(422, exc.code, exc.message) from exc
    _check_rules(changeset)
    with db.transaction() as tx:
        tx.lock_site(device.site)
        return _store(tx, changeset_id, changeset, body, signature)


def _parse_upload(raw: bytes) -> tuple[ChangeSet, bytes, bytes]:
    """The uploaded set, its canonical bytes and the device's signature.

    The body is parsed without looking for keys named twice; when it is not byte for byte the
    envelope of the set's canonical bytes (which never names a key twice), or when the set is
    refused, it is parsed again with that check, so that the answer is what the strict parse
    alone would give (a key named twice is refused as such).

    Raises:
        ChangeSetError: the reason the set is refused.
    """
    try:
        obj, signature = parse_envelope(raw, unique_keys=False)
        changeset = parse_changeset(obj)
        body = changeset.canonical()
    except ChangeSetError:
        parse_envelope(raw)  # a key named twice is named as such
        raise
    if raw != envelope_bytes(body, signature):
        parse_envelope(raw)
    return changeset, body, signature


def _check_rules(changeset: ChangeSet) -> None:
    """Refuse the whole set if one entry's role may not do its action (``sync.rules``)."""
    for entry in changeset.entries:
        rule = entry_refusal(entry)
        if rule is not None:
            raise ApiError(
                422,
                "forbidden_entry",
                f"entry {entry['device']}#{entry['seq']} ({entry['action']} by "
                f"{entry['user']}): {rule}",
                seq=entry["seq"],
                rule=rule,
            )


def receipts_after(db: Database, device: str, after_seq: int, limit: int = 100) -> list[Any]:
    """Return the receipts of a device's sets that end after ``after_seq``, in order."""
    with db.transaction() as tx:
        rows = tx.all(
            "SELECT receipt FROM changesets WHERE device = ? AND seq_to > ? "
            "ORDER BY seq_from LIMIT ?",
            (device, after_seq, limit),
        )
    return [json.loads(r[0]) for r in rows]


def _active_device(db: Database, changeset: ChangeSet) -> Device:
    device = get_device(db, changeset.device)
    if device is None:
        raise ApiError(403, "unknown_device", f"device {changeset.device} is not enrolled")
    if device.status != "active":
        raise ApiError(403, "device_revoked", f"device {device.device} was revoked")
    if (changeset.site, changeset.study) != (device.site, device.study):
        raise ApiError(
            422, "wrong_site", f"device {device.device} is enrolled for site {device.site}"
        )
    return device


def _stored_receipt(db: Database, changeset_id: str, signature: bytes) -> dict[str, Any] | None:
    with db.transaction() as tx:
        row = tx.one("SELECT signature, receipt FROM changesets WHERE id = ?", (changeset_id,))
    if row is None:
        return None
    if bytes(row[0]) != signature:
        raise ApiError(
            409, "different_body", "a change set with this id is stored with another signature"
        )
    receipt: dict[str, Any] = json.loads(row[1])
    return receipt


def _store(
    tx: Tx, changeset_id: str, changeset: ChangeSet, body: bytes, signature: bytes
) -> tuple[dict[str, Any], bool]:
    again = tx.one("SELECT signature, receipt FROM changesets WHERE id = ?", (changeset_id,))
    if again is not None:  # the same set won a race with this request
        if bytes(again[0]) != signature:
            raise ApiError(409, "different_body", "a change set with this id is stored already")
        return json.loads(again[1]), False
    device = read_device(tx, changeset.device)
    assert device is not None
    if device.status != "active":
        raise ApiError(403, "device_revoked", f"device {device.device} was revoked")
    _check_continues(device, changeset)
    now = iso(utc_now())
    _check_authors(tx, device.site, changeset, now)
    outcomes, changed = project_entries(tx, device.site, changeset.entries, now=now)
    queries = project_queries(tx, device.site, changeset.entries, changed)
    project_sdv(tx, device.site, changeset.entries)
    conflicts = sum(1 for o in outcomes if o is not None and o.outcome == "conflict")
    receipt = {
        "id": changeset_id,
        "device": device.device,
        "seq_from": changeset.seq_from,
        "seq_to": changeset.seq_to,
        "last_hash": last_hash(changeset),
        "received_at": now,
        "entries": len(changeset.entries),
        "conflicts": conflicts,
    }
    tx.execute(
        "INSERT INTO changesets (id, device, site, seq_from, seq_to, body, signature, "
        "received_at, receipt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            changeset_id,
            device.device,
            device.site,
            changeset.seq_from,
            changeset.seq_to,
            body,
            signature,
            now,
            json.dumps(receipt),
        ),
    )
    ends = {int(sig["seq_to"]): sig for sig in changeset.signatures}
    tx.many(
        "INSERT INTO feed (site, kind, device, seq, body) VALUES (?, 'entry', ?, ?, ?)",
        [
            (
                device.site,
                device.device,
                entry["seq"],
                _feed_entry(encoded, outcome, ends.get(int(entry["seq"]))),
            )
            for entry, encoded, outcome in zip(
                changeset.entries, changeset.entry_bytes, outcomes, strict=True
            )
        ],
    )
    tx.many(
        "INSERT INTO feed (site, kind, device, seq, body) VALUES (?, 'query', NULL, NULL, ?)",
        [(device.site, json.dumps(q.to_record())) for q in queries],
    )
    tx.execute(
        "UPDATE devices SET last_seq = ?, last_hash = ? WHERE device = ?",
        (changeset.seq_to, last_hash(changeset), device.device),
    )
    return receipt, True


def _check_continues(device: Device, changeset: ChangeSet) -> None:
    if changeset.seq_from > device.last_seq + 1:
        raise ApiError(
            409,
            "sequence_gap",
            f"the server holds this device's entries up to {device.last_seq}; "
            f"send from {device.last_seq + 1}",
            last_seq=device.last_seq,
            last_hash=device.last_hash,
        )
    if changeset.seq_from <= device.last_seq:
        raise ApiError(
            409,
            "sequence_overlap",
            f"the server already holds this device's entries up to {device.last_seq}",
            last_seq=device.last_seq,
            last_hash=device.last_hash,
        )
    if changeset.prev_hash != device.last_hash:
        raise ApiError(
            422,
            "chain_break",
            f"entry {device.device}#{changeset.seq_from} does not link to the last entry "
            "the server holds",
        )


def _check_authors(tx: Tx, site: str, changeset: ChangeSet, now: str) -> None:
    """Refuse the whole set unless every entry is covered by an entitled author's signature;
    keep what it grants (``sync.authorship``, ``sync.server.signers``)."""
    authority, unsigned_through = load_authority(tx, changeset.device)
    try:
        authority.admit(
            changeset.entries, changeset.entry_signatures(), unsigned_through=unsigned_through
        )
    except AuthorshipError as exc:
        raise ApiError(422, exc.code, exc.message, seq=exc.seq) from exc
    save_authority(tx, site, authority, now)


def _feed_entry(encoded: bytes, outcome: Any, signature: Any = None) -> str:
    """The feed's record of an entry: ``{"entry": …, "outcome"?, "rev"?, "query_id"?,
    "signature"?}`` as JSON text, the entry written as the canonical bytes the set was verified
    with (made once per set: the entry is not encoded again)."""
    parts = ['{"entry":', encoded.decode("utf-8")]
    if outcome is not None:  # the words of ``Outcome`` and integers: JSON as they are
        query_id = "null" if outcome.query_id is None else str(int(outcome.query_id))
        parts.append(
            f',"outcome":"{outcome.outcome}","rev":{int(outcome.rev)},"query_id":{query_id}'
        )
    if signature is not None:  # the author's signature over the group this entry ends
        parts += [',"signature":', _compact_json(signature)]
    parts.append("}")
    return "".join(parts)
