"""Canonical JSON bytes (RFC 8785) for the audit trail and change sets.

Audit entries are flat objects of strings, integers and nulls. For those, ``orjson`` (with
sorted keys where they are not in order) writes exactly the RFC 8785 bytes, about fifteen times
faster than the general ``rfc8785`` encoder and nine times faster than Python's ``json``: every
entry is encoded when it is signed, sent, received and verified. Anything outside that shape
(nested values, floats, big integers, lone surrogates, non-ASCII keys whose UTF-16 order could
differ) goes through ``rfc8785`` itself, and property tests keep the paths byte-identical.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from json.encoder import (  # type: ignore[attr-defined]
    c_make_encoder,
    encode_basestring_ascii,
)
from typing import Any

import orjson
import rfc8785

_MAX_SAFE_INT = 2**53 - 1


def compact_encoder() -> Callable[[Any], str]:
    """``json.dumps(obj, separators=(",", ":"))`` with ``json``'s C encoder made once
    (``JSONEncoder.encode`` makes one per call, a good part of encoding a small value). For
    acyclic values only: it does not look for cycles."""
    encoder = json.JSONEncoder(separators=(",", ":"))
    if c_make_encoder is None:  # a Python without the C accelerator: the same, slower
        return encoder.encode
    encode = c_make_encoder(
        None,
        encoder.default,
        encode_basestring_ascii,
        None,
        ":",
        ",",
        False,
        False,
        True,
    )
    return lambda obj: "".join(encode(obj, 0))


def _is_flat_simple(obj: Mapping[str, Any]) -> bool:
    """Flat, with ASCII keys, and only strings, nulls, booleans and safe integers."""
    for value in obj.values():
        kind = type(value)
        if kind is str or value is None or kind is bool:
            continue
        if kind is not int or not -_MAX_SAFE_INT <= value <= _MAX_SAFE_INT:
            return False
    try:
        return "".join(obj).isascii()
    except TypeError:  # a key that is not a string
        return False


def canonical_bytes(obj: Any) -> bytes:
    """Return the RFC 8785 canonical encoding of ``obj``.

    Raises:
        rfc8785.CanonicalizationError: for values JSON cannot carry (e.g. NaN, lone surrogates).
    """
    if isinstance(obj, dict) and _is_flat_simple(obj):
        keys = list(obj)
        try:
            written = orjson.dumps(obj, option=None if keys == sorted(keys) else _SORT)
        except orjson.JSONEncodeError:  # a lone surrogate: let rfc8785 name the problem
            pass
        else:
            return _kept(written)
    return rfc8785.dumps(obj)


_SORT = orjson.OPT_SORT_KEYS


def _kept(written: bytes) -> bytes:
    """``orjson``'s bytes, copied to bytes of their own size: ``orjson`` writes into a larger
    buffer, and keeping thousands of those (a change set's entries) made each new one cost new
    memory (measured: 6 µs an entry kept as written, 1.1-1.4 µs copied)."""
    return bytes(memoryview(written))


def encode_in_order(obj: Mapping[str, Any]) -> bytes:
    """``canonical_bytes`` of a flat object of strings (no lone surrogates), safe integers and
    nulls, with ASCII keys in sorted order, without checking any of that (the caller knows)."""
    return _kept(orjson.dumps(obj))


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
