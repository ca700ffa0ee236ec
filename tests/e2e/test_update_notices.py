"""Update notices on a real encrypted site against a real server on 127.0.0.1: an app below the
server's minimum stops syncing with "update required" and keeps every change; one below the
recommended version syncs and is told once."""

from __future__ import annotations

import io
import sys

import pytest

from desktop_crf import __version__
from desktop_crf.cli import main as crf_main
from desktop_crf.services import sync as sync_service
from tests.helpers.enrolled import FAST, nurse_with_a_change, repoint
from tests.helpers.sites import PASSWORDS
from tests.helpers.versioned_server import (  # the fixture, as ``server``
    NEWER,
    versioned_server,  # noqa: F401
)

pytestmark = pytest.mark.e2e


def test_an_app_below_the_minimum_stops_syncing_keeps_its_changes_and_syncs_once_allowed(
    tmp_path, server
) -> None:
    nurse = nurse_with_a_change(tmp_path / "pc", server.serve(), server.db)
    pending = sync_service.sync_status(nurse).pending
    assert pending > 0
    repoint(nurse, server.serve(min_app_version=NEWER))  # the data manager raises the minimum
    with pytest.raises(sync_service.SyncFailed, match="update the app") as stopped:
        sync_service.sync_now(nurse, retry=FAST)
    assert stopped.value.update_required == "app"
    status = sync_service.sync_status(nurse)
    assert (status.update_required, status.pending) == ("app", pending)
    assert status.quarantined == 0  # nothing refused nor set aside: the data wait here
    with server.db.transaction() as tx:
        assert tx.one("SELECT COUNT(*) FROM feed")[0] == 0
    repoint(nurse, server.serve(min_app_version=__version__))  # this version is enough again
    assert sync_service.sync_now(nurse, retry=FAST).uploaded_entries == pending
    status = sync_service.sync_status(nurse)
    assert (status.update_required, status.pending) == (None, 0)
    nurse.close()


def test_the_command_line_says_update_required_and_exits_3(
    tmp_path, server, capsys, monkeypatch
) -> None:
    nurse = nurse_with_a_change(tmp_path / "pc", server.serve(), server.db)
    root = nurse.paths.root
    nurse.close()
    url = server.serve(min_app_version=NEWER)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORDS["nurse"] + "\n"))
    code = crf_main(["sync", str(root), "--user", "nurse", "--server", url, "--password-stdin"])
    assert code == 3
    assert "update the app" in capsys.readouterr().err


def test_an_app_below_the_recommended_version_syncs_and_is_told_once(tmp_path, server) -> None:
    nurse = nurse_with_a_change(tmp_path / "pc", server.serve(), server.db)
    repoint(nurse, server.serve(recommended_app_version=NEWER))
    result = sync_service.sync_now(nurse, retry=FAST)
    assert result.uploaded_entries > 0
    assert result.update_recommended == NEWER
    assert sync_service.sync_status(nurse).update_recommended == NEWER
    sync_service.update_noticed(nurse, NEWER)  # the app said so
    sync_service.sync_now(nurse, retry=FAST)
    assert sync_service.sync_status(nurse).update_recommended is None  # not a second time
    repoint(nurse, server.serve(recommended_app_version=__version__))
    assert sync_service.sync_now(nurse, retry=FAST).update_recommended is None
    assert sync_service.sync_status(nurse).update_recommended is None
    nurse.close()
