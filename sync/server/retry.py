"""Requests cut by the database going away are replayed, not failed.

When PostgreSQL restarts or fails over, a request whose transaction was cut stored nothing
(its transaction rolled back with the connection). Every endpoint is safe to run again: an
upload is idempotent by its id, an enrolment by its token, device and key, a set-aside report
keeps the first, reads read. So the server replays such a request, with a short back-off,
while the database comes back, as long as no byte of the answer was sent; after
``within_s`` it answers 503 ``database_unavailable`` with ``Retry-After`` and the client
retries later, as for any 5xx.

One case stays ambiguous, as with any database: the connection lost after COMMIT was sent and
before its answer came. Uploads are idempotent, so their replay returns the stored receipt;
a monitor's query opened exactly then may be opened twice.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.db import DatabaseUnavailable
from sync.server.errors import error_response

log = logging.getLogger("sync.server")


class DatabaseRetryMiddleware:
    """Replay a request whose database connection was lost before its answer started."""

    def __init__(self, app: ASGIApp, *, within_s: float = 20.0) -> None:
        self.app = app
        self.within_s = within_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        if body is None:
            return  # the client went away while sending
        loop = asyncio.get_running_loop()
        deadline, delay, attempt = loop.time() + self.within_s, 0.05, 0
        what = f"{scope['method']} {scope['path']}"
        while True:
            attempt += 1
            started = False

            async def tracking_send(message: Message) -> None:
                nonlocal started
                started = started or message["type"] == "http.response.start"
                await send(message)

            try:
                await self.app(scope, _replay(body, receive), tracking_send)
                if attempt > 1:
                    log.info("%s succeeded on attempt %d", what, attempt)
                return
            except DatabaseUnavailable as exc:
                if started:
                    raise
                if loop.time() + delay > deadline:
                    log.warning("%s: database unavailable: %s", what, exc)
                    response = error_response(
                        503,
                        "database_unavailable",
                        "the server's database cannot be reached just now; nothing was stored, "
                        "try again shortly",
                    )
                    response.headers["Retry-After"] = "5"
                    await response(scope, receive, send)
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body once, then the real channel (which reports a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
