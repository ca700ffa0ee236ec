"""Request bodies: a size limit and ``Content-Encoding: gzip``/``deflate``, before any route.

Rural links are slow, so clients compress change sets. The limit applies both to the bytes on
the wire and to what they decompress into, so a small "zip bomb" cannot exhaust memory.
"""

from __future__ import annotations

import zlib
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.errors import error_response

_WBITS = {b"gzip": 16 + zlib.MAX_WBITS, b"deflate": zlib.MAX_WBITS, b"x-gzip": 16 + zlib.MAX_WBITS}


class BodyLimitMiddleware:
    """Read the whole body (bounded), decompress it (bounded) and pass it on plain."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        encoding = headers.get(b"content-encoding", b"identity").strip().lower()
        if encoding not in (b"identity", b"", *_WBITS):
            await self._refuse(
                scope,
                receive,
                send,
                415,
                "unsupported_encoding",
                "Content-Encoding must be gzip, deflate or identity",
            )
            return
        declared = headers.get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        body = await self._read(receive)
        if body is None:
            await self._too_large(scope, receive, send)
            return
        if encoding in _WBITS:
            try:
                body = self._decompress(body, _WBITS[encoding])
            except zlib.error:
                await self._refuse(
                    scope,
                    receive,
                    send,
                    400,
                    "bad_encoding",
                    "the compressed body is damaged or incomplete",
                )
                return
            if body is None:
                await self._too_large(scope, receive, send)
                return
        await self.app(_plain_scope(scope, len(body)), _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _decompress(self, data: bytes, wbits: int) -> bytes | None:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(data, self.max_bytes + 1)
        if len(out) > self.max_bytes:
            return None
        if not inflater.eof:
            raise zlib.error("truncated")
        if inflater.unused_data or inflater.unconsumed_tail:
            raise zlib.error("bytes after the compressed stream")
        return out

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._refuse(
            scope,
            receive,
            send,
            413,
            "too_large",
            f"the request body is larger than {self.max_bytes} bytes",
        )

    @staticmethod
    async def _refuse(
        scope: Scope, receive: Receive, send: Send, status: int, code: str, message: str
    ) -> None:
        await error_response(status, code, message)(scope, receive, send)


def _plain_scope(scope: Scope, length: int) -> Scope:
    headers = [
        (k, v) for k, v in scope["headers"] if k not in (b"content-encoding", b"content-length")
    ]
    headers.append((b"content-length", str(length).encode()))
    return {**scope, "headers": headers}


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            message: dict[str, Any] = {"type": "http.request", "body": body, "more_body": False}
            return message
        return await receive()

    return replay
