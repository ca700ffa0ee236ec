"""What each role may do. Enforced by the services on every call."""

from __future__ import annotations

from enum import StrEnum

from desktop_crf.errors import PermissionDenied


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


#: What every member of the site staff may do. A patient session is not a staff account:
#: it runs under the name of the staff member who opened it, so it may neither sign that
#: person out nor change their password.
_STAFF = {Permission.OWN_ACCOUNT}
_STAFF_VIEW = _STAFF | {Permission.VIEW_DATA, Permission.VIEW_AUDIT, Permission.SYNC}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "admin": frozenset(
        _STAFF
        | {
            Permission.MANAGE_USERS,
            Permission.VIEW_AUDIT,
            Permission.SYNC,
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
    "monitor": frozenset(_STAFF_VIEW | {Permission.RAISE_QUERY, Permission.EXPORT}),
    "patient": frozenset({Permission.PATIENT_QUESTIONNAIRE}),
}


def allowed(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(role: str, permission: Permission) -> None:
    if not allowed(role, permission):
        raise PermissionDenied(role, permission.value)


def require_any(role: str, *permissions: Permission) -> None:
    """Refuse a role that holds none of ``permissions``."""
    if not any(allowed(role, p) for p in permissions):
        raise PermissionDenied(role, " or ".join(p.value for p in permissions))
