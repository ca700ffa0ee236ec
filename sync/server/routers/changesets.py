"""``PUT /v1/changesets/{id}``: upload one signed change set (idempotent by id)."""

from __future__ import annotations

import logging
import time
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sync.server.deps import DbDep, SettingsDep
from sync.server.errors import ApiError
from sync.server.ledger import accept_upload

router = APIRouter(tags=["changesets"])
log = logging.getLogger("sync.server")


@router.put("/v1/changesets/{changeset_id}")
async def upload_changeset(
    changeset_id: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
    request: Request,
    db: DbDep,
    settings: SettingsDep,
) -> JSONResponse:
    state = request.app.state
    # Counted on the event loop's one thread, so no lock is needed.
    if state.uploads_in_flight >= settings.max_concurrent_uploads:
        raise ApiError(429, "busy", "the server is busy; send again shortly", retry_after=1)
    state.uploads_in_flight += 1
    try:
        body = await request.body()
        started = time.perf_counter()
        receipt, created = await run_in_threadpool(accept_upload, db, changeset_id, body)
        log.info(
            "change set %s of %s: entries %s-%s %s in %.0f ms",
            changeset_id[:12],
            receipt.get("device"),
            receipt.get("seq_from"),
            receipt.get("seq_to"),
            "stored" if created else "already stored",
            (time.perf_counter() - started) * 1000,
        )
    finally:
        state.uploads_in_flight -= 1
    return JSONResponse(
        {"receipt": receipt, "created": created}, status_code=201 if created else 200
    )
