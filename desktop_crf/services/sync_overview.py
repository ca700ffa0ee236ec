"""What the subject list shows of sync: per subject, open queries and unsynced changes.

A read-only view over what the sync driver keeps (``audit`` above the acknowledged sequence,
``sync_state`` query records), computed for all subjects in two queries so that the list of
1,000 subjects stays quick; writing is in ``services.sync`` and ``services.queries``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.sync_store import ACKED_SEQ, QUERY_PREFIX, prefixed_records
from desktop_crf.store import repository as repo


@dataclass(frozen=True)
class SubjectSyncCounts:
    open_queries: int = 0
    unsynced: int = 0


def subject_sync_counts(session: Session) -> dict[str, SubjectSyncCounts]:
    """Per subject: open queries (a monitor's or a conflict's) and changes not yet uploaded.

    A demo site never syncs, so its changes are not counted as waiting.
    """
    session.require(Permission.VIEW_DATA)
    db = session.db
    unsynced: Counter[str] = Counter()
    if not session.site.demo:
        acked = int(repo.get_sync_state(db, ACKED_SEQ, "0"))
        rows = db.execute(
            "SELECT subject, count(*) FROM audit WHERE device = ? AND seq > ? "
            "AND subject IS NOT NULL GROUP BY subject",
            [session.site.device, acked],
        ).fetchall()
        unsynced.update({str(subject): int(n) for subject, n in rows})
    queries: Counter[str] = Counter()
    for query in prefixed_records(db, QUERY_PREFIX):
        if query.get("status") == "open" and query.get("subject"):
            queries[str(query["subject"])] += 1
    return {
        subject: SubjectSyncCounts(queries[subject], unsynced[subject])
        for subject in set(unsynced) | set(queries)
    }
