"""Sites, enrolment tokens and devices: who may upload for which site.

A token is issued for one site, is valid once and for a short time, and is stored only as its
SHA-256, so a copy of the database does not leak usable tokens. Enrolment records the device's
public key; revocation is permanent and refuses the device's later uploads and reads.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sync.canonical import sha256_hex
from sync.changeset import SchemaError, key_id, load_public_key
from sync.entries import GENESIS_HASH, timestamp
from sync.server.db import Database, Row, Tx
from sync.server.errors import ApiError
from sync.server.signers import EnrolmentBinding, bind_enrolment, check_enrolment

DEVICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
SITE_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
#: The longest a one-time token may stay valid.
MAX_TOKEN_LIFETIME = timedelta(days=30)
_DEVICE_COLUMNS = (
    "device, site, study, public_key, key_id, label, status, enrolled_at, revoked_at, "
    "last_seq, last_hash"
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """Return a UTC time as sortable ISO 8601 text with microseconds."""
    return timestamp(moment)


@dataclass(frozen=True)
class Device:
    """An enrolled device and where its chain stands on the server."""

    device: str
    site: str
    study: str
    public_key: bytes
    key_id: str
    label: str
    status: str
    enrolled_at: str
    revoked_at: str | None
    last_seq: int
    last_hash: str

    @classmethod
    def from_row(cls, row: Row) -> Device:
        device, site, study, key, kid, label, status, enrolled, revoked, seq, last = row
        return cls(
            device=device,
            site=site,
            study=study,
            public_key=bytes(key),
            key_id=kid,
            label=label,
            status=status,
            enrolled_at=enrolled,
            revoked_at=revoked,
            last_seq=int(seq),
            last_hash=last,
        )


def read_device(tx: Tx, device: str) -> Device | None:
    """Return the device row, or None."""
    row = tx.one(f"SELECT {_DEVICE_COLUMNS} FROM devices WHERE device = ?", (device,))
    return Device.from_row(row) if row else None


def get_device(db: Database, device: str) -> Device | None:
    with db.transaction() as tx:
        return read_device(tx, device)


def list_devices(db: Database) -> list[Device]:
    with db.transaction() as tx:
        rows = tx.all(f"SELECT {_DEVICE_COLUMNS} FROM devices ORDER BY site, device")
    return [Device.from_row(r) for r in rows]


def issue_token(
    db: Database,
    site: str,
    *,
    ttl: timedelta,
    now: datetime | None = None,
    unsigned_history: bool = False,
) -> str:
    """Create the site if new and return a fresh one-time enrolment token for it.

    ``unsigned_history``: the token enrols a computer whose site was created before user
    signatures (its chain starts with unsigned entries); only such an enrolment may declare
    them, so that no site admin can exempt a new computer from its users' signatures."""
    if not SITE_CODE.fullmatch(site):
        raise ValueError("a site code is 1-40 letters, digits, '.', '_' or '-'")
    now = now or utc_now()
    token = "crf1-" + secrets.token_urlsafe(24)
    with db.transaction() as tx:
        tx.execute(
            "INSERT INTO sites (code, study, created_at) VALUES (?, NULL, ?) "
            "ON CONFLICT (code) DO NOTHING",
            (site, iso(now)),
        )
        tx.execute(
            "INSERT INTO tokens (token_hash, site, created_at, expires_at) VALUES (?, ?, ?, ?)",
            (sha256_hex(token.encode()), site, iso(now), iso(now + ttl)),
        )
        if unsigned_history:
            tx.execute(
                "INSERT INTO token_options (token_hash, unsigned_history) VALUES (?, 1)",
                (sha256_hex(token.encode()),),
            )
    return token


def enrol(
    db: Database,
    *,
    token: str,
    device: str,
    public_key: str,
    label: str,
    study: str,
    binding: EnrolmentBinding,
    now: datetime | None = None,
) -> Device:
    """Record a device and its public key for the token's site, using up the token, and bind
    the site admin's keys (``sync.server.signers``).

    Sending the same enrolment again (a lost answer) returns the same device; anything else
    with a used token is refused.

    Raises:
        ApiError: token unknown, used or expired; device id taken; key or study not valid.
    """
    if not DEVICE_ID.fullmatch(device):
        raise ApiError(422, "schema", "device must be 1-100 letters, digits, '.', '_', ':', '-'")
    raw_key = _decode_key(public_key)
    check_enrolment(binding, token=token, device=device, device_key=raw_key, study=study)
    now_text = iso(now or utc_now())
    with db.transaction() as tx:
        row = tx.one(
            "SELECT site, expires_at, used_at, device FROM tokens WHERE token_hash = ?",
            (sha256_hex(token.encode()),),
        )
        if row is None:
            raise ApiError(403, "token_invalid", "this enrolment token is not known")
        site, expires_at, used_at, used_by = row
        existing = read_device(tx, device)
        if used_at is not None:
            if existing is not None and existing.status != "active":
                raise ApiError(403, "device_revoked", f"device {device} was revoked")
            if used_by == device and existing and existing.public_key == raw_key:
                return existing
            raise ApiError(
                403, "token_used", "this enrolment token was already used; ask for a new one"
            )
        if expires_at <= now_text:
            raise ApiError(
                403, "token_expired", "this enrolment token has expired; ask for a new one"
            )
        if existing is not None:
            raise ApiError(409, "device_exists", f"device {device} is already enrolled")
        history = tx.one(
            "SELECT unsigned_history FROM token_options WHERE token_hash = ?",
            (sha256_hex(token.encode()),),
        )
        if binding.unsigned_through and not (history and history[0]):
            raise ApiError(
                403,
                "unsigned_history",
                "this computer's audit trail starts with entries its users did not sign; "
                "ask the data manager for a token for a site created before user signatures",
            )
        site_study = tx.one("SELECT study FROM sites WHERE code = ?", (site,))
        if site_study and site_study[0] not in (None, study):
            raise ApiError(422, "wrong_study", f"site {site} belongs to study {site_study[0]}")
        tx.execute("UPDATE sites SET study = ? WHERE code = ?", (study, site))
        tx.execute(
            "UPDATE tokens SET used_at = ?, device = ? WHERE token_hash = ?",
            (now_text, device, sha256_hex(token.encode())),
        )
        tx.execute(
            f"INSERT INTO devices ({_DEVICE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                device,
                site,
                study,
                raw_key,
                _key_id(raw_key),
                label,
                "active",
                now_text,
                None,
                0,
                GENESIS_HASH,
            ),
        )
        bind_enrolment(tx, site, device, binding, now_text)
        enrolled = read_device(tx, device)
    assert enrolled is not None
    return enrolled


def site_exists(db: Database, site: str) -> bool:
    """Whether the server knows ``site`` (a token was issued for it)."""
    with db.transaction() as tx:
        return tx.one("SELECT 1 FROM sites WHERE code = ?", (site,)) is not None


def revoke(db: Database, device: str, *, now: datetime | None = None) -> Device:
    """Mark a device revoked; its later uploads and reads are refused.

    Raises:
        KeyError: if no such device is enrolled.
    """
    with db.transaction() as tx:
        changed = tx.execute(
            "UPDATE devices SET status = 'revoked', revoked_at = ? "
            "WHERE device = ? AND status <> 'revoked'",
            (iso(now or utc_now()), device),
        )
        found = read_device(tx, device)
    if found is None:
        raise KeyError(device)
    del changed
    return found


def _decode_key(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
        load_public_key(raw)
    except (binascii.Error, ValueError, SchemaError) as exc:
        raise ApiError(
            422, "schema", "public_key must be the base64 of 32 raw Ed25519 bytes"
        ) from exc
    return raw


def _key_id(raw: bytes) -> str:
    return key_id(load_public_key(raw))
