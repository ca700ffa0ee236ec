"""What a round asks of the server, on a real encrypted site against a real server on 127.0.0.1
(its requests noted where it answers them): a round with nothing to send is two requests, the
device's state and the pull; an app below the minimum, or a revoked device, is stopped by the
first and sends nothing of its data, told what it was told before; a server that does not answer
ends the round after one try."""

from __future__ import annotations

import random

import httpx
import pytest

from desktop_crf.services import sync as sync_service
from sync.client import RetryPolicy, SyncClient, UpdateRequired
from sync.protocol import update_message
from sync.server.registry import revoke
from tests.helpers.enrolled import FAST, nurse_with_a_change, repoint
from tests.helpers.versioned_server import (  # the fixture, as ``server``
    NEWER,
    versioned_server,  # noqa: F401
)

pytestmark = pytest.mark.e2e


def test_a_round_with_nothing_to_send_is_two_requests(tmp_path, server) -> None:
    nurse = nurse_with_a_change(tmp_path / "pc", server.serve(), server.db)
    state, feed = f"/v1/devices/{nurse.site.device}", "/v1/sites/NB02/feed"
    del server.requests[:]
    assert sync_service.sync_now(nurse, retry=FAST).uploaded_entries > 0
    paths = [path for _, path, _ in server.requests]
    assert (paths[0], paths[-1]) == (state, feed)  # the first request is the device's state
    assert "/v1/health" not in paths
    assert paths.count(state) == 1
    for _ in range(3):
        del server.requests[:]
        assert sync_service.sync_now(nurse, retry=FAST).uploaded_entries == 0
        assert server.requests == [("GET", state, 200), ("GET", feed, 200)]
    # a recommended update is learnt from the same two requests
    repoint(nurse, server.serve(recommended_app_version=NEWER))
    del server.requests[:]
    assert sync_service.sync_now(nurse, retry=FAST).update_recommended == NEWER
    assert server.requests == [("GET", state, 200), ("GET", feed, 200)]
    nurse.close()


def test_an_app_below_the_minimum_sends_nothing_and_is_told_what_it_was_told_before(
    tmp_path, server
) -> None:
    nurse = nurse_with_a_change(tmp_path / "pc", server.serve(), server.db)
    pending = sync_service.sync_status(nurse).pending
    url = server.serve(min_app_version=NEWER)
    repoint(nurse, url)
    del server.requests[:]
    with pytest.raises(sync_service.SyncFailed) as stopped:
        sync_service.sync_now(nurse, retry=FAST)
    assert stopped.value.update_required == "app"
    assert server.requests == [("GET", f"/v1/devices/{nurse.site.device}", 426)]  # only that
    assert server.stored() == 0
    plan = sync_service.plan_round(nurse)
    with (
        SyncClient(url, plan.identity, app_version=plan.app_version) as client,
        pytest.raises(UpdateRequired) as probed,
    ):
        client.probe()  # a round began with the health probe before: the same words
    assert str(stopped.value) == str(probed.value) == update_message()
    status = sync_service.sync_status(nurse)
    assert (status.update_required, status.pending, status.quarantined) == ("app", pending, 0)
    nurse.close()


def test_a_revoked_device_stops_at_the_first_request(tmp_path, server) -> None:
    nurse = nurse_with_a_change(tmp_path / "pc", server.serve(), server.db)
    pending = sync_service.sync_status(nurse).pending
    revoke(server.db, nurse.site.device)
    del server.requests[:]
    with pytest.raises(sync_service.SyncFailed, match=r"device revoked\). Nothing was lost"):
        sync_service.sync_now(nurse, retry=FAST)
    assert server.requests == [("GET", f"/v1/devices/{nurse.site.device}", 200)]
    assert server.stored() == 0
    assert sync_service.sync_status(nurse).pending == pending
    nurse.close()


def test_a_server_that_does_not_answer_ends_the_round_after_one_try(tmp_path, server) -> None:
    url = server.serve()
    nurse = nurse_with_a_change(tmp_path / "pc", url, server.db)
    server.stop()  # the server's computer is off: its port refuses
    tried: list[str] = []

    def note(request: httpx.Request) -> None:
        tried.append(request.url.path)

    waits: list[float] = []
    retry = RetryPolicy(sleep=waits.append, rng=random.Random(1))
    with (
        httpx.Client(base_url=url, event_hooks={"request": [note]}) as http,
        pytest.raises(sync_service.SyncFailed, match="could not be reached") as stopped,
    ):
        sync_service.sync_now(nurse, http=http, retry=retry)
    assert stopped.value.offline
    assert (tried, waits) == ([f"/v1/devices/{nurse.site.device}"], [])  # at once
    nurse.close()
