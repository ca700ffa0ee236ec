"""Who wrote an entry: users' signatures over their entries, and the authority behind each key.

Every user has an Ed25519 key (wrapped in their own key slot on the device). A write of the app
is one transaction; its author signs, once, the hashes of the entries it appended:

    ENTRY_SIGNATURE_DOMAIN + canonical({"device", "seq_from", "seq_to", "signer", "key_id",
                                        "hashes": [hash of seq_from, …, hash of seq_to]})

(a transaction of more than ``MAX_GROUP`` entries is signed in several groups). The device key
still signs change sets: it proves which computer sent them; these prove who wrote what.

``Authority`` decides whether a run of one device's entries is covered by signatures of keys
entitled to what the entries claim, and learns the keys that the entries grant:

- ``site.create`` + ``user.add`` of the site's first admin (the *root*): on the server the root
  key is the one the site admin bound at enrolment; a device verifying a chain on its own takes
  the key that the chain's first signed group grants to itself (the chain fixes it for good).
  ``site.create`` also names the site's recovery key (``detail.recovery_key``), which may sign
  nothing but password resets;
- ``user.add`` by an admin grants a key to a user with a role (``detail.public_key``); a
  ``monitor`` so granted is known, but on the server acts as a monitor only once the monitor
  bound the key centrally with the data manager's one-time token;
- ``user.password_reset`` (signed with the recovery key) replaces a user's key: the old one is
  revoked from then on;
- ``user.key``: on a site created before user signatures, a user whose account was created in
  the unsigned part of the chain announces their first key, signed with it.

An entry's ``user`` and ``role`` must be its signer's, except: a patient's entries (``patient:
<subject>``) are signed by the staff member who handed the tablet over, and ``kiosk.end`` (the
tablet taken back, by password or PIN, on the patient's session) by that staff member too.

Entries without a signature are allowed only as the start of a chain (written before user
signatures existed); once a device's chain has a signed entry, every later one needs one.

Pure: no database, no network.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from sync.canonical import canonical_bytes, sha256_hex
from sync.rules import ROLE_PERMISSIONS, Permission

__all__ = [
    "ENTRY_SIGNATURE_DOMAIN",
    "MAX_GROUP",
    "RECOVERY_ROLE",
    "RECOVERY_USER",
    "Authority",
    "AuthorshipError",
    "EntrySignature",
    "SignerKey",
    "UserSigner",
    "group_ranges",
    "sign_group",
]

ENTRY_SIGNATURE_DOMAIN = b"desktop-crf entry signature v1\x00"
ENROLMENT_DOMAIN = b"desktop-crf enrolment v2\x00"
MONITOR_BINDING_DOMAIN = b"desktop-crf monitor binding v1\x00"
#: A transaction's entries are signed in groups of at most this many ...
MAX_GROUP = 256
#: ... and at most this many canonical bytes, so that a group always fits in one change set.
MAX_GROUP_BYTES = 512 * 1024
#: The ``user`` of entries signed with a site's recovery key (a password reset).
RECOVERY_USER = "recovery-key"
#: The role of a recovery key in the registry of keys (it signs password resets only).
RECOVERY_ROLE = "recovery"
#: What an account granted a monitor's role may sign before the monitor bound its key.
_UNBOUND_MONITOR_ACTIONS = frozenset(
    {"session.login", "session.unlock", "session.lock", "session.logout", "user.password_changed"}
)
_SELF_ACTIONS = frozenset({"kiosk.end"})
#: The actions that make keys known or revoke them.
_GRANTING = frozenset({"site.create", "user.add", "user.password_reset", "user.key"})


class AuthorshipError(ValueError):
    """Entries not covered by an entitled author's signature; ``seq`` names the first."""

    def __init__(self, code: str, seq: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.seq = seq
        self.message = message


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(raw_public: bytes) -> str:
    """The id of a user's key: the hex SHA-256 of its 32 raw bytes (as for device keys)."""
    return sha256_hex(raw_public)


@dataclass(frozen=True)
class UserSigner:
    """A user's unwrapped key, held by an open session (dropped when it closes)."""

    user: str
    private_key: Ed25519PrivateKey = field(repr=False)

    @property
    def public_key(self) -> bytes:
        return public_bytes(self.private_key.public_key())

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_key).decode("ascii")

    @property
    def seed(self) -> bytes:
        """The 32 raw bytes of the private key (what a key slot wraps)."""
        return self.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    @classmethod
    def generate(cls, user: str) -> UserSigner:
        return cls(user, Ed25519PrivateKey.generate())

    @classmethod
    def from_seed(cls, user: str, seed: bytes) -> UserSigner:
        return cls(user, Ed25519PrivateKey.from_private_bytes(seed))


@dataclass(frozen=True)
class EntrySignature:
    """One author's signature over a contiguous run of one device's entries."""

    device: str
    seq_from: int
    seq_to: int
    signer: str
    key_id: str
    signature: bytes

    def to_record(self) -> dict[str, Any]:
        """The JSON form carried in change sets (without ``device``) and on the feed."""
        return {
            "seq_from": self.seq_from,
            "seq_to": self.seq_to,
            "signer": self.signer,
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode("ascii"),
        }

    @classmethod
    def from_record(cls, device: str, record: Any) -> EntrySignature:
        """Read a signature record strictly.

        Raises:
            ValueError: naming what is wrong.
        """
        keys = {"seq_from", "seq_to", "signer", "key_id", "signature"}
        if not isinstance(record, Mapping) or set(record) != keys:
            raise ValueError(f"a signature has exactly the fields {sorted(keys)}")
        seq_from, seq_to = record["seq_from"], record["seq_to"]
        if type(seq_from) is not int or type(seq_to) is not int or not 1 <= seq_from <= seq_to:
            raise ValueError("a signature covers seq_from..seq_to, positive and in order")
        if seq_to - seq_from >= MAX_GROUP:
            raise ValueError(f"a signature covers at most {MAX_GROUP} entries")
        signer, kid = record["signer"], record["key_id"]
        if not isinstance(signer, str) or not 0 < len(signer) <= 200:
            raise ValueError("a signature's signer is a user name")
        if not isinstance(kid, str) or len(kid) != 64 or kid.strip("0123456789abcdef"):
            raise ValueError("a signature's key_id is 64 lowercase hex digits")
        try:
            raw = base64.b64decode(str(record["signature"]), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("a signature is base64") from exc
        if len(raw) != 64:
            raise ValueError("an Ed25519 signature is 64 bytes")
        return cls(device, seq_from, seq_to, signer, kid, raw)


@lru_cache(maxsize=256)
def _public_key_object(raw: bytes) -> Ed25519PublicKey:
    """The key object of 32 raw bytes, loaded once per key (a set checks a signature per save).

    Raises:
        ValueError: if the bytes are not an Ed25519 public key.
    """
    return Ed25519PublicKey.from_public_bytes(raw)


def signature_message(
    device: str, seq_from: int, seq_to: int, signer: str, key_id: str, hashes: Sequence[str]
) -> bytes:
    """The signed message of a group of entries (their hashes, in order): the domain, then the
    RFC 8785 bytes of ``{"device", "hashes", "key_id", "seq_from", "seq_to", "signer"}``
    (written out directly: the hashes are hex, the rest is encoded as ``canonical_bytes``
    would; a test keeps the two identical)."""
    head = canonical_bytes({"device": device})[:-1]
    tail = canonical_bytes(
        {"key_id": key_id, "seq_from": seq_from, "seq_to": seq_to, "signer": signer}
    )[1:]
    listed = ",".join(f'"{h}"' for h in hashes).encode("ascii")
    return ENTRY_SIGNATURE_DOMAIN + head + b',"hashes":[' + listed + b"]," + tail


def enrolment_message(
    *,
    token_sha256: str,
    device: str,
    device_key: bytes,
    study: str,
    admin_user: str,
    root_key: bytes | None,
    unsigned_through: int,
) -> bytes:
    """What the enrolling site admin signs: this device, its key, the chain's root admin key
    and how much of the chain was written before user signatures, under this token."""
    body = {
        "token_sha256": token_sha256,
        "device": device,
        "device_key": base64.b64encode(device_key).decode("ascii"),
        "study": study,
        "admin_user": admin_user,
        "root_key": base64.b64encode(root_key).decode("ascii") if root_key else None,
        "unsigned_through": unsigned_through,
    }
    return ENROLMENT_DOMAIN + canonical_bytes(body)


def monitor_binding_message(
    *, token_sha256: str, site: str, device: str, user: str, key_id: str
) -> bytes:
    """What a monitor's key signs to bind itself with a one-time monitor token."""
    body = {"token_sha256": token_sha256, "site": site, "device": device, "user": user,
            "key_id": key_id}  # fmt: skip
    return MONITOR_BINDING_DOMAIN + canonical_bytes(body)


def sign_group(signer: UserSigner, entries: Sequence[Mapping[str, Any]]) -> EntrySignature:
    """Sign a contiguous run of one device's entries (each with its ``hash``)."""
    device, first, last = str(entries[0]["device"]), int(entries[0]["seq"]), int(entries[-1]["seq"])
    hashes = [str(e["hash"]) for e in entries]
    kid = signer.key_id
    message = signature_message(device, first, last, signer.user, kid, hashes)
    return EntrySignature(device, first, last, signer.user, kid, signer.private_key.sign(message))


def group_ranges(sizes: Sequence[int], first_seq: int) -> list[tuple[int, int]]:
    """Cut a transaction's entries (their canonical sizes in bytes) into signature groups of
    at most ``MAX_GROUP`` entries and ``MAX_GROUP_BYTES`` bytes: ``[(seq_from, seq_to), …]``."""
    ranges: list[tuple[int, int]] = []
    start, count, size = first_seq, 0, 0
    for i, cost in enumerate(sizes):
        if count and (count >= MAX_GROUP or size + cost > MAX_GROUP_BYTES):
            ranges.append((start, first_seq + i - 1))
            start, count, size = first_seq + i, 0, 0
        count, size = count + 1, size + cost
    if count:
        ranges.append((start, first_seq + len(sizes) - 1))
    return ranges


@dataclass(frozen=True)
class SignerKey:
    """A key the authority knows: whose, in which role, on which device's chain."""

    key_id: str
    public_key: bytes
    user: str
    role: str
    device: str
    status: str = "active"
    #: For a monitor: bound centrally with the data manager's token (the server's concern).
    monitor_bound: bool = False
    #: How it became known ("enrolment", "grant", "reset", "announced", "root", "central").
    source: str = "grant"


@dataclass
class Authority:
    """The keys of one device's chain and what they may sign (see the module docstring).

    ``central`` is the server's mode: the root comes from enrolment and monitors need their
    central binding. A device verifying a chain on its own (``central=False``) takes the root
    from the chain's first signed group. ``keys`` changes as grants are learnt; ``changed``
    lists the ids of keys added or changed since it was last emptied (what to persist).
    """

    device: str
    keys: dict[str, SignerKey] = field(default_factory=dict)
    #: Accounts created in the unsigned start of the chain: name -> role.
    legacy: dict[str, str] = field(default_factory=dict)
    central: bool = False
    #: Whether the chain has had a signed entry yet (unsigned ones may only come before).
    signed_yet: bool = False
    changed: set[str] = field(default_factory=set)
    legacy_changed: set[str] = field(default_factory=set)

    # -- checking -------------------------------------------------------------------------

    def admit(
        self,
        entries: Sequence[Mapping[str, Any]],
        signatures: Iterable[EntrySignature],
        *,
        unsigned_through: int | None,
    ) -> None:
        """Check a contiguous run of this device's entries against their signatures and learn
        what they grant.

        Args:
            unsigned_through: the last sequence that may be unsigned (the part of the chain
                written before user signatures), or None: any, until the first signed entry.

        Raises:
            AuthorshipError: naming the first entry that is not covered as it must be.
        """
        by_start = {s.seq_from: s for s in signatures}
        i = 0
        while i < len(entries):
            entry = entries[i]
            seq = int(entry["seq"])
            sig = by_start.pop(seq, None)
            if sig is None:
                allowed = unsigned_through is None or seq <= unsigned_through
                self.admit_unsigned(entry, allowed=allowed)
                i += 1
                continue
            group = entries[i : i + sig.seq_to - sig.seq_from + 1]
            if sig.device != self.device or int(group[-1]["seq"]) != sig.seq_to:
                raise AuthorshipError(
                    "unsigned_entry",
                    seq,
                    f"the signature from entry #{seq} covers entries the set does not hold",
                )
            self.admit_group(group, sig)
            i += len(group)
        if by_start:
            seq = min(by_start)
            raise AuthorshipError(
                "bad_entry_signature",
                seq,
                f"a signature from #{seq} covers no run of entries of this set",
            )

    def admit_unsigned(self, entry: Mapping[str, Any], *, allowed: bool = True) -> None:
        """Take an entry without a signature: only at the start of the chain (``allowed``:
        where the caller accepts such a start), learning the accounts it creates.

        Raises:
            AuthorshipError: ``unsigned_entry``.
        """
        seq = int(entry["seq"])
        if self.signed_yet or not allowed:
            raise AuthorshipError(
                "unsigned_entry",
                seq,
                f"entry {self.device}#{seq} ({entry.get('action')} by {entry.get('user')}) "
                "is not signed by its author",
            )
        if entry.get("action") == "user.add":
            detail = _detail(entry)
            name, role = detail.get("name"), detail.get("role")
            if isinstance(name, str) and isinstance(role, str):
                self.legacy[name] = role
                self.legacy_changed.add(name)

    def admit_group(self, group: Sequence[Mapping[str, Any]], sig: EntrySignature) -> None:
        """Check one signed group and learn its grants.

        Raises:
            AuthorshipError: unknown, revoked or wrong key, bad signature, or an entry the key
                is not entitled to.
        """
        seq = int(group[0]["seq"])
        key = self.keys.get(sig.key_id) or self._first_key(group, sig)
        if key is None:
            raise AuthorshipError(
                "unknown_signer",
                seq,
                f"entries {self.device}#{seq}-{sig.seq_to} are signed by a key of "
                f"{sig.signer} that is not known for this device",
            )
        if key.status != "active":
            raise AuthorshipError(
                "revoked_signer",
                seq,
                f"the key of {key.user} that signed entries from {self.device}#{seq} was revoked",
            )
        if key.user != sig.signer:
            raise AuthorshipError(
                "bad_entry_signature",
                seq,
                f"the signature from #{seq} names {sig.signer}, but its key is {key.user}'s",
            )
        message = signature_message(
            self.device, sig.seq_from, sig.seq_to, sig.signer, sig.key_id,
            [str(e["hash"]) for e in group],
        )  # fmt: skip
        try:
            _public_key_object(key.public_key).verify(sig.signature, message)
        except (InvalidSignature, ValueError):
            raise AuthorshipError(
                "bad_entry_signature",
                seq,
                f"the signature of {sig.signer} over entries "
                f"{self.device}#{seq}-{sig.seq_to} does not match them",
            ) from None
        for entry in group:
            refusal = self.refusal(key, entry)
            if refusal is not None:
                raise AuthorshipError("signer_not_entitled", int(entry["seq"]), refusal)
        self.signed_yet = True
        if key.key_id not in self.keys:  # the root, or an announced key: now known
            self._put(key)
        for entry in group:
            self.learn(entry, key)

    def refusal(self, key: SignerKey, entry: Mapping[str, Any]) -> str | None:
        """Why ``key`` may not sign ``entry`` (for a person), or None."""
        user, role, action = entry.get("user"), entry.get("role"), str(entry.get("action"))
        reason = self._refusal(key, user, role, action)
        if reason is None:  # the usual answer: no message is written
            return None
        return f"entry {self.device}#{entry.get('seq')} ({action} by {user} as {role}): {reason}"

    def _refusal(self, key: SignerKey, user: Any, role: Any, action: str) -> str | None:
        if key.role == RECOVERY_ROLE:
            if action == "user.password_reset" and user == RECOVERY_USER and role == "admin":
                return None
            return "the site's recovery key signs only password resets"
        if role == "patient" or action in _SELF_ACTIONS:
            if Permission.OPEN_PATIENT_MODE in ROLE_PERMISSIONS.get(key.role, frozenset()):
                return None
            return f"signed by {key.user}, who may not hand the tablet to a patient"
        if user != key.user:
            return f"signed by {key.user}, not by its author"
        if role != key.role:
            return f"{key.user}'s key is granted the role {key.role}, not {role}"
        if (
            self.central
            and key.role == "monitor"
            and not key.monitor_bound
            and action not in _UNBOUND_MONITOR_ACTIONS
        ):
            return (
                f"the monitor {key.user} has not bound their key at this site yet; "
                "they bind it once with the data manager's one-time monitor token"
            )
        return None

    def _first_key(
        self, group: Sequence[Mapping[str, Any]], sig: EntrySignature
    ) -> SignerKey | None:
        """A key the group itself makes known: the chain's root (a device verifying on its
        own) or a legacy account's first key (``user.key``)."""
        for entry in group:
            action, detail = entry.get("action"), _detail(entry)
            raw = _public_key(detail)
            if raw is None or key_id_of(raw) != sig.key_id or detail.get("name") != sig.signer:
                continue
            role = detail.get("role")
            root = not (self.central or self.keys or self.signed_yet) and role == "admin"
            if action == "user.add" and root and entry.get("user") == sig.signer:
                return SignerKey(sig.key_id, raw, sig.signer, "admin", self.device, source="root")
            if action == "user.key" and self.legacy.get(sig.signer) == role:
                held = [k for k in self.keys.values() if k.user == sig.signer]
                if not held and isinstance(role, str):
                    return SignerKey(sig.key_id, raw, sig.signer, role, self.device,
                                     source="announced")  # fmt: skip
        return None

    # -- learning -------------------------------------------------------------------------

    def learn(self, entry: Mapping[str, Any], signer: SignerKey) -> None:
        """What an admitted entry grants or revokes."""
        action = entry.get("action")
        if action not in _GRANTING:
            return
        detail = _detail(entry)
        raw = _public_key(detail)
        name = detail.get("name")
        if action == "site.create":
            recovery = _public_key({"public_key": detail.get("recovery_key")})
            if recovery is not None and signer.role == "admin":
                self._put(SignerKey(key_id_of(recovery), recovery, RECOVERY_USER, RECOVERY_ROLE,
                                    self.device, source="grant"))  # fmt: skip
        elif raw is None or not isinstance(name, str):
            return
        elif action == "user.add" and signer.role == "admin":
            role = str(detail.get("role"))
            kid = key_id_of(raw)
            known = self.keys.get(kid)
            bound = known.monitor_bound if known is not None else False
            self._put(SignerKey(kid, raw, name, role, self.device, monitor_bound=bound,
                                source=known.source if known else "grant"))  # fmt: skip
        elif action == "user.password_reset" and signer.role == RECOVERY_ROLE:
            self._replace(name, raw)

    def _replace(self, name: str, raw: bytes) -> None:
        held = [k for k in self.keys.values() if k.user == name and k.status == "active"]
        role = held[-1].role if held else self.legacy.get(name)
        if role is None:
            return
        for old in held:
            self._put(replace(old, status="revoked"))
        bound = any(k.monitor_bound for k in held)
        self._put(SignerKey(key_id_of(raw), raw, name, role, self.device, monitor_bound=bound,
                            source="reset"))  # fmt: skip

    def _put(self, key: SignerKey) -> None:
        self.keys[key.key_id] = key
        self.changed.add(key.key_id)


def _detail(entry: Mapping[str, Any]) -> dict[str, Any]:
    try:
        parsed = json.loads(entry.get("detail") or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _public_key(detail: Mapping[str, Any]) -> bytes | None:
    text = detail.get("public_key")
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None
