"""Signed requests: how a device proves who it is on reads (device state, receipts, pull).

Uploads need no such header: a change set carries its own signature. Reads return clinical data
of the site, so the device signs ``method, path with query, time, SHA-256 of the body`` with
its Ed25519 key, under a domain that differs from the change-set domain. The server accepts a
time within a few minutes of its own clock; a replayed read inside that window only returns the
same data to the same device.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

REQUEST_DOMAIN = b"desktop-crf request signature v1\x00"
DEVICE_HEADER = "X-CRF-Device"
TIME_HEADER = "X-CRF-Time"
SIGNATURE_HEADER = "X-CRF-Signature"


class RequestAuthError(ValueError):
    """A request signature that is missing, malformed, stale or wrong."""


def request_message(method: str, target: str, timestamp: int, body: bytes) -> bytes:
    """Return the signed message of a request (``target`` = path and query string)."""
    digest = hashlib.sha256(body).hexdigest()
    return REQUEST_DOMAIN + f"{method.upper()}\n{target}\n{timestamp}\n{digest}".encode()


def sign_request(
    private_key: Ed25519PrivateKey,
    device: str,
    method: str,
    target: str,
    body: bytes = b"",
    *,
    now: float | None = None,
) -> dict[str, str]:
    """Return the headers that authenticate one request of ``device``."""
    timestamp = int(time.time() if now is None else now)
    signature = private_key.sign(request_message(method, target, timestamp, body))
    return {
        DEVICE_HEADER: device,
        TIME_HEADER: str(timestamp),
        SIGNATURE_HEADER: base64.b64encode(signature).decode("ascii"),
    }


def verify_request(
    public_key: Ed25519PublicKey,
    method: str,
    target: str,
    body: bytes,
    *,
    timestamp: str,
    signature: str,
    now: float,
    skew: int,
) -> None:
    """Check a request signature made by ``public_key``.

    Raises:
        RequestAuthError: saying what is wrong.
    """
    try:
        when = int(timestamp)
        raw = base64.b64decode(signature, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise RequestAuthError("malformed signature headers") from exc
    if abs(now - when) > skew:
        raise RequestAuthError(
            "the device clock differs from the server's by more than "
            f"{skew // 60} minutes; set the computer's date and time"
        )
    try:
        public_key.verify(raw, request_message(method, target, when, body))
    except InvalidSignature as exc:
        raise RequestAuthError("the request signature does not match this device's key") from exc
