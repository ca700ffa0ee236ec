"""Every service of sync and queries checks the permission table first: each is called as every
role (the patient and the admin included) and is refused exactly where the table says so."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop_crf.errors import KnownError, PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services import queries, site, sync, sync_overview
from desktop_crf.services.permissions import ROLE_PERMISSIONS, Permission, allowed
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.services.sync_store import SiteSyncStore
from tests.helpers.sites import login

REFUSING_SERVER = httpx.MockTransport(
    lambda _request: httpx.Response(
        403, json={"error": {"code": "token_invalid", "message": "no such token"}}
    )
)


def _calls(subject: str) -> list[tuple[str, Permission, Callable[[Session], Any]]]:
    key = FormKey(subject, "SE.W0", "F.LAB_VIRO")
    target = queries.QueryTarget(subject)
    return [
        ("server_queries", Permission.VIEW_DATA, queries.server_queries),
        ("answer_query", Permission.ANSWER_QUERY, lambda s: queries.answer_query(s, 7, "ok")),
        ("raise_query", Permission.RAISE_QUERY, lambda s: queries.raise_query(s, target, "?")),
        ("close_query", Permission.RAISE_QUERY, lambda s: queries.close_query(s, 7, "ok")),
        ("reopen_query", Permission.RAISE_QUERY, lambda s: queries.reopen_query(s, 7, "ok")),
        (
            "resolve_conflict",
            Permission.ENTER_DATA,
            lambda s: queries.resolve_conflict(
                s, key, item_group="IG.V", item="I.ALT", value="1", reason="r"
            ),
        ),
        (
            "enroll_device",
            Permission.MANAGE_USERS,  # enrolment binds the site admin's key
            lambda s: sync.enroll_device(
                s,
                server_url="http://server",
                token="t",
                http=httpx.Client(base_url="http://server", transport=REFUSING_SERVER),
                retry=sync.RetryPolicy(attempts=1),
            ),
        ),
        ("plan_round", Permission.SYNC, sync.plan_round),
        ("sync_now", Permission.SYNC, sync.sync_now),
        ("record_round", Permission.SYNC, lambda s: sync.record_round(s, None)),
        ("sync_status", Permission.SYNC, sync.sync_status),
        ("quarantined_sets", Permission.SYNC, sync.quarantined_sets),
        ("SiteSyncStore", Permission.SYNC, SiteSyncStore),
        ("subject_sync_counts", Permission.VIEW_DATA, sync_overview.subject_sync_counts),
    ]


@pytest.fixture
def sessions(site_dir: Path, nurse: Session) -> Iterator[tuple[str, dict[str, Session]]]:
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    assert subject is not None
    others = {role: login(site_dir, role) for role in ("admin", "investigator", "monitor")}
    patient = site.open_patient_session(nurse, subject)
    yield subject, {"nurse": nurse, "patient": patient, **others}
    for session in others.values():
        session.close()


def test_every_role_is_refused_exactly_where_the_table_says(sessions) -> None:
    subject, by_role = sessions
    assert set(by_role) == set(ROLE_PERMISSIONS)
    for name, permission, call in _calls(subject):
        for role, session in by_role.items():
            if allowed(role, permission):
                try:
                    call(session)
                except PermissionDenied:
                    pytest.fail(f"{name} refused {role}")
                except KnownError:
                    pass  # allowed, and refused for another reason (no such query, not enrolled)
            else:
                with pytest.raises(PermissionDenied):
                    call(session)


def test_the_status_bar_is_for_those_who_sync(sessions) -> None:
    _, by_role = sessions
    assert sync.sync_status(by_role["admin"]).pending > 0
    with pytest.raises(PermissionDenied):
        sync.sync_status(by_role["patient"])
