"""Users' keys on the server: what enrolment binds, what uploads grant, monitors, revocation.

The chain of authority (``sync.authorship``): a device's enrolment (the data manager's one-time
token, signed by a site admin's key) binds the key that created the site on that computer (its
root admin) and the enrolling admin's key; every other site role is granted by an admin's signed
``user.add`` in the device's chain; a monitor's key is entitled to act as a monitor only once the
monitor bound it with a one-time monitor token the data manager issued for that name and site
(``crf-server monitor-token``); a password reset is signed with the site's recovery key, named
by the admin-signed ``site.create``. Nothing a site can write creates authority the server did
not see granted this way.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync.authorship import (
    Authority,
    SignerKey,
    enrolment_message,
    key_id_of,
    monitor_binding_message,
)
from sync.canonical import sha256_hex
from sync.entries import timestamp
from sync.server.db import Database, Tx
from sync.server.errors import ApiError

_SIGNER_COLUMNS = "key_id, site, device, user_name, role, public_key, status, monitor_bound, source"


@dataclass(frozen=True)
class EnrolmentBinding:
    """What a device's enrolment binds: the chain's root admin key (None for a site created
    before user signatures), the enrolling admin's key and proof, and how much of the chain
    was written before user signatures."""

    admin_user: str
    admin_key: bytes
    admin_signature: bytes
    root_user: str | None
    root_key: bytes | None
    unsigned_through: int


def decode_key(text: str, what: str) -> bytes:
    """32 raw bytes of an Ed25519 public key from base64, or a 422 ``schema``."""
    try:
        raw = base64.b64decode(text, validate=True)
        Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(422, "schema", f"{what} must be the base64 of 32 raw Ed25519 bytes") from exc
    return raw


def decode_signature(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(422, "schema", f"{what} must be base64") from exc
    if len(raw) != 64:
        raise ApiError(422, "schema", f"{what} must be 64 bytes")
    return raw


def check_enrolment(binding: EnrolmentBinding, *, token: str, device: str, device_key: bytes,
                    study: str) -> None:  # fmt: skip
    """The enrolling admin signed this enrolment with their key.

    Raises:
        ApiError: 422 ``bad_enrolment_signature``.
    """
    message = enrolment_message(
        token_sha256=sha256_hex(token.encode()),
        device=device,
        device_key=device_key,
        study=study,
        admin_user=binding.admin_user,
        root_key=binding.root_key,
        unsigned_through=binding.unsigned_through,
    )
    try:
        Ed25519PublicKey.from_public_bytes(binding.admin_key).verify(
            binding.admin_signature, message
        )
    except InvalidSignature as exc:
        raise ApiError(
            422,
            "bad_enrolment_signature",
            "the site admin's signature does not match this enrolment",
        ) from exc


def bind_enrolment(tx: Tx, site: str, device: str, binding: EnrolmentBinding, now: str) -> None:
    """Record what the enrolment binds (inside the enrolment's transaction)."""
    root_id = key_id_of(binding.root_key) if binding.root_key is not None else None
    tx.execute(
        "INSERT INTO device_trust (device, root_key_id, unsigned_through, signed_yet, bound_by, "
        "bound_at) VALUES (?, ?, ?, 0, ?, ?)",
        (device, root_id, binding.unsigned_through, binding.admin_user, now),
    )
    keys = [(binding.admin_user, binding.admin_key)]
    if binding.root_key is not None and binding.root_user is not None:
        keys.insert(0, (binding.root_user, binding.root_key))
    for user, raw in keys:
        key = SignerKey(key_id_of(raw), raw, user, "admin", device, source="enrolment")
        _upsert(tx, site, key, now)


def load_authority(tx: Tx, device: str) -> tuple[Authority, int | None]:
    """The authority of one device's chain as the server holds it, and the last sequence that
    may be unsigned (None: a device enrolled before protocol 2, until its first signed entry)."""
    authority = Authority(device, central=True)
    for row in tx.all(f"SELECT {_SIGNER_COLUMNS} FROM signers WHERE device = ?", (device,)):
        key = _key(row)
        authority.keys[key.key_id] = key
    for user, role in tx.all(
        "SELECT user_name, role FROM legacy_accounts WHERE device = ?", (device,)
    ):
        authority.legacy[str(user)] = str(role)
    trust = tx.one("SELECT unsigned_through, signed_yet FROM device_trust WHERE device = ?",
                   (device,))  # fmt: skip
    if trust is None:
        return authority, None
    authority.signed_yet = bool(trust[1])
    return authority, int(trust[0]) if trust[0] is not None else None


def save_authority(tx: Tx, site: str, authority: Authority, now: str) -> None:
    """Persist what an accepted set taught the authority (inside the upload's transaction)."""
    for kid in sorted(authority.changed):
        _upsert(tx, site, authority.keys[kid], now)
    for user in sorted(authority.legacy_changed):
        tx.execute(
            "INSERT INTO legacy_accounts (device, user_name, role) VALUES (?, ?, ?) "
            "ON CONFLICT (device, user_name) DO UPDATE SET role = excluded.role",
            (authority.device, user, authority.legacy[user]),
        )
    if authority.signed_yet:
        changed = tx.execute(
            "UPDATE device_trust SET signed_yet = 1 WHERE device = ? AND signed_yet = 0",
            (authority.device,),
        )
        if (
            not changed
            and tx.one("SELECT 1 FROM device_trust WHERE device = ?", (authority.device,)) is None
        ):  # enrolled before protocol 2: its unsigned part ends here
            tx.execute(
                "INSERT INTO device_trust (device, root_key_id, unsigned_through, signed_yet, "
                "bound_by, bound_at) VALUES (?, NULL, NULL, 1, NULL, ?)",
                (authority.device, now),
            )
    authority.changed.clear()
    authority.legacy_changed.clear()


def _upsert(tx: Tx, site: str, key: SignerKey, now: str) -> None:
    tx.execute(
        f"INSERT INTO signers ({_SIGNER_COLUMNS}, changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (key_id) DO UPDATE SET user_name = excluded.user_name, "
        "role = excluded.role, status = excluded.status, "
        "monitor_bound = excluded.monitor_bound, changed_at = excluded.changed_at",
        (
            key.key_id,
            site,
            key.device,
            key.user,
            key.role,
            key.public_key,
            key.status,
            int(key.monitor_bound),
            key.source,
            now,
        ),
    )


def _key(row: Any) -> SignerKey:
    kid, _site, device, user, role, public, status, bound, source = row
    return SignerKey(
        str(kid), bytes(public), str(user), str(role), str(device), str(status), bool(bound),
        str(source),
    )  # fmt: skip


# -- monitors ------------------------------------------------------------------------------


def issue_monitor_token(
    db: Database, site: str, user: str, *, ttl: timedelta, now: datetime
) -> str:
    """A one-time token with which the monitor ``user`` binds their key at ``site``.

    Raises:
        KeyError: the server knows no such site.
    """
    token = "crfm1-" + secrets.token_urlsafe(24)
    with db.transaction() as tx:
        if tx.one("SELECT 1 FROM sites WHERE code = ?", (site,)) is None:
            raise KeyError(site)
        tx.execute(
            "INSERT INTO monitor_tokens (token_hash, site, user_name, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (sha256_hex(token.encode()), site, user, _iso(now), _iso(now + ttl)),
        )
    return token


def bind_monitor(
    db: Database,
    *,
    site: str,
    device: str,
    token: str,
    user: str,
    public_key: bytes,
    proof: bytes,
    now: datetime,
) -> SignerKey:
    """Bind a monitor's key (on ``device``) with their one-time token; ``proof`` is the key's
    own signature over the binding. Sending the same binding again answers the same.

    Raises:
        ApiError: token unknown, used, expired, for another site or name; bad proof.
    """
    kid = key_id_of(public_key)
    message = monitor_binding_message(
        token_sha256=sha256_hex(token.encode()), site=site, device=device, user=user, key_id=kid
    )
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(proof, message)
    except InvalidSignature as exc:
        raise ApiError(422, "bad_binding_signature", "the key's signature does not match this "
                       "binding") from exc  # fmt: skip
    now_text = _iso(now)
    with db.transaction() as tx:
        tx.lock_site(site)
        row = tx.one(
            "SELECT site, user_name, expires_at, used_at, key_id FROM monitor_tokens "
            "WHERE token_hash = ?",
            (sha256_hex(token.encode()),),
        )
        if row is None:
            raise ApiError(403, "token_invalid", "this monitor token is not known")
        token_site, token_user, expires_at, used_at, used_key = row
        if token_site != site or token_user != user:
            raise ApiError(
                403, "token_invalid", f"this monitor token is for {token_user} at {token_site}"
            )
        if used_at is not None and used_key != kid:
            raise ApiError(403, "token_used", "this monitor token was already used; ask the "
                           "data manager for a new one")  # fmt: skip
        if used_at is None and expires_at <= now_text:
            raise ApiError(403, "token_expired", "this monitor token has expired; ask the data "
                           "manager for a new one")  # fmt: skip
        held = tx.one(f"SELECT {_SIGNER_COLUMNS} FROM signers WHERE key_id = ?", (kid,))
        key = _key(held) if held is not None else None
        if key is not None and (key.user != user or key.role != "monitor" or key.device != device):
            raise ApiError(409, "key_conflict", "this key is known for another account")
        if key is not None and key.status != "active":
            raise ApiError(403, "revoked_signer", f"this key of {user} was revoked")
        bound = SignerKey(kid, public_key, user, "monitor", device, monitor_bound=True,
                          source=key.source if key else "central")  # fmt: skip
        _upsert(tx, site, bound, now_text)
        tx.execute(
            "UPDATE monitor_tokens SET used_at = coalesce(used_at, ?), key_id = ? "
            "WHERE token_hash = ?",
            (now_text, kid, sha256_hex(token.encode())),
        )
    return bound


def revoke_user(db: Database, site: str, user: str, *, now: datetime) -> int:
    """Revoke every key of ``user`` at ``site`` (a monitor who left, a stolen password): entries
    they sign reaching the server from now on are refused. Returns how many keys."""
    with db.transaction() as tx:
        tx.lock_site(site)
        return tx.execute(
            "UPDATE signers SET status = 'revoked', changed_at = ? "
            "WHERE site = ? AND user_name = ? AND status = 'active'",
            (_iso(now), site, user),
        )


def list_signers(db: Database, site: str) -> list[dict[str, Any]]:
    """The keys the server knows for ``site``, by device and user."""
    with db.transaction() as tx:
        rows = tx.all(
            f"SELECT {_SIGNER_COLUMNS}, changed_at FROM signers WHERE site = ? "
            "ORDER BY device, user_name, key_id",
            (site,),
        )
    return [
        {
            "key_id": key.key_id,
            "device": key.device,
            "user": key.user,
            "role": key.role,
            "status": key.status,
            "monitor_bound": key.monitor_bound,
            "source": key.source,
            "changed_at": str(row[-1]),
        }
        for row in rows
        for key in [_key(row[:-1])]
    ]


def _iso(moment: datetime) -> str:
    return timestamp(moment)
