"""What the subject list shows of sync: per subject, open queries and unsynced changes.

A read-only view over what the sync storage keeps (``audit`` above the acknowledged sequence,
the ``queries`` table), computed for all subjects in two SQL queries so that the list of 1,000
subjects stays quick; writing is in ``services.sync`` and ``services.queries``.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.store import queries as local_queries
from desktop_crf.store import sync_state as state


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
    unsynced = {} if session.site.demo else state.pending_by_subject(db, session.site.device)
    queries = local_queries.open_queries_by_subject(db)
    return {
        subject: SubjectSyncCounts(queries.get(subject, 0), unsynced.get(subject, 0))
        for subject in set(unsynced) | set(queries)
    }
