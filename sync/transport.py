"""HTTP for the sync client: retries with back-off and full jitter, and the client's errors.

Network errors, timeouts, 5xx and 429 are retried: the wait before attempt ``n`` is drawn from
``U(0, min(cap, base·2^n))`` ("full jitter", so that many devices coming back online at once do
not retry in step), and is at least what ``Retry-After`` asks. Other 4xx are the server's
answer and go back to the caller.
"""

from __future__ import annotations

import functools
import random
import ssl
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.protocol import APP_VERSION_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION, UPDATE_REQUIRED
from sync.requestauth import sign_request

USER_AGENT = f"desktop-crf-sync/{PROTOCOL_VERSION}"


class SyncError(Exception):
    """Base of the client's errors; the message says what a person can do."""


class ServerUnreachable(SyncError):
    """The server could not be reached or kept failing; nothing was lost, retry later."""


class DeviceRevoked(SyncError):
    """The server refuses this device; its data stays local until a data manager decides."""


class SyncRefused(SyncError):
    """A permanent refusal (4xx) of a request, with the server's code."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(f"the server refused: {message} ({code})")
        self.code = code
        self.reason = message
        self.status = status


class ChangeSetRefused(SyncRefused):
    """An upload refused for good; the set was quarantined."""

    def __init__(self, code: str, message: str, status: int, changeset_id: str) -> None:
        super().__init__(code, message, status)
        self.changeset_id = changeset_id


class UpdateRequired(SyncError):
    """This app may not sync with the server until one of them is updated (another protocol,
    or the app below the server's minimum). Nothing was sent or set aside.

    ``server_outdated``: the server is the older one (its administrator must update it).
    """

    def __init__(self, message: str, *, server_outdated: bool = False) -> None:
        super().__init__(message)
        self.server_outdated = server_outdated


class ChainMismatch(SyncError):
    """The server holds entries of this device that differ from the local ones."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with full jitter: wait U(0, min(cap, base·2^attempt))."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        jitter = self.rng.uniform(0.0, min(self.cap, self.base * 2**attempt))
        if retry_after is not None:
            return max(min(retry_after, self.cap), jitter)
        return jitter


class Signer(Protocol):
    """Who signs a request: a device id and its Ed25519 key."""

    @property
    def device(self) -> str: ...

    @property
    def private_key(self) -> Ed25519PrivateKey: ...


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings of every client (httpx's defaults: certificates checked against its
    CA bundle), made once: loading the CA bundle takes about 50 ms, which was most of a round
    with nothing to send."""
    return httpx.create_ssl_context()


class Transport:
    """HTTP with retries; owns the httpx client unless one was given."""

    def __init__(
        self,
        base_url: str,
        *,
        http: httpx.Client | None,
        retry: RetryPolicy,
        timeout: float = 30,
        app_version: str | None = None,
    ) -> None:
        self.http = http or httpx.Client(
            base_url=base_url,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            verify=tls_context(),
        )
        self.app_version = app_version
        self._owned = http is None
        self.retry = retry
        self.bytes_sent = 0

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned:
            self.http.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        json_body: Any = None,
        identity: Signer | None = None,
        headers: Mapping[str, str] | None = None,
        attempts: int | None = None,
    ) -> httpx.Response:
        """Send with retries of network errors, 5xx and 429; return the final response."""
        problem = "no attempt made"
        for attempt in range(attempts or self.retry.attempts):
            request = self.http.build_request(
                method, path, content=content, json=json_body, headers=headers
            )
            request.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)
            if self.app_version is not None:
                request.headers[APP_VERSION_HEADER] = self.app_version
            if identity is not None:
                target = request.url.raw_path.decode("ascii")
                request.headers.update(
                    sign_request(
                        identity.private_key, identity.device, method, target, request.content
                    )
                )
            retry_after = None
            try:
                response = self.http.send(request)
                response.read()
                self.bytes_sent += len(content or b"")
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if response.status_code < 500 and response.status_code != 429:
                    if json_or_none(response) is not None:
                        return response
                    problem = f"unreadable answer (HTTP {response.status_code})"
                else:
                    problem = f"HTTP {response.status_code}"
                    retry_after = _retry_after(response)
            if attempt + 1 < (attempts or self.retry.attempts):
                self.retry.sleep(self.retry.delay(attempt, retry_after))
        raise ServerUnreachable(
            f"the sync server could not be reached ({problem}). Your data is safe on this "
            "computer; it will be sent when the connection is back."
        )

    @staticmethod
    def expect(response: httpx.Response) -> dict[str, Any]:
        """Return the JSON of a 2xx answer; raise the server's refusal otherwise."""
        body = json_or_none(response)
        if response.is_success and isinstance(body, dict):
            return body
        code, message = error_of(body, response.status_code)
        if code == UPDATE_REQUIRED:
            raise UpdateRequired(message)
        if code == "device_revoked":
            raise DeviceRevoked(
                "The server no longer accepts this computer (device revoked). Nothing was lost: "
                "every change stays on this computer. Stop entering data here and call your "
                "data manager."
            )
        raise SyncRefused(code, message, response.status_code)


def gzip_bytes(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def error_of(body: Any, status: int) -> tuple[str, str]:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return str(error.get("code", "http_error")), str(error.get("message", ""))
    return "http_error", f"HTTP {status}"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
