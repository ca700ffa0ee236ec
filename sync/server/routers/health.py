"""``GET /v1/health``: the server's protocol and app versions, unauthenticated (a device's
state names them too; a device asks here when that state names none, and monitoring tools
ask here)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from sync.server.deps import DbDep
from sync.server.registry import iso, utc_now

router = APIRouter(tags=["health"])


@router.get("/v1/health")
async def health(db: DbDep, request: Request) -> dict[str, Any]:
    # no I/O: answered on the event loop (a thread would cost more than the answer)
    settings = request.app.state.settings
    return {
        "status": "ok",
        "server_time": iso(utc_now()),
        "database": db.dialect,
        **settings.versions(),
    }
