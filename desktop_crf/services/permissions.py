"""What each role may do. Enforced by the services on every call.

The table is ``sync.rules``: the server checks every synced entry against the same one, so a
rule the app holds here is held at the sync boundary too.
"""

from __future__ import annotations

from desktop_crf.errors import PermissionDenied
from sync.rules import ROLE_PERMISSIONS, Permission

__all__ = ["ROLE_PERMISSIONS", "Permission", "allowed", "require"]


def allowed(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(role: str, permission: Permission) -> None:
    if not allowed(role, permission):
        raise PermissionDenied(role, permission.value)


def require_any(role: str, *permissions: Permission) -> None:
    """Refuse a role that holds none of ``permissions``."""
    if not any(allowed(role, p) for p in permissions):
        raise PermissionDenied(role, " or ".join(p.value for p in permissions))
