"""Shared dependencies of the routers: the database, the settings, who is asking."""

from __future__ import annotations

import hmac
import time
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from sync.changeset import load_public_key
from sync.requestauth import (
    DEVICE_HEADER,
    SIGNATURE_HEADER,
    TIME_HEADER,
    RequestAuthError,
    verify_request,
)
from sync.server.db import Database, WouldWait
from sync.server.errors import ApiError
from sync.server.registry import Device, get_device, read_device
from sync.server.settings import ServerSettings

# The dependencies that do no I/O are ``async``: FastAPI runs a plain ``def`` dependency on its
# thread pool, and handing each of them to a thread and back cost more than the whole answer of
# a no-op round's requests.


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]


async def signed_device(request: Request, db: DbDep, settings: SettingsDep) -> Device:
    """Return the device that signed this request (its method, path, time and body), even if
    it was revoked since."""
    device_id = request.headers.get(DEVICE_HEADER)
    timestamp = request.headers.get(TIME_HEADER)
    signature = request.headers.get(SIGNATURE_HEADER)
    if not (device_id and timestamp and signature):
        raise ApiError(401, "unauthorized", "this request must be signed by an enrolled device")
    try:  # one indexed lookup: on the event loop when the database is free (SQLite)
        device = db.read_at_once(lambda tx: read_device(tx, device_id))
    except WouldWait:
        device = await run_in_threadpool(get_device, db, device_id)
    if device is None:
        raise ApiError(403, "unknown_device", f"device {device_id} is not enrolled")
    target = request.scope.get("raw_path") or request.url.path.encode()
    if request.scope.get("query_string"):
        target += b"?" + request.scope["query_string"]
    try:
        verify_request(
            load_public_key(device.public_key),
            request.method,
            target.decode("latin-1"),
            await request.body(),
            timestamp=timestamp,
            signature=signature,
            now=time.time(),
            skew=settings.clock_skew_seconds,
        )
    except RequestAuthError as exc:
        raise ApiError(401, "bad_request_signature", str(exc)) from exc
    return device


async def active_device(device: Annotated[Device, Depends(signed_device)]) -> Device:
    """Return the signing device, refusing a revoked one."""
    if device.status != "active":
        raise ApiError(403, "device_revoked", f"device {device.device} was revoked")
    return device


async def require_admin(request: Request, settings: SettingsDep) -> None:
    """Refuse unless the request carries the server's admin bearer token."""
    expected = settings.admin_token
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if (
        not expected
        or scheme != "Bearer"
        or not hmac.compare_digest(given.strip().encode(), expected.encode())
    ):
        raise ApiError(401, "unauthorized", "this endpoint needs the server's admin token")


SignedDevice = Annotated[Device, Depends(signed_device)]
ActiveDevice = Annotated[Device, Depends(active_device)]
AdminDep = Depends(require_admin)
