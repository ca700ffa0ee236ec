"""``POST /v1/enrolments``: a device registers its public key with a one-time site token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sync.server.deps import DbDep
from sync.server.registry import enrol

router = APIRouter(tags=["enrolment"])


class EnrolmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
    device: str = Field(min_length=1, max_length=100)
    public_key: str = Field(min_length=1, max_length=100)
    study: str = Field(min_length=1, max_length=200)
    label: str = Field(default="", max_length=200)


@router.post("/v1/enrolments", status_code=201)
def enrol_device(request: EnrolmentRequest, db: DbDep) -> dict[str, Any]:
    device = enrol(
        db,
        token=request.token,
        device=request.device,
        public_key=request.public_key,
        label=request.label,
        study=request.study,
    )
    return {
        "device": device.device,
        "site": device.site,
        "study": device.study,
        "key_id": device.key_id,
        "enrolled_at": device.enrolled_at,
    }
