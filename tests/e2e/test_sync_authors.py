"""Every entry is signed by its author, and the server takes a key only from an authority the
site cannot forge (real encrypted sites, a real server on 127.0.0.1)."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from desktop_crf.services import site
from desktop_crf.services import sync as sync_service
from desktop_crf.services.queries import QueryTarget, close_query, raise_query
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store.audit import Actor, AuditWriter
from desktop_crf.store.database import transaction
from sync.authorship import UserSigner
from sync.server.registry import issue_token
from sync.server.signers import issue_monitor_token, revoke_user
from tests.helpers.enrolled import FAST
from tests.helpers.sites import PASSWORDS, login, make_site
from tests.sync.sync_support import ADMIN

pytestmark = pytest.mark.e2e


def _sync(session):
    return sync_service.sync_now(session, retry=FAST)


def _open_query(url: str, subject: str) -> int:
    answer = httpx.post(
        f"{url}/v1/sites/NB02/queries",
        json={"subject": subject, "text": "Please check the consent date.", "opened_by": "li"},
        headers=ADMIN,
    )
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def _query_status(url: str, query_id: int) -> str:
    queries = httpx.get(f"{url}/v1/sites/NB02/queries", headers=ADMIN).json()["queries"]
    return next(q["status"] for q in queries if q["id"] == query_id)


@pytest.mark.parametrize(
    ("user", "signed"),
    [
        ("nurse", True),  # her own name and key, claiming the monitor's role
        ("monitor", True),  # the monitor's name, signed with her own key
        ("monitor", False),  # the monitor's name, no signature at all
    ],
)
def test_a_nurse_cannot_close_a_query_by_claiming_the_monitor_role(
    devices, server, user, signed
) -> None:
    """The known hole: a nurse holds the data key and the device key, and wrote a
    ``query.close`` claiming the monitor role straight into the store; it was accepted."""
    live, _ = server
    pc, _tablet = devices
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    _sync(pc)
    query_id = _open_query(live.url, subject)
    _sync(pc)
    with transaction(pc.db):
        actor = Actor(user=user, role="monitor", device=pc.site.device)
        writer = AuditWriter(pc.db, actor, signer=pc.signer if signed else None)
        writer.append(
            "query.close", subject=subject, new="closed", detail=json.dumps({"query_id": query_id})
        )
        writer.seal()
    with pytest.raises(sync_service.SyncFailed):
        _sync(pc)
    (kept,) = sync_service.quarantined_sets(pc)
    assert kept["code"] == ("signer_not_entitled" if signed else "unsigned_entry")
    assert _query_status(live.url, query_id) == "open"
    assert not site.verify_audit(pc).ok  # the device's own check names it too


def test_every_entry_synced_is_signed_by_its_author_and_verifies_on_the_other_device(
    devices,
) -> None:
    pc, tablet = devices
    screen_subject(pc, study_version="1.0", screened_on="2026-10-01")
    _sync(pc)
    _sync(tablet)
    report = site.verify_audit(tablet)
    assert report.ok, report
    assert report.unsigned == 0
    assert report.signed == report.count  # the pc's entries too, with their signatures


def test_a_monitor_acts_as_a_monitor_only_once_bound_with_the_central_token(
    devices, server, tmp_path
) -> None:
    live, db = server
    pc, _ = devices
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    _sync(pc)
    monitor = login(tmp_path / "pc", "monitor")
    try:
        raise_query(monitor, QueryTarget(subject), "Consent form version?")
        with pytest.raises(sync_service.SyncFailed, match="not bound"):
            _sync(monitor)  # the site admin created the account: that is not a monitor's grant
        with pytest.raises(sync_service.SyncFailed, match="token"):
            sync_service.bind_monitor(monitor, token="crfm1-made-up", retry=FAST)
        token = issue_monitor_token(db, "NB02", "monitor", ttl=timedelta(hours=1), now=_now())
        sync_service.bind_monitor(monitor, token=token, retry=FAST)
        assert _sync(monitor).uploaded_entries > 0  # the refused set goes through now
        queries = httpx.get(f"{live.url}/v1/sites/NB02/queries", headers=ADMIN).json()["queries"]
        assert [q["text"] for q in queries] == ["Consent form version?"]
        with pytest.raises(sync_service.SyncFailed, match="token"):  # one-time
            sync_service.bind_monitor(monitor, token=token.replace("crfm1-", "crfm1-x"))
        # revoked centrally: what the monitor signs from now on is refused
        assert revoke_user(db, "NB02", "monitor", now=_now()) == 1
        _sync(pc)
        close_query(monitor, queries[0]["id"], "fine")
        with pytest.raises(sync_service.SyncFailed, match="revoked"):
            _sync(monitor)
    finally:
        monitor.close()


def test_a_password_reset_gives_a_new_key_that_the_recovery_key_grants(server, tmp_path) -> None:
    live, db = server
    root = tmp_path / "pc"
    recovery = make_site(root)
    admin = login(root, "admin")
    token = issue_token(db, "NB02", ttl=timedelta(hours=1))
    sync_service.enroll_device(admin, server_url=live.url, token=token, retry=FAST)
    _sync(admin)
    admin.close()
    nurse = login(root, "nurse")
    old_key = nurse.signer.key_id if nurse.signer else ""
    nurse.close()
    site.reset_password(root, recovery, "nurse", "a-new-password")
    nurse = site.unlock(root, "nurse", "a-new-password")
    try:
        assert nurse.signer is not None
        assert nurse.signer.key_id != old_key
        screen_subject(nurse, study_version="1.0", screened_on="2026-10-01")
        assert _sync(nurse).uploaded_entries > 0  # the reset, then the nurse's new entries
        assert site.verify_audit(nurse).ok
    finally:
        nurse.close()
    signers = httpx.get(f"{live.url}/v1/sites/NB02/signers", headers=ADMIN).json()["signers"]
    mine = {s["key_id"]: s["status"] for s in signers if s["user"] == "nurse"}
    assert mine[old_key] == "revoked"
    assert sorted(mine.values()) == ["active", "revoked"]


def _now():
    from sync.server.registry import utc_now

    return utc_now()


def test_entries_signed_with_a_key_no_one_granted_are_refused(devices) -> None:
    pc, _ = devices
    _sync(pc)
    stranger = UserSigner.generate("nurse")  # a key made at the site, behind the app
    with transaction(pc.db):
        writer = AuditWriter(pc.db, pc.actor, signer=stranger)
        writer.append("session.lock")
        writer.seal()
    with pytest.raises(sync_service.SyncFailed, match="unknown_signer"):
        _sync(pc)
    assert PASSWORDS  # the sites' users are the usual ones
