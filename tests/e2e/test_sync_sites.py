"""Two real encrypted sites (a nurse PC and a patient tablet) syncing through a real server."""

from __future__ import annotations

import io
import json
import sys
from datetime import timedelta

import httpx
import pytest

from desktop_crf.cli import main as crf_main
from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services import sync as sync_service
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from desktop_crf.services.queries import ConflictNeedsValue, answer_query, resolve_conflict
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store import repository as repo
from desktop_crf.store import sync_state
from sync.server.registry import issue_token
from tests.helpers.enrolled import FAST
from tests.helpers.sites import PASSWORDS, make_site
from tests.sync.servers import ROOT, ProcessServer

pytestmark = pytest.mark.e2e
FORM = ("SE.W0", "F.LAB_LIVER")


def _sync(session):
    return sync_service.sync_now(session, retry=FAST)


def test_entries_reach_the_other_device_and_nothing_is_sent_twice(devices, server) -> None:
    pc, tablet = devices
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    key = FormKey(subject, "SE.W0", "F.LAB_VIROLOGY")
    save_form(
        pc,
        key,
        [
            ItemInput("IG.HBSAG", "I.HBSAG", "1500.2", "IU/mL"),
            ItemInput("IG.HBV_DNA", "I.HBV_DNA", "<10", "IU/mL"),
        ],
    )
    first = _sync(pc)
    assert first.uploaded_entries > 3
    assert _sync(pc).uploaded_entries == 0
    assert sync_service.sync_status(pc).pending == 0
    pulled = _sync(tablet)
    assert pulled.pulled_entries == first.uploaded_entries
    assert load_form(tablet, key).value("IG.HBV_DNA", "I.HBV_DNA") == "<10"
    assert repo.get_subject(tablet.db, subject)["status"] == "screening"
    assert load_form(tablet, key).values[("IG.HBSAG", 1, "I.HBSAG")].rev == 1
    assert site.verify_audit(tablet).ok  # the pc's chain verifies on the tablet
    _, db = server
    with db.transaction() as tx:
        count = tx.one("SELECT COUNT(*) FROM feed WHERE kind = 'entry'")[0]
    assert _sync(tablet).uploaded_entries == 0
    assert count == first.uploaded_entries + pulled.uploaded_entries


def test_same_item_on_both_devices_is_a_conflict_on_both_until_resolved(devices) -> None:
    pc, tablet = devices
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    key = FormKey(subject, *FORM)
    save_form(pc, key, [ItemInput("IG.LIVER", "I.ALT", "40", "U/L")])
    _sync(pc)
    _sync(tablet)
    # both edit offline from revision 1: the same item, and different items of one form
    save_form(
        pc,
        key,
        [ItemInput("IG.LIVER", "I.ALT", "41", "U/L"), ItemInput("IG.LIVER", "I.AST", "30", "U/L")],
        reason="transcription",
    )
    save_form(
        tablet,
        key,
        [ItemInput("IG.LIVER", "I.ALT", "44", "U/L"), ItemInput("IG.LIVER", "I.ALB", "38", "g/L")],
        reason="lab report",
    )
    _sync(pc)
    assert _sync(tablet).conflicts == 1
    _sync(pc)
    for session in (pc, tablet):
        values = load_form(session, key).values
        conflict = values[("IG.LIVER", 1, "I.ALT")].conflict
        assert conflict is not None
        assert {v.get("value") for v in json.loads(conflict)["values"]} == {"41", "44"}
        assert values[("IG.LIVER", 1, "I.AST")].value == "30"  # merged, no conflict
        assert values[("IG.LIVER", 1, "I.ALB")].value == "38"
        assert values[("IG.LIVER", 1, "I.AST")].conflict is None
        status = sync_service.sync_status(session)
        assert (status.conflicts, status.open_queries) == (
            1,
            0,
        )  # a conflict is not a monitor query
    query_id = json.loads(conflict)["query_id"]
    with pytest.raises(ConflictNeedsValue):  # a conflict is settled by a value, not by text
        answer_query(tablet, query_id, "44 is right")
    resolve_conflict(
        tablet,
        key,
        item_group="IG.LIVER",
        item="I.ALT",
        value="44",
        unit="U/L",
        reason="checked against the lab report",
    )
    _sync(tablet)
    _sync(pc)
    for session in (pc, tablet):
        stored = load_form(session, key).values[("IG.LIVER", 1, "I.ALT")]
        assert (stored.value, stored.conflict, stored.rev) == ("44", None, 3)
        assert sync_service.sync_status(session).open_queries == 0
    # after resolution both devices agree on the revision: a new edit applies cleanly
    save_form(pc, key, [ItemInput("IG.LIVER", "I.ALT", "45", "U/L")], reason="recheck")
    assert _sync(pc).conflicts == 0


def test_the_demo_site_never_syncs(tmp_path, server) -> None:
    live, db = server
    site.init_site(
        tmp_path / "demo",
        study_id="NCT07553767",
        site_code="NB02",
        admin="admin",
        admin_password="admin-password",
        demo=True,
        kdf=__import__("tests.helpers.sites", fromlist=["CHEAP_KDF"]).CHEAP_KDF,
    )
    session = site.unlock(tmp_path / "demo", "admin", "admin-password")
    try:
        token = issue_token(db, "NB02", ttl=timedelta(hours=1))
        with pytest.raises(sync_service.DemoSiteNeverSyncs):
            sync_service.enroll_device(session, server_url=live.url, token=token)
        with pytest.raises(sync_service.DemoSiteNeverSyncs):
            sync_service.sync_now(session)
    finally:
        session.close()


def _crf(monkeypatch, capsys, *args: str, password: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    code = crf_main([*args, "--password-stdin"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_crf_enroll_and_crf_sync_commands(tmp_path, monkeypatch, capsys) -> None:
    import subprocess

    data = tmp_path / "server"
    token = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "token", "--data", str(data), "--site", "NB02"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    make_site(tmp_path / "pc")
    make_site(tmp_path / "tablet")
    server = ProcessServer(data).start()
    try:
        code, out, err = _crf(
            monkeypatch,
            capsys,
            "enroll",
            str(tmp_path / "pc"),
            "--server",
            server.url,
            "--token",
            token,
            "--user",
            "admin",
            password=PASSWORDS["admin"],
        )
        assert code == 0, err
        assert "Enrolled device NB02-" in out
        code, out, err = _crf(
            monkeypatch,
            capsys,
            "sync",
            str(tmp_path / "pc"),
            "--user",
            "nurse",
            password=PASSWORDS["nurse"],
        )
        assert code == 0, err
        assert out.startswith("uploaded ")
        assert "change sets; pulled 0 entries" in out
        code, out, err = _crf(
            monkeypatch,
            capsys,
            "enroll",
            str(tmp_path / "tablet"),
            "--server",
            server.url,
            "--token",
            token,
            "--user",
            "admin",
            password=PASSWORDS["admin"],
        )
        assert code != 0
        assert "token" in err
    finally:
        server.stop()
    code, out, err = _crf(
        monkeypatch,
        capsys,
        "sync",
        str(tmp_path / "pc"),
        "--user",
        "nurse",
        password=PASSWORDS["nurse"],
    )
    assert code == 3
    assert "could not be reached" in err


def test_a_refused_set_is_quarantined_kept_and_shown(devices) -> None:
    import dataclasses

    pc, _ = devices
    screen_subject(pc, study_version="1.0", screened_on="2026-10-01")
    # sets now name another study than the one the device was enrolled for: refused for good
    pc.site = dataclasses.replace(pc.site, study_id="NCT00000000")
    for _ in range(2):
        with pytest.raises(sync_service.SyncFailed, match="wrong_site"):
            _sync(pc)
    (kept,) = sync_service.quarantined_sets(pc)
    assert kept["code"] == "wrong_site"
    assert kept["seq_from"] == 1
    status = sync_service.sync_status(pc)
    assert status.quarantined == 1
    assert status.pending > 0  # nothing was dropped from the outbox
    assert "wrong_site" in (status.last_error or "")


def test_a_record_that_does_not_verify_is_set_aside_reported_and_the_pull_goes_on(
    devices, server
) -> None:
    pc, tablet = devices
    first = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    _sync(pc)
    _, db = server
    with db.transaction() as tx:  # the server's copy altered behind its guards
        tx.execute("DROP TRIGGER feed_no_update")
        tx.execute(
            "UPDATE feed SET body = replace(body, 'screening', 'enrolled') WHERE kind = 'entry'"
        )
        tx.execute(  # and a record that is no query at all
            "INSERT INTO feed (site, kind, device, seq, body) VALUES ('NB02', 'query', NULL, "
            'NULL, \'{"id": "seven"}\')'
        )
    second = screen_subject(pc, study_version="1.0", screened_on="2026-10-02").subject_id
    _sync(pc)
    result = _sync(tablet)  # never stops: what cannot be applied is set aside
    assert result.set_aside >= 2
    assert [s["subject_id"] for s in repo.list_subjects(tablet.db)] == [second]
    assert first != second
    aside = sync_service.set_aside_records(tablet)
    reasons = {r.reason for r in aside}
    assert any("does not match its hash" in r for r in reasons)
    assert any("not a query record" in r for r in reasons)
    assert all(r.reported_at for r in aside)
    assert sync_service.sync_status(tablet).set_aside == len(aside)
    cursor = sync_state.pull_cursor(tablet.db)
    assert cursor > 0
    assert _sync(tablet).set_aside == 0  # reported once, and the cursor stays past them
    live, _ = server
    reported = httpx.get(
        f"{live.url}/v1/sites/NB02/set-aside",
        headers={"Authorization": "Bearer admin-secret", "X-CRF-Protocol": "2"},
    ).json()["records"]
    from_tablet = [r for r in reported if r["reporter"] == tablet.site.device]
    assert len(from_tablet) == len(aside)
    assert {r["reason"] for r in from_tablet} == reasons


@pytest.mark.parametrize(
    ("role", "action", "fields"),
    [
        ("monitor", "item.set", {"item_group": "IG.LIVER", "item": "I.ALT", "new": "41"}),
        ("nurse", "form.sign", {"detail": None}),
        ("patient", "item.set", {"item_group": "IG.LIVER", "item": "I.ALT", "new": "41"}),
    ],
)
def test_entries_written_behind_the_app_that_break_the_role_rules_are_refused_and_shown(
    devices, role, action, fields
) -> None:
    """Anyone who unlocks a site holds its data key and device key: entries written straight
    into the store, syncing normally, still meet the server's role × action table."""
    from desktop_crf.store.audit import Actor, AuditWriter
    from desktop_crf.store.database import transaction

    pc, _ = devices
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    place = {"subject": subject, "event": "SE.W0", "event_repeat": 1, "form": "F.LAB_LIVER"}
    if action == "item.set":
        place.update(group_repeat=1, base_rev=0)
    else:
        signature = {"signer": "nurse", "signer_name": "W", "meaning": "I approve",
                     "signed_at": "2026-10-01T00:00:00Z", "content_hash": "a" * 64}  # fmt: skip
        fields = {"detail": json.dumps(signature)}
    user = f"patient:{subject}" if role == "patient" else role
    with transaction(pc.db):
        writer = AuditWriter(pc.db, Actor(user=user, role=role, device=pc.site.device))
        seq = writer.append(action, **place, **fields)["seq"]
    with pytest.raises(sync_service.SyncFailed, match="forbidden_entry"):
        _sync(pc)
    (kept,) = sync_service.quarantined_sets(pc)
    assert kept["code"] == "forbidden_entry"
    assert f"#{seq} ({action}" in kept["reason"]
    assert sync_service.sync_status(pc).pending > 0  # kept, never dropped
