"""The server's projection of source data verification: per item, the revision a monitor
verified (``sdv.verify`` entries, accepted from monitors only by ``sync.rules``), so the
sponsor sees each site's SDV state, and what changed since verified against ``items``.

Of two verifications of one item the higher revision wins (the later entry on a tie), the same
rule as on the devices (``desktop_crf.store.sdv``), whatever order the sets arrive in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sync.entries import PATH_FIELDS
from sync.server.db import Database, Tx
from sync.server.projection import item_path

ACTION = "sdv.verify"


def project_sdv(tx: Tx, site: str, entries: Sequence[Mapping[str, Any]]) -> None:
    """Record the values that the ``sdv.verify`` entries among ``entries`` verified."""
    rows = []
    for entry in entries:
        if entry.get("action") != ACTION or entry.get("role") != "monitor":
            continue
        place = {name: entry.get(name) for name in PATH_FIELDS}
        for group, repeat, item, rev in json.loads(str(entry["detail"]))["items"]:
            place.update(item_group=group, group_repeat=repeat, item=item)
            at, by, device, seq = entry["ts"], entry["user"], entry["device"], entry["seq"]
            rows.append((site, item_path(place), place["subject"], rev, at, by, device, seq))
    tx.many(
        "INSERT INTO sdv (site, path, subject, rev, verified_at, verified_by, device, seq) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site, path) DO UPDATE SET "
        "rev = excluded.rev, verified_at = excluded.verified_at, "
        "verified_by = excluded.verified_by, device = excluded.device, seq = excluded.seq "
        "WHERE excluded.rev > sdv.rev OR (excluded.rev = sdv.rev AND "
        "excluded.verified_at >= sdv.verified_at)",
        rows,
    )


def sdv_state(db: Database, site: str, *, subject: str | None = None) -> list[dict[str, Any]]:
    """Every verified value of ``site`` (or one subject's): its place, the revision verified,
    by whom and when, its current revision and whether it changed since verified."""
    sql = (
        "SELECT s.path, s.rev, s.verified_at, s.verified_by, i.rev FROM sdv s "
        "LEFT JOIN items i ON i.site = s.site AND i.path = s.path WHERE s.site = ?"
    )
    params: tuple[Any, ...] = (site,)
    if subject is not None:
        sql, params = sql + " AND s.subject = ?", (site, subject)
    with db.transaction() as tx:
        rows = tx.all(sql + " ORDER BY s.path", params)
    out = []
    for path, rev, at, by, current in rows:
        record: dict[str, Any] = dict(zip(PATH_FIELDS, json.loads(path), strict=True))
        current = int(current) if current is not None else int(rev)
        record.update(
            verified_rev=int(rev),
            verified_at=at,
            verified_by=by,
            rev=current,
            changed=current > int(rev),
        )
        out.append(record)
    return out
