"""``GET /v1/health``: the probe a device runs before a sync round."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sync.server.deps import DbDep
from sync.server.registry import iso, utc_now

PROTOCOL_VERSION = 1
router = APIRouter(tags=["health"])


@router.get("/v1/health")
def health(db: DbDep) -> dict[str, Any]:
    return {
        "status": "ok",
        "protocol": PROTOCOL_VERSION,
        "server_time": iso(utc_now()),
        "database": db.dialect,
    }
