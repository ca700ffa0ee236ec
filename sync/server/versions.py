"""Who may talk to this server: requests of protocol 2 from apps at least the minimum version.

Runs before any route, so that an older app is told to update before it sends or reads
anything (``sync.protocol``). The health probe and the API description stay open to all.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from sync.protocol import (
    APP_VERSION_HEADER,
    OPEN_PATHS,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    UPDATE_REQUIRED,
    is_older,
    update_message,
)
from sync.server.errors import error_response

log = logging.getLogger("sync.server")
_PROTOCOL = PROTOCOL_HEADER.lower().encode()
_APP = APP_VERSION_HEADER.lower().encode()


class ProtocolMiddleware:
    """Answer 426 ``update_required`` to a request of another protocol, or from an app older
    than ``min_app_version``."""

    def __init__(self, app: ASGIApp, *, min_app_version: str | None = None) -> None:
        self.app = app
        self.min_app_version = min_app_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if self._current(headers):
            await self.app(scope, receive, send)
            return
        log.info("%s %s refused: 426 %s", scope["method"], scope["path"], UPDATE_REQUIRED)
        response = error_response(
            426,
            UPDATE_REQUIRED,
            update_message(),
            protocol=PROTOCOL_VERSION,
            min_app_version=self.min_app_version,
        )
        response.headers["Upgrade"] = f"desktop-crf-sync/{PROTOCOL_VERSION}"
        await response(scope, receive, send)

    def _current(self, headers: dict[bytes, bytes]) -> bool:
        if headers.get(_PROTOCOL, b"").strip() != str(PROTOCOL_VERSION).encode():
            return False
        app = headers.get(_APP, b"").strip().decode("latin-1")
        if not app:
            return True  # a tool, not the app: the minimum concerns the app
        try:
            return not is_older(app, self.min_app_version)
        except ValueError:
            return False
