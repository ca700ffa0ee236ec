"""``PUT /v1/changesets/{id}``: upload one signed change set (idempotent by id)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sync.server.deps import DbDep
from sync.server.ledger import accept_upload

router = APIRouter(tags=["changesets"])


@router.put("/v1/changesets/{changeset_id}")
async def upload_changeset(
    changeset_id: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
    request: Request,
    db: DbDep,
) -> JSONResponse:
    body = await request.body()
    receipt, created = await run_in_threadpool(accept_upload, db, changeset_id, body)
    return JSONResponse(
        {"receipt": receipt, "created": created}, status_code=201 if created else 200
    )
