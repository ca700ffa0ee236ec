"""Who may do what: one role × action table for the app's permissions and the server's rules.

The app's services check ``ROLE_PERMISSIONS`` on every call (``desktop_crf.services.permissions``
re-exports it); the server checks every uploaded entry against the same table through
``ACTION_PERMISSIONS`` (``entry_refusal``), so a user who writes entries behind the app's back
(anyone who can unlock a site holds its data key) still cannot get past what their role allows:

- nurse: data entry, enrolment and answers to queries;
- investigator: data entry and signatures;
- monitor: queries (raise, close, reopen), source data verification and monitoring visit
  reports, never item values;
- patient: only their own subject's questionnaire, on the tablet they were handed;
- admin: users, never clinical data.

Pure: no database, no network.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

__all__ = [
    "ACTION_PERMISSIONS",
    "PATIENT_FORM",
    "ROLE_PERMISSIONS",
    "Permission",
    "entry_refusal",
    "patient_user",
]


class Permission(StrEnum):
    VIEW_DATA = "view clinical data"
    ENTER_DATA = "enter or change clinical data"
    ENROLL = "screen or enrol subjects"
    SIGN = "sign forms"
    MANAGE_USERS = "manage users"
    VIEW_AUDIT = "review the audit trail"
    RAISE_QUERY = "raise or close queries"
    ANSWER_QUERY = "answer queries"
    EXPORT = "export data"
    SYNC = "synchronise with the server"
    PATIENT_QUESTIONNAIRE = "fill in the patient questionnaire"
    OPEN_PATIENT_MODE = "hand the tablet to a patient"
    MANAGE_INSTRUMENTS = "install questionnaire wordings"
    OWN_ACCOUNT = "sign out or change a password"
    VIEW_LAB_RANGES = "see the laboratories' reference ranges"
    MANAGE_LAB_RANGES = "record the laboratories' reference ranges"
    VERIFY_SOURCE = "verify data against the source documents"
    MONITORING_VISIT = "run and report monitoring visits"


#: The form a patient session may write; nothing else.
PATIENT_FORM = "F.QLQC30"

#: What every member of the site staff may do. A patient session is not a staff account:
#: it runs under the name of the staff member who opened it, so it may neither sign that
#: person out nor change their password.
_STAFF = {Permission.OWN_ACCOUNT, Permission.VIEW_LAB_RANGES}
_STAFF_VIEW = _STAFF | {Permission.VIEW_DATA, Permission.VIEW_AUDIT, Permission.SYNC}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    # Reference ranges are the laboratories' data, not a subject's: the site admin records
    # them (typically from the data manager's file) without seeing any clinical data.
    "admin": frozenset(
        _STAFF
        | {
            Permission.MANAGE_USERS,
            Permission.VIEW_AUDIT,
            Permission.SYNC,
            Permission.MANAGE_LAB_RANGES,
            Permission.MANAGE_INSTRUMENTS,
        }
    ),
    "nurse": frozenset(
        _STAFF_VIEW
        | {
            Permission.ENTER_DATA,
            Permission.ENROLL,
            Permission.ANSWER_QUERY,
            Permission.OPEN_PATIENT_MODE,
        }
    ),
    "investigator": frozenset(
        _STAFF_VIEW
        | {
            Permission.ENTER_DATA,
            Permission.ENROLL,
            Permission.SIGN,
            Permission.ANSWER_QUERY,
            Permission.OPEN_PATIENT_MODE,
            Permission.EXPORT,
            Permission.MANAGE_INSTRUMENTS,
        }
    ),
    "monitor": frozenset(
        _STAFF_VIEW
        | {
            Permission.RAISE_QUERY,
            Permission.EXPORT,
            Permission.VERIFY_SOURCE,
            Permission.MONITORING_VISIT,
        }
    ),
    "patient": frozenset({Permission.PATIENT_QUESTIONNAIRE}),
}

#: What each action of the audit trail needs; None: any role (signing in and out, locking).
ACTION_PERMISSIONS: Mapping[str, Permission | None] = {
    "item.set": Permission.ENTER_DATA,
    "conflict.resolve": Permission.ENTER_DATA,
    "form.status": Permission.ENTER_DATA,
    "ae.suggestion.decline": Permission.ENTER_DATA,
    "form.sign": Permission.SIGN,
    "subject.create": Permission.ENROLL,
    "subject.update": Permission.ENROLL,
    "query.raise": Permission.RAISE_QUERY,
    "query.close": Permission.RAISE_QUERY,
    "query.reopen": Permission.RAISE_QUERY,
    "query.answer": Permission.ANSWER_QUERY,
    "site.create": Permission.MANAGE_USERS,
    "user.add": Permission.MANAGE_USERS,
    "user.password_reset": Permission.MANAGE_USERS,
    "user.password_changed": Permission.OWN_ACCOUNT,
    "user.key": Permission.OWN_ACCOUNT,
    "user.key_bound": Permission.OWN_ACCOUNT,
    "audit.export": Permission.EXPORT,
    "data.export": Permission.EXPORT,
    "labrange.set": Permission.MANAGE_LAB_RANGES,
    "labrange.remove": Permission.MANAGE_LAB_RANGES,
    "sync.enrol": Permission.SYNC,
    "session.patient_mode": Permission.OPEN_PATIENT_MODE,
    "kiosk.hand_over": Permission.OPEN_PATIENT_MODE,
    "kiosk.resume": Permission.OPEN_PATIENT_MODE,
    "kiosk.end": Permission.OPEN_PATIENT_MODE,
    "kiosk.leave_refused": None,  # written in the patient's session: a refused way out
    "user.pin_set": Permission.OPEN_PATIENT_MODE,
    "wording.import": Permission.MANAGE_INSTRUMENTS,
    "session.login": None,
    "session.unlock": None,
    "session.lock": None,
    "session.logout": None,
    "session.login_failed": None,
    "sdv.verify": Permission.VERIFY_SOURCE,
    "monitoring.visit.start": Permission.MONITORING_VISIT,
    "monitoring.visit.close": Permission.MONITORING_VISIT,
    "monitoring.visit.sign": Permission.MONITORING_VISIT,
}

#: What a patient's questionnaire writes: its values and its status.
_PATIENT_ACTIONS = frozenset({"item.set", "form.status"})


def patient_user(subject: str) -> str:
    """The ``user`` of a patient's entries: the subject they were handed the tablet for."""
    return f"patient:{subject}"


def entry_refusal(entry: Mapping[str, Any]) -> str | None:
    """The rule an entry breaks (for a person to read), or None if its role may do it.

    The entry must fit the entry schema already (``sync.entry_schema``).
    """
    role, action = str(entry.get("role")), str(entry.get("action"))
    if action not in ACTION_PERMISSIONS:
        return f"{action} is not an action of this protocol"
    needed = ACTION_PERMISSIONS[action]
    granted = ROLE_PERMISSIONS.get(role, frozenset())
    if role == "patient":
        return _patient_refusal(entry, action)
    if needed is not None and needed not in granted:
        return f"a {role} may not {needed.value} ({action})"
    return None


def _patient_refusal(entry: Mapping[str, Any], action: str) -> str | None:
    if ACTION_PERMISSIONS[action] is None:
        return None
    if action not in _PATIENT_ACTIONS or entry.get("form") != PATIENT_FORM:
        return f"a patient may only fill in their own questionnaire ({action})"
    subject = entry.get("subject")
    if not isinstance(subject, str) or entry.get("user") != patient_user(subject):
        return "a patient may only fill in the questionnaire of the subject they were handed"
    return None
