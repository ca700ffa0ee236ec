"""Records of a site's feed that a device could not apply and set aside, as the devices report
them: where they are and why, never their values. A device sets such a record aside and goes on
(it never stops receiving); this list is how the data manager learns of it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sync.server.db import Database
from sync.server.registry import Device, iso, utc_now

MAX_REPORT = 100


class SetAsideRecord(BaseModel):
    """One record a device set aside: its feed position, what it was, and the reason."""

    model_config = ConfigDict(extra="forbid", strict=True)

    pos: int | None = Field(default=None, ge=0, le=2**62)
    kind: str = Field(min_length=1, max_length=40)
    device: str | None = Field(default=None, max_length=200)
    seq: int | None = Field(default=None, ge=-(2**62), le=2**62)
    query_id: int | None = Field(default=None, ge=-(2**62), le=2**62)
    stored: bool = False
    reason: str = Field(min_length=1, max_length=500)


class SetAsideReport(BaseModel):
    """What a device reports after a pull: up to ``MAX_REPORT`` records set aside."""

    model_config = ConfigDict(extra="forbid")

    records: list[SetAsideRecord] = Field(max_length=MAX_REPORT)


def record_set_aside(db: Database, reporter: Device, records: list[SetAsideRecord]) -> int:
    """Keep the device's reports (once per device and feed position); return how many."""
    now = iso(utc_now())
    with db.transaction() as tx:
        tx.many(
            "INSERT INTO set_aside (site, reporter, pos, kind, device, seq, query_id, stored, "
            "reason, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (reporter, pos) DO NOTHING",
            [
                (
                    reporter.site,
                    reporter.device,
                    -1 - n if r.pos is None else r.pos,
                    r.kind,
                    r.device,
                    r.seq,
                    r.query_id,
                    int(r.stored),
                    r.reason,
                    now,
                )
                for n, r in enumerate(records)
            ],
        )
    return len(records)


def list_set_aside(db: Database, site: str) -> list[dict[str, Any]]:
    """The site's reports, oldest first."""
    names = ("reporter", "pos", "kind", "device", "seq", "query_id", "stored", "reason")
    with db.transaction() as tx:
        rows = tx.all(
            f"SELECT {', '.join(names)}, reported_at FROM set_aside WHERE site = ? "
            "ORDER BY reported_at, reporter, pos",
            (site,),
        )
    return [
        {**dict(zip(names, row[:-1], strict=True)), "stored": bool(row[6]), "at": row[-1]}
        for row in rows
    ]
