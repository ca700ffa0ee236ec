"""A real encrypted site enrolled with a real server, as a data manager would set it up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from desktop_crf.model import FormKey
from desktop_crf.services import sync as sync_service
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import sync_state
from desktop_crf.store.database import transaction
from sync.server.registry import issue_token, utc_now
from sync.server.signers import issue_monitor_token
from tests.helpers.sites import login, make_site
from tests.sync.sync_support import FAST

__all__ = [
    "FAST",
    "bind_monitor_key",
    "enrolled_devices",
    "enrolled_session",
    "enrolled_site",
    "nurse_with_a_change",
    "repoint",
]


def enrolled_session(root: Path, server_url: str, server_db: Any, site: str = "NB02") -> Session:
    """Create a site in ``root``, enrol it with a one-time token as the site admin (who binds
    their key); return the nurse's session."""
    make_site(root, site_code=site)
    admin = login(root, "admin")
    try:
        token = issue_token(server_db, site, ttl=timedelta(hours=1))
        sync_service.enroll_device(admin, server_url=server_url, token=token, retry=FAST)
    finally:
        admin.close()
    return login(root, "nurse")


def nurse_with_a_change(root: Path, server_url: str, server_db: Any) -> Session:
    """``enrolled_session``'s nurse, who has screened a subject and saved one lab value: a
    change waiting to be sent."""
    nurse = enrolled_session(root, server_url, server_db)
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    assert subject is not None
    save_form(
        nurse,
        FormKey(subject, "SE.W0", "F.LAB_LIVER"),
        [ItemInput("IG.LIVER", "I.ALT", "41", "U/L")],
    )
    return nurse


def repoint(session: Session, server_url: str) -> None:
    """Send the site's next rounds to ``server_url`` (as the data manager's new address)."""
    with transaction(session.db, session.paths.database):
        sync_state.set_server_url(session.db, server_url)


def enrolled_site(root: Path, server_url: str, server_db: Any, site: str = "NB02") -> Path:
    """The same, with the session closed: for tests that unlock the site themselves."""
    enrolled_session(root, server_url, server_db, site).close()
    return root


@contextmanager
def enrolled_devices(
    base: Path, server_url: str, server_db: Any, names: tuple[str, ...] = ("pc", "tablet")
) -> Iterator[list[Session]]:
    """Several computers of one site (a nurse PC and a patient tablet), each enrolled."""
    sessions = [enrolled_session(base / name, server_url, server_db) for name in names]
    try:
        yield sessions
    finally:
        for session in sessions:
            session.close()


def bind_monitor_key(monitor: Session, server_db: Any, site: str = "NB02") -> None:
    """A monitor's first visit at a computer of the site: the data manager's one-time monitor
    token binds her key there, so that the server takes her entries as a monitor's."""
    token = issue_monitor_token(
        server_db, site, monitor.user, ttl=timedelta(hours=1), now=utc_now()
    )
    sync_service.bind_monitor(monitor, token=token, retry=FAST)
