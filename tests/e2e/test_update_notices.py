"""Update notices on a real encrypted site against a real server on 127.0.0.1: an app below the
server's minimum stops syncing with "update required" and keeps every change; one below the
recommended version syncs and is told once."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from desktop_crf import __version__
from desktop_crf.cli import main as crf_main
from desktop_crf.model import FormKey
from desktop_crf.services import sync as sync_service
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from tests.helpers.enrolled import FAST, enrolled_session
from tests.helpers.sites import PASSWORDS
from tests.helpers.versioned_server import (  # the fixture, as ``server``
    NEWER,
    Server,
    versioned_server,  # noqa: F401
)

pytestmark = pytest.mark.e2e


def _enrolled_nurse(tmp_path: Path, server: Server, url: str) -> Session:
    nurse = enrolled_session(tmp_path / "pc", url, server.db)
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    assert subject is not None
    save_form(
        nurse,
        FormKey(subject, "SE.W0", "F.LAB_LIVER"),
        [ItemInput("IG.LIVER", "I.ALT", "41", "U/L")],
    )
    return nurse


def _repoint(session: Session, url: str) -> None:
    from desktop_crf.store import sync_state
    from desktop_crf.store.database import transaction

    with transaction(session.db, session.paths.database):
        sync_state.set_server_url(session.db, url)


def test_an_app_below_the_minimum_stops_syncing_keeps_its_changes_and_syncs_once_allowed(
    tmp_path, server
) -> None:
    nurse = _enrolled_nurse(tmp_path, server, server.serve())
    pending = sync_service.sync_status(nurse).pending
    assert pending > 0
    _repoint(nurse, server.serve(min_app_version=NEWER))  # the data manager raises the minimum
    with pytest.raises(sync_service.SyncFailed, match="update the app") as stopped:
        sync_service.sync_now(nurse, retry=FAST)
    assert stopped.value.update_required == "app"
    status = sync_service.sync_status(nurse)
    assert (status.update_required, status.pending) == ("app", pending)
    assert status.quarantined == 0  # nothing refused nor set aside: the data wait here
    with server.db.transaction() as tx:
        assert tx.one("SELECT COUNT(*) FROM feed")[0] == 0
    _repoint(nurse, server.serve(min_app_version=__version__))  # this version is enough again
    assert sync_service.sync_now(nurse, retry=FAST).uploaded_entries == pending
    status = sync_service.sync_status(nurse)
    assert (status.update_required, status.pending) == (None, 0)
    nurse.close()


def test_the_command_line_says_update_required_and_exits_3(
    tmp_path, server, capsys, monkeypatch
) -> None:
    nurse = _enrolled_nurse(tmp_path, server, server.serve())
    root = nurse.paths.root
    nurse.close()
    url = server.serve(min_app_version=NEWER)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORDS["nurse"] + "\n"))
    code = crf_main(["sync", str(root), "--user", "nurse", "--server", url, "--password-stdin"])
    assert code == 3
    assert "update the app" in capsys.readouterr().err


def test_an_app_below_the_recommended_version_syncs_and_is_told_once(tmp_path, server) -> None:
    nurse = _enrolled_nurse(tmp_path, server, server.serve())
    _repoint(nurse, server.serve(recommended_app_version=NEWER))
    result = sync_service.sync_now(nurse, retry=FAST)
    assert result.uploaded_entries > 0
    assert result.update_recommended == NEWER
    assert sync_service.sync_status(nurse).update_recommended == NEWER
    sync_service.update_noticed(nurse, NEWER)  # the app said so
    sync_service.sync_now(nurse, retry=FAST)
    assert sync_service.sync_status(nurse).update_recommended is None  # not a second time
    _repoint(nurse, server.serve(recommended_app_version=__version__))
    assert sync_service.sync_now(nurse, retry=FAST).update_recommended is None
    assert sync_service.sync_status(nurse).update_recommended is None
    nurse.close()
