"""Signatures travel: a form or visit signed on one computer shows signed on the site's other
computers, and shows broken there, and back here, once its data change on either side. Two
real encrypted sites and a real server on 127.0.0.1."""

from __future__ import annotations

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services import sync as sync_service
from desktop_crf.services.data_entry import ItemInput, load_form, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.signatures import sign_form, sign_visit
from desktop_crf.services.subjects import screen_subject
from desktop_crf.services.visits import form_states
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import FAST, enrolled_devices
from tests.helpers.sites import PASSWORDS, login
from tests.sync.servers import ThreadServer

pytestmark = pytest.mark.e2e
VISIT = "SE.SCREENING"
SAMPLE = [
    ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-10-01"),
    ItemInput("IG.SAMPLE", "I.LAB_NAME", "Central lab"),
]


@pytest.fixture
def devices(tmp_path):
    db = SqliteDatabase(tmp_path / "server" / "server.sqlite3")
    settings = ServerSettings(data_dir=tmp_path / "server", admin_token="admin-secret")
    with (
        ThreadServer(create_app(settings, db=db)) as live,
        enrolled_devices(tmp_path, live.url, db) as sessions,
    ):
        investigator = login(tmp_path / "pc", "investigator")
        try:
            yield investigator, *sessions
        finally:
            investigator.close()
    db.close()


def _sync(*sessions: Session) -> None:
    for session in sessions:
        sync_service.sync_now(session, retry=FAST)


def _state(session: Session, key: FormKey) -> tuple[str, str | None]:
    signature = load_form(session, key).signature
    status = form_states(session, key.subject_id)[(key.event, key.event_repeat, key.form)]
    return status, signature["state"] if signature else None


def _liver_form(pc: Session) -> FormKey:
    subject = screen_subject(pc, study_version="1.0", screened_on="2026-10-01").subject_id
    assert subject is not None
    key = FormKey(subject, VISIT, "F.LAB_LIVER")
    save_form(pc, key, [*SAMPLE, ItemInput("IG.LIVER", "I.ALT", "35", "U/L")])
    return key


def test_a_form_signed_here_shows_signed_there_and_breaks_on_both_when_data_change(
    devices,
) -> None:
    investigator, pc, tablet = devices
    key = _liver_form(pc)
    sign_form(investigator, key, PASSWORDS["investigator"])
    assert _state(pc, key) == ("signed", "valid")
    _sync(pc, tablet)
    assert _state(tablet, key) == ("signed", "valid")
    signature = load_form(tablet, key).signature
    assert signature is not None
    assert (signature["signer"], signature["signer_name"]) == ("investigator", "Dr Liyun Fu")
    # the data change on the other computer: broken there at once, and here after a sync
    save_form(tablet, key, [ItemInput("IG.LIVER", "I.ALT", "53", "U/L")], reason="typo")
    assert _state(tablet, key) == ("signature_broken", "broken")
    _sync(tablet, pc)
    assert _state(pc, key) == ("signature_broken", "broken")
    assert site.verify_audit(pc).ok
    assert site.verify_audit(tablet).ok


def test_a_signature_made_after_a_change_on_the_other_computer_breaks_when_the_change_arrives(
    devices,
) -> None:
    investigator, pc, tablet = devices
    key = _liver_form(pc)
    _sync(pc, tablet)
    save_form(tablet, key, [ItemInput("IG.LIVER", "I.ALT", "36", "U/L")], reason="re-read")
    sign_form(investigator, key, PASSWORDS["investigator"])  # signs what the pc holds
    _sync(pc, tablet, pc)
    assert _state(pc, key) == ("signature_broken", "broken")
    assert _state(tablet, key) == ("signature_broken", "broken")


def test_a_visit_signed_here_shows_every_form_signed_there(devices) -> None:
    investigator, pc, tablet = devices
    key = _liver_form(pc)
    blood = FormKey(key.subject_id, VISIT, "F.LAB_BLOOD")
    save_form(pc, blood, [*SAMPLE, ItemInput("IG.CBC", "I.PLT", "180", "10^9/L")])
    sign_visit(investigator, key.subject_id, VISIT, 1, PASSWORDS["investigator"])
    _sync(pc, tablet)
    assert _state(tablet, key) == ("signed", "valid")
    assert _state(tablet, blood) == ("signed", "valid")
    save_form(pc, blood, [ItemInput("IG.CBC", "I.PLT", "181", "10^9/L")], reason="typo")
    _sync(pc, tablet)
    assert _state(tablet, blood) == ("signature_broken", "broken")
    assert _state(tablet, key) == ("signed", "valid")  # the other form is untouched
