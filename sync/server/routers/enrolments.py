"""``POST /v1/enrolments``: a device registers its public key with a one-time site token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sync.server.deps import DbDep
from sync.server.registry import enrol
from sync.server.signers import EnrolmentBinding, decode_key, decode_signature

router = APIRouter(tags=["enrolment"])


class EnrolmentAdmin(BaseModel):
    """The site admin who enrols the computer: their key, and its signature over the enrolment
    (``sync.authorship.enrolment_message``)."""

    model_config = ConfigDict(extra="forbid")

    user: str = Field(min_length=1, max_length=200)
    public_key: str = Field(min_length=1, max_length=100)
    signature: str = Field(min_length=1, max_length=100)


class EnrolmentRoot(BaseModel):
    """The key that created the site on this computer (its audit trail's first signer)."""

    model_config = ConfigDict(extra="forbid")

    user: str = Field(min_length=1, max_length=200)
    public_key: str = Field(min_length=1, max_length=100)


class EnrolmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
    device: str = Field(min_length=1, max_length=100)
    public_key: str = Field(min_length=1, max_length=100)
    study: str = Field(min_length=1, max_length=200)
    label: str = Field(default="", max_length=200)
    admin: EnrolmentAdmin
    #: None for a site created before user signatures (its trail starts unsigned).
    root: EnrolmentRoot | None = None
    #: How many of the computer's entries were written before user signatures.
    unsigned_through: int = Field(default=0, ge=0, le=2**53 - 1)

    def binding(self) -> EnrolmentBinding:
        root = self.root
        return EnrolmentBinding(
            admin_user=self.admin.user,
            admin_key=decode_key(self.admin.public_key, "admin.public_key"),
            admin_signature=decode_signature(self.admin.signature, "admin.signature"),
            root_user=root.user if root else None,
            root_key=decode_key(root.public_key, "root.public_key") if root else None,
            unsigned_through=self.unsigned_through,
        )


@router.post("/v1/enrolments", status_code=201)
def enrol_device(request: EnrolmentRequest, db: DbDep) -> dict[str, Any]:
    device = enrol(
        db,
        token=request.token,
        device=request.device,
        public_key=request.public_key,
        label=request.label,
        study=request.study,
        binding=request.binding(),
    )
    return {
        "device": device.device,
        "site": device.site,
        "study": device.study,
        "key_id": device.key_id,
        "enrolled_at": device.enrolled_at,
    }
