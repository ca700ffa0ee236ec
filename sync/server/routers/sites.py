"""Per-site resources: the pull feed (devices); audit export, verification, queries (monitors)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from sync.server.deps import ActiveDevice, AdminDep, DbDep
from sync.server.errors import ApiError
from sync.server.feed import MAX_PULL, export_entries, pull, verify_ledger
from sync.server.queries import (
    QueryRequest,
    close_query,
    list_queries,
    open_query,
    reopen_query,
)
from sync.server.registry import site_exists, utc_now
from sync.server.sdv import sdv_state
from sync.server.set_aside import list_set_aside
from sync.server.signers import bind_monitor, decode_key, decode_signature, list_signers

router = APIRouter(tags=["sites"])


@router.get("/v1/sites/{site}/feed")
def site_feed(
    site: str,
    device: ActiveDevice,
    db: DbDep,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL)] = MAX_PULL,
) -> dict[str, Any]:
    if device.site != site:
        raise ApiError(403, "forbidden", f"device {device.device} belongs to another site")
    return pull(db, device, after=after, limit=limit)


class MonitorBinding(BaseModel):
    """A monitor binding their key with their one-time monitor token (from the site's app)."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
    user: str = Field(min_length=1, max_length=200)
    public_key: str = Field(min_length=1, max_length=100)
    #: The key's own signature over the binding (``sync.authorship.monitor_binding_message``).
    proof: str = Field(min_length=1, max_length=100)


@router.post("/v1/sites/{site}/monitor-keys", status_code=201)
def site_bind_monitor(
    site: str, binding: MonitorBinding, device: ActiveDevice, db: DbDep
) -> dict[str, Any]:
    """Bind a monitor's key on this device: from now on it may act as a monitor here."""
    if device.site != site:
        raise ApiError(403, "forbidden", f"device {device.device} belongs to another site")
    key = bind_monitor(
        db,
        site=site,
        device=device.device,
        token=binding.token,
        user=binding.user,
        public_key=decode_key(binding.public_key, "public_key"),
        proof=decode_signature(binding.proof, "proof"),
        now=utc_now(),
    )
    return {"user": key.user, "key_id": key.key_id, "device": key.device, "bound": True}


@router.get("/v1/sites/{site}/signers", dependencies=[AdminDep])
def site_signers(site: str, db: DbDep) -> dict[str, Any]:
    """The users' keys the server knows for the site (whose, which role, active or not)."""
    _known_site(db, site)
    return {"signers": list_signers(db, site)}


@router.get("/v1/sites/{site}/audit", dependencies=[AdminDep])
def site_audit(site: str, db: DbDep) -> StreamingResponse:
    def lines() -> Iterator[bytes]:
        for entry in export_entries(db, site):
            yield json.dumps(entry, ensure_ascii=False).encode() + b"\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.get("/v1/sites/{site}/verify", dependencies=[AdminDep])
def site_verify(site: str, db: DbDep) -> dict[str, Any]:
    check = verify_ledger(db, site=site)
    return {
        "site": site,
        "ok": check.problem is None,
        "problem": check.problem,
        "devices": [d.as_dict() for d in check.devices],
    }


@router.get("/v1/sites/{site}/set-aside", dependencies=[AdminDep])
def site_set_aside(site: str, db: DbDep) -> dict[str, Any]:
    """The records of the site's feed that its devices reported they could not apply."""
    return {"records": list_set_aside(db, site)}


@router.post("/v1/sites/{site}/queries", dependencies=[AdminDep], status_code=201)
def site_open_query(site: str, request: QueryRequest, db: DbDep) -> dict[str, Any]:
    _known_site(db, site)
    return open_query(
        db, site, request.target(), text=request.text, opened_by=request.opened_by
    ).to_record()


def _known_site(db: DbDep, site: str) -> None:
    if not site_exists(db, site):
        raise ApiError(404, "site_not_found", f"the server knows no site {site[:40]}")


@router.get("/v1/sites/{site}/queries", dependencies=[AdminDep])
def site_queries(
    site: str,
    db: DbDep,
    status: Annotated[str | None, Query(pattern="^(open|answered|closed)$")] = None,
) -> dict[str, Any]:
    _known_site(db, site)
    return {"queries": [q.to_record() for q in list_queries(db, site, status=status)]}


class QueryStatusRequest(BaseModel):
    """A monitor closing or reopening a query: what they say, and who they are."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)
    by: str = Field(min_length=1, max_length=200)


QueryId = Annotated[int, Path(ge=1, le=2**62)]


@router.post("/v1/sites/{site}/queries/{query_id}/close", dependencies=[AdminDep])
def site_close_query(
    site: str, query_id: QueryId, request: QueryStatusRequest, db: DbDep
) -> dict[str, Any]:
    return close_query(db, site, query_id, text=request.text, by=request.by).to_record()


@router.post("/v1/sites/{site}/queries/{query_id}/reopen", dependencies=[AdminDep])
def site_reopen_query(
    site: str, query_id: QueryId, request: QueryStatusRequest, db: DbDep
) -> dict[str, Any]:
    return reopen_query(db, site, query_id, text=request.text, by=request.by).to_record()


@router.get("/v1/sites/{site}/sdv", dependencies=[AdminDep])
def site_sdv(
    site: str,
    db: DbDep,
    subject: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> dict[str, Any]:
    """The site's source data verification: each verified value and whether it changed."""
    _known_site(db, site)
    return {"site": site, "values": sdv_state(db, site, subject=subject)}
