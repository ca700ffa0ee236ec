"""Where the AE log lives and how its repeats are read: shared by the AE log services and the
lab → AE suggestions (no use case of its own).

The AE log is the running log form ``F.AE`` of a subject under the log event; each adverse
event is one repeat of its item group ``IG.AE``.
"""

from __future__ import annotations

from desktop_crf.model import FormKey
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.visits import LOG_EVENT
from desktop_crf.store import repository as repo

AE_FORM, AE_GROUP = "F.AE", "IG.AE"


def ae_key(subject_id: str) -> FormKey:
    """The subject's AE log form."""
    return FormKey(subject_id, LOG_EVENT, AE_FORM)


def ae_repeats(session: Session, subject_id: str) -> dict[int, dict[str, str | None]]:
    """Each adverse event of the subject's log (repeat → item OID → value), in repeat order."""
    session.require(Permission.VIEW_DATA)
    saved = repo.form_values(session.db, ae_key(subject_id))
    by_repeat: dict[int, dict[str, str | None]] = {}
    for (group, rep, item), stored in sorted(saved.items()):
        if group == AE_GROUP:
            by_repeat.setdefault(rep, {})[item] = stored.value
    return by_repeat
