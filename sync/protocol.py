"""The sync protocol's version, and which app versions a server still serves.

Every request carries ``X-CRF-Protocol: 2``; the app also names its own version in
``X-CRF-App-Version``. A request without the protocol header (an app of protocol 1 sends none)
or of another protocol, or from an app older than the server's minimum, is answered 426
``update_required`` on every path but the health probe and the API description, so an older
app learns to update and never sends or reads anything in a format it would misunderstand. The
health probe, and a device's state (the first request of a round), name the protocol and the
minimum and recommended app versions, so that an app stops before sending anything. Pure: no
network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PROTOCOL_VERSION = 2
PROTOCOL_HEADER = "X-CRF-Protocol"
APP_VERSION_HEADER = "X-CRF-App-Version"
#: Paths any app may reach whatever its protocol: to learn the server's version.
OPEN_PATHS = frozenset({"/v1/health", "/v1/openapi.json"})
UPDATE_REQUIRED = "update_required"
#: What the health probe and a device's state (``GET /v1/devices/{device}``, a round's first
#: request) say of versions; ``health_verdict`` reads them.
VERSION_FIELDS = ("protocol", "min_app_version", "recommended_app_version")

_VERSION = re.compile(r"^\d{1,6}(\.\d{1,6}){0,3}$")


def parse_version(text: str) -> tuple[int, ...]:
    """``"1.4.2"`` → ``(1, 4, 2)``; trailing zeros do not count (``1.4`` = ``1.4.0``).

    Raises:
        ValueError: not one to four dot-separated numbers.
    """
    if not _VERSION.match(text):
        raise ValueError(f"not a version: {text!r} (expected numbers like 1.4.2)")
    parts = [int(p) for p in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def is_older(app: str, than: str | None) -> bool:
    """Whether version ``app`` is below ``than`` (never, when ``than`` is None)."""
    return than is not None and parse_version(app) < parse_version(than)


def update_message(server: int = PROTOCOL_VERSION) -> str:
    """What an app of another protocol, or one below the minimum, is told."""
    return (
        f"This computer's desktop-crf is too old for the sync server (protocol {server}): "
        "update the app. Nothing was lost: every change stays on this computer and is sent "
        "once the app is updated."
    )


def health_verdict(health: Mapping[str, Any], app_version: str | None) -> str:
    """What the health probe's answer means for this app.

    Returns:
        ``"server_outdated"`` (the server speaks an older protocol), ``"update_required"``
        (another protocol, or this app below ``min_app_version``), ``"update_recommended"``
        (below ``recommended_app_version``) or ``"current"``.
    """
    protocol = health.get("protocol")
    if isinstance(protocol, int) and protocol < PROTOCOL_VERSION:
        return "server_outdated"
    if protocol != PROTOCOL_VERSION:
        return "update_required"
    if app_version is None:
        return "current"
    if is_older(app_version, _version_or_none(health.get("min_app_version"))):
        return "update_required"
    if is_older(app_version, _version_or_none(health.get("recommended_app_version"))):
        return "update_recommended"
    return "current"


def _version_or_none(value: Any) -> str | None:
    if isinstance(value, str) and _VERSION.match(value):
        return value
    return None
