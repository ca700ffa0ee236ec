"""``GET /v1/devices/{device}`` (state) and ``…/receipts`` (receipts the device may have lost)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from sync.changeset import MAX_ENTRIES
from sync.server.deps import ActiveDevice, DbDep, SettingsDep, SignedDevice
from sync.server.errors import ApiError
from sync.server.ledger import receipts_after
from sync.server.registry import Device, iso, utc_now
from sync.server.set_aside import SetAsideReport, record_set_aside

router = APIRouter(tags=["devices"])


def _same(device: Device, device_id: str) -> None:
    if device.device != device_id:
        raise ApiError(403, "forbidden", "a device may only read its own state")


@router.get("/v1/devices/{device_id}")
async def device_state(
    device_id: str, device: SignedDevice, settings: SettingsDep
) -> dict[str, Any]:
    """The device's state, and what the health probe says of versions: a sync round starts
    with this one request (the app checks the versions before it sends anything)."""
    _same(device, device_id)  # no I/O: answered on the event loop, the device is read already
    return {
        "device": device.device,
        "site": device.site,
        "study": device.study,
        "status": device.status,
        "last_seq": device.last_seq,
        "last_hash": device.last_hash,
        "server_time": iso(utc_now()),
        "max_entries": MAX_ENTRIES,  # what one change set may hold
        **settings.versions(),
    }


@router.get("/v1/devices/{device_id}/receipts")
def device_receipts(
    device_id: str,
    device: ActiveDevice,
    db: DbDep,
    after_seq: Annotated[int, Query(ge=0, le=2**53)] = 0,
) -> dict[str, Any]:
    _same(device, device_id)
    return {"receipts": receipts_after(db, device.device, after_seq)}


@router.post("/v1/devices/{device_id}/set-aside")
def device_set_aside(
    device_id: str, report: SetAsideReport, device: ActiveDevice, db: DbDep
) -> dict[str, Any]:
    """The pulled records this device could not apply and set aside (where and why)."""
    _same(device, device_id)
    return {"stored": record_set_aside(db, device, report.records)}
