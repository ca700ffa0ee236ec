"""Canonical JSON bytes (RFC 8785) for the audit trail and change sets.

Audit entries are flat objects of strings, integers and nulls. For those, Python's ``json``
with sorted keys produces exactly the RFC 8785 bytes and is about four times faster than the
general ``rfc8785`` encoder, which matters because chain verification hashes every entry.
Anything outside that shape (nested values, floats, big integers, lone surrogates, non-ASCII
keys whose UTF-16 order could differ) goes through ``rfc8785`` itself, and a property test keeps
the two paths byte-identical.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import rfc8785

_MAX_SAFE_INT = 2**53 - 1
_encode_flat = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


def _is_flat_simple(obj: Mapping[str, Any]) -> bool:
    for key, value in obj.items():
        if not isinstance(key, str) or not key.isascii():
            return False
        if value is None or value is True or value is False:
            continue
        if type(value) is int:
            if -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
                continue
            return False
        if type(value) is str:
            if any("\ud800" <= ch <= "\udfff" for ch in value):
                return False
            continue
        return False
    return True


def canonical_bytes(obj: Any) -> bytes:
    """Return the RFC 8785 canonical encoding of ``obj``.

    Raises:
        rfc8785.CanonicalizationError: for values JSON cannot carry (e.g. NaN).
    """
    if isinstance(obj, Mapping) and _is_flat_simple(obj):
        return _encode_flat(obj).encode("utf-8")
    return rfc8785.dumps(obj)


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
