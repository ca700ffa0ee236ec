"""Key slots: the small file beside the database that holds the wrapped data key.

LUKS-style: one random 256-bit data key opens the database. Each user's password derives a
key-encryption key with Argon2id, which wraps the data key with AES-256-GCM; the slot's header
(kind, name, KDF parameters and salt, site id) is the associated data, so a header edited by
hand (say, a slot renamed to another user) no longer opens. A recovery slot wraps the same key
under a random recovery key printed once at site creation, so a forgotten password never loses
data. The file holds only wrapped keys, salts and parameters; it is rewritten atomically.

A user's slot also wraps, under the same key-encryption key, the seed of that user's Ed25519
signing key (``signing_nonce``/``signing_wrapped``; its public key is in the header): only the
user's password unwraps it, so no other user, and no one holding only the data key, can sign as
them. Slots written before user signatures have none; the user's first unlock adds one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from desktop_crf.errors import (
    KeySlotFileCorrupt,
    KeySlotFileMissing,
    NotFound,
    UnknownUser,
    WrongPassword,
)
from sync.canonical import canonical_bytes

FILE_FORMAT = "desktop-crf-keyslots"
FILE_VERSION = 1
RECOVERY_SLOT = "recovery"
DATA_KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults are DESIGN.md's (t=3, m=64 MiB, p=4)."""

    iterations: int = 3
    memory_kib: int = 64 * 1024
    lanes: int = 4

    def derive(self, secret: str, salt: bytes) -> bytes:
        kdf = Argon2id(
            salt=salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(secret.encode("utf-8"))


@dataclass(frozen=True)
class KeySlot:
    kind: str  # "user" or "recovery"
    name: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes
    #: Why the slot as read does not match its checksum (damaged on disk), or None.
    damage: str | None = None
    #: The user's signing key: its public key (in the header), nonce and wrapped seed.
    signing_public: bytes | None = None
    signing_nonce: bytes | None = None
    signing_wrapped: bytes | None = None

    def header(self, site_uuid: str) -> dict[str, Any]:
        head = {
            "kind": self.kind,
            "name": self.name,
            "kdf": {
                "alg": "argon2id",
                "t": self.kdf.iterations,
                "m": self.kdf.memory_kib,
                "p": self.kdf.lanes,
            },
            "salt": _b64(self.salt),
            "aead": "aes-256-gcm",
            "site": site_uuid,
        }
        if self.signing_public is not None:
            head["signing"] = {"alg": "ed25519", "public_key": _b64(self.signing_public)}
        return head

    def to_json(self, site_uuid: str) -> dict[str, Any]:
        doc = {**self.header(site_uuid), "nonce": _b64(self.nonce), "wrapped": _b64(self.wrapped)}
        if self.signing_nonce is not None and self.signing_wrapped is not None:
            doc["signing_nonce"] = _b64(self.signing_nonce)
            doc["signing_wrapped"] = _b64(self.signing_wrapped)
        return {**doc, "check": _checksum(doc)}


@dataclass
class KeySlotFile:
    """The parsed key-slot file of one site install."""

    path: Path
    site_uuid: str
    slots: dict[str, KeySlot] = field(default_factory=dict)

    # -- reading --------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> KeySlotFile:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise KeySlotFileMissing(str(path)) from exc
        try:
            doc = json.loads(raw)
            if doc.get("format") != FILE_FORMAT or doc.get("version") != FILE_VERSION:
                raise ValueError("unknown format or version")
            site_uuid = str(doc["site"])
            slots = [_slot_from_json(s, site_uuid) for s in doc["slots"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise KeySlotFileCorrupt(str(path), str(exc) or type(exc).__name__) from exc
        return cls(path=path, site_uuid=site_uuid, slots={_slot_key(s): s for s in slots})

    def has_user(self, name: str) -> bool:
        return ("user", name) in self._keys()

    def user_names(self) -> list[str]:
        return sorted(s.name for s in self.slots.values() if s.kind == "user")

    def unlock(self, name: str, password: str) -> bytes:
        """Return the data key, or raise WrongPassword (UnknownUser looks the same)."""
        slot = self.slots.get(f"user:{name}")
        if slot is None:
            damaged = [s for s in self.slots.values() if s.damage not in (None, _UNCHECKED)]
            if damaged:  # the user's own slot may be the one whose name was damaged
                raise KeySlotFileCorrupt(str(self.path), "a key slot does not match its checksum")
            raise UnknownUser(name)
        return self._unwrap(slot, password, WrongPassword(name))[0]

    def unlock_user(self, name: str, password: str) -> tuple[bytes, bytes | None]:
        """Return the data key and the seed of the user's signing key (None for a slot written
        before user signatures), or raise WrongPassword (UnknownUser looks the same)."""
        if self.slots.get(f"user:{name}") is None:
            self.unlock(name, password)  # raises the right error
        return self._unwrap(self.slots[f"user:{name}"], password, WrongPassword(name))

    @property
    def unchecked(self) -> bool:
        """Whether a slot was written without its checksum (an older file): rewrite it."""
        return any(slot.damage == _UNCHECKED for slot in self.slots.values())

    def unlock_recovery(self, recovery_key: str) -> bytes:
        slot = self.slots.get(f"recovery:{RECOVERY_SLOT}")
        if slot is None:
            raise KeySlotFileCorrupt(str(self.path), "it has no recovery slot")
        return self._unwrap(slot, normalise_recovery_key(recovery_key), WrongRecoveryKey())[0]

    def _unwrap(self, slot: KeySlot, secret: str, error: Exception) -> tuple[bytes, bytes | None]:
        # Damage on disk is not a wrong password: say so, and never count it as a failure.
        if slot.damage not in (None, _UNCHECKED):
            raise KeySlotFileCorrupt(str(self.path), f"the key slot of {slot.name} {slot.damage}")
        kek = slot.kdf.derive(secret, slot.salt)
        aad = canonical_bytes(slot.header(self.site_uuid))
        try:
            data_key = AESGCM(kek).decrypt(slot.nonce, slot.wrapped, aad)
            seed = None
            if slot.signing_nonce is not None and slot.signing_wrapped is not None:
                seed = AESGCM(kek).decrypt(
                    slot.signing_nonce, slot.signing_wrapped, aad + _SIGNING_AAD
                )
        except InvalidTag:
            raise error from None
        return data_key, seed

    # -- changing -------------------------------------------------------------------------

    def set_user_slot(
        self,
        name: str,
        password: str,
        data_key: bytes,
        kdf: KdfParams,
        *,
        signing_seed: bytes | None = None,
    ) -> None:
        """Wrap the data key (and the user's signing key seed, if given) under ``password``."""
        self._put(_wrap("user", name, password, data_key, kdf, self.site_uuid, signing_seed))

    def set_recovery_slot(self, recovery_key: str, data_key: bytes, kdf: KdfParams) -> None:
        secret = normalise_recovery_key(recovery_key)
        self._put(_wrap("recovery", RECOVERY_SLOT, secret, data_key, kdf, self.site_uuid))

    def remove_user_slot(self, name: str) -> None:
        if self.slots.pop(f"user:{name}", None) is None:
            raise NotFound(f"There is no user called {name}.")

    def kdf_for(self, name: str) -> KdfParams:
        slot = self.slots.get(f"user:{name}")
        return slot.kdf if slot else KdfParams()

    def save(self) -> None:
        """Write the file atomically: a crash leaves the old or the new file, never half."""
        doc = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "site": self.site_uuid,
            "slots": [s.to_json(self.site_uuid) for s in self.slots.values()],
        }
        write_atomically(self.path, json.dumps(doc, indent=1).encode("utf-8"))

    def _put(self, slot: KeySlot) -> None:
        self.slots[_slot_key(slot)] = slot

    def _keys(self) -> set[tuple[str, str]]:
        return {(s.kind, s.name) for s in self.slots.values()}


class WrongRecoveryKey(WrongPassword):
    def __init__(self) -> None:
        Exception.__init__(self, "The recovery key is not correct. Check it and try again.")


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def new_recovery_key() -> str:
    """A random recovery key, printed for a person to keep: 8 groups of 5 base32 characters."""
    text = base64.b32encode(secrets.token_bytes(25)).decode("ascii")
    return "-".join(text[i : i + 5] for i in range(0, 40, 5))


def recovery_signing_seed(recovery_key: str, site_uuid: str) -> bytes:
    """The seed of the site's recovery signing key, derived from the recovery key (HKDF-SHA256
    with the site's id as salt): whoever holds the recovery key can sign password resets, and
    nothing else (``sync.authorship``)."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=site_uuid.encode("ascii"),
        info=b"desktop-crf recovery signing key v1",
    )
    return hkdf.derive(normalise_recovery_key(recovery_key).encode("ascii"))


def normalise_recovery_key(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows cannot open directories; the rename is durable there anyway.
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _wrap(
    kind: str,
    name: str,
    secret: str,
    data_key: bytes,
    kdf: KdfParams,
    site: str,
    signing_seed: bytes | None = None,
) -> KeySlot:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    public = None
    if signing_seed is not None:
        private = Ed25519PrivateKey.from_private_bytes(signing_seed)
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    slot = KeySlot(kind, name, kdf, salt, nonce, b"", signing_public=public)
    kek = kdf.derive(secret, salt)
    aad = canonical_bytes(slot.header(site))
    wrapped = AESGCM(kek).encrypt(nonce, data_key, aad)
    if signing_seed is None:
        return replace(slot, wrapped=wrapped)
    signing_nonce = secrets.token_bytes(12)
    signing_wrapped = AESGCM(kek).encrypt(signing_nonce, signing_seed, aad + _SIGNING_AAD)
    return replace(
        slot, wrapped=wrapped, signing_nonce=signing_nonce, signing_wrapped=signing_wrapped
    )


#: Appended to a slot's associated data for the signing key: the two wraps are not swappable.
_SIGNING_AAD = b"\x00signing-key"


#: ``damage`` of a slot written before slots carried a checksum: nothing to compare it with.
_UNCHECKED = "has no checksum"


def _checksum(doc: dict[str, Any]) -> str:
    """SHA-256 of a slot's canonical JSON: tells damage on disk from a wrong password (AES-GCM
    alone cannot: both fail the tag)."""
    return hashlib.sha256(canonical_bytes(doc)).hexdigest()


def _slot_from_json(doc: dict[str, Any], site_uuid: str) -> KeySlot:
    kdf = doc["kdf"]
    if kdf.get("alg") != "argon2id" or doc.get("aead") != "aes-256-gcm":
        raise ValueError("unsupported key derivation or cipher")
    body = {k: v for k, v in doc.items() if k != "check"}
    if "check" not in doc:
        damage: str | None = _UNCHECKED
    elif body.get("site") != site_uuid or doc["check"] != _checksum(body):
        damage = "does not match its checksum"
    else:
        damage = None
    signing = doc.get("signing")
    slot = KeySlot(
        kind=str(doc["kind"]),
        name=str(doc["name"]),
        kdf=KdfParams(iterations=int(kdf["t"]), memory_kib=int(kdf["m"]), lanes=int(kdf["p"])),
        salt=base64.b64decode(doc["salt"], validate=True),
        nonce=base64.b64decode(doc["nonce"], validate=True),
        wrapped=base64.b64decode(doc["wrapped"], validate=True),
        damage=damage,
        signing_public=_b64_or_none(signing["public_key"] if signing else None),
        signing_nonce=_b64_or_none(doc.get("signing_nonce")),
        signing_wrapped=_b64_or_none(doc.get("signing_wrapped")),
    )
    if damage is None or damage == _UNCHECKED:
        _check_shape(slot)
    return slot


def _check_shape(slot: KeySlot) -> None:
    """Sizes and costs a slot written here always has: 16-byte salt, 12-byte nonce, a wrapped
    32-byte key, and Argon2id parameters it can run with."""
    kdf = slot.kdf
    if (len(slot.salt), len(slot.nonce), len(slot.wrapped)) != (16, 12, DATA_KEY_BYTES + 16):
        raise ValueError(f"the key slot of {slot.name} has a salt, nonce or key of a wrong size")
    signing = (slot.signing_public, slot.signing_nonce, slot.signing_wrapped)
    if any(part is not None for part in signing) and tuple(
        len(part) if part is not None else None for part in signing
    ) != (32, 12, 32 + 16):
        raise ValueError(f"the signing key of {slot.name} has parts missing or of a wrong size")
    costs = (1 <= kdf.iterations <= 100, 1 <= kdf.lanes <= 64, kdf.memory_kib <= 4 * 2**20)
    if not all(costs) or kdf.memory_kib < 8 * kdf.lanes:
        raise ValueError(f"the key slot of {slot.name} has key derivation costs it cannot have")


def _slot_key(slot: KeySlot) -> str:
    return f"{slot.kind}:{slot.name}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64_or_none(text: Any) -> bytes | None:
    return None if text is None else base64.b64decode(str(text), validate=True)
