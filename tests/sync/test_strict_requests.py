"""Strict requests (issue 11): upload bodies in UTF-8 only, no key named twice, nothing after the
compressed stream; the admin query endpoint validates the place and the site and needs
``Bearer``; a revoked device never enrols again; a token lives a positive time."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest

from sync.changeset import build_changesets
from sync.server.cli import main as server_main
from sync.server.registry import issue_token, revoke
from tests.sync.sync_support import ADMIN, enrol_device, make_entries, new_key


def _signed(identity):
    (signed,) = build_changesets(
        make_entries(identity.device, 2),
        study=identity.study,
        site=identity.site,
        private_key=identity.private_key,
        created_at="2026-01-01T00:00:00Z",
    )
    return signed


def _code(response) -> str:
    return response.json()["error"]["code"]


def test_upload_bodies_must_be_utf8_json_without_repeated_keys(http, database) -> None:
    identity, _ = enrol_device(http, database, "nurse-pc")
    signed = _signed(identity)
    url = f"/v1/changesets/{signed.id}"
    utf16 = signed.envelope().decode().encode("utf-16")
    answer = http.put(url, content=utf16)
    assert (answer.status_code, _code(answer)) == (422, "schema")
    twice = b'{"signature": "x", ' + signed.envelope()[1:]
    answer = http.put(url, content=twice)
    assert (answer.status_code, _code(answer)) == (422, "schema")
    assert "twice" in answer.json()["error"]["message"]
    packed = gzip.compress(signed.envelope()) + b"trailing"
    answer = http.put(url, content=packed, headers={"Content-Encoding": "gzip"})
    assert (answer.status_code, _code(answer)) == (400, "bad_encoding")
    two_streams = gzip.compress(signed.envelope()) + gzip.compress(b"{}")
    answer = http.put(url, content=two_streams, headers={"Content-Encoding": "gzip"})
    assert (answer.status_code, _code(answer)) == (400, "bad_encoding")
    answer = http.put(
        url, content=gzip.compress(signed.envelope()), headers={"Content-Encoding": "gzip"}
    )
    assert answer.status_code == 201  # the same set, sent properly


@pytest.mark.parametrize("first", [b'"tampered"', b"7"], ids=["a text", "a wrong type"])
def test_a_key_named_twice_inside_an_entry_is_refused_as_such(http, database, first) -> None:
    """The server parses an upload without looking for repeated keys when its bytes are the
    canonical envelope; these are not, whatever the value named first would do to the set."""
    identity, _ = enrol_device(http, database, "nurse-pc")
    signed = _signed(identity)
    envelope = signed.envelope()
    assert envelope.count(b'"new":"') == 2  # one per entry: the first entry's is repeated
    twice = envelope.replace(b'"new":"', b'"new":' + first + b',"new":"', 1)
    answer = http.put(f"/v1/changesets/{signed.id}", content=twice)
    assert (answer.status_code, _code(answer)) == (422, "schema")
    assert "twice" in answer.json()["error"]["message"]
    answer = http.put(f"/v1/changesets/{signed.id}", content=envelope)
    assert answer.status_code == 201


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"event": "SE.W0", "event_repeat": 2**70}, 422),
        ({"event": "SE.W0", "form": "F.LAB", "item_group": "IG", "group_repeat": -5}, 422),
        ({"item": "I.ALT"}, 422),
        ({"event": "SE.W0", "item_group": "IG.LIVER", "item": "I.ALT"}, 422),
        ({"event_repeat": "2", "event": "SE.W0"}, 422),
        ({"event": "SE.W0", "form": "F.LAB", "item_group": "IG", "item": "I.ALT"}, 201),
    ],
)
def test_the_admin_query_endpoint_validates_the_place(http, database, body, status) -> None:
    issue_token(database, "101", ttl=timedelta(hours=1))
    request = {"subject": "S-1", "text": "please check", "opened_by": "monitor.li", **body}
    answer = http.post("/v1/sites/101/queries", json=request, headers=ADMIN)
    assert answer.status_code == status, answer.text


def test_the_admin_endpoints_need_a_known_site_and_a_bearer_token(http, database) -> None:
    request = {"subject": "S-1", "text": "please check", "opened_by": "monitor.li"}
    answer = http.post("/v1/sites/NOPE/queries", json=request, headers=ADMIN)
    assert (answer.status_code, _code(answer)) == (404, "site_not_found")
    issue_token(database, "101", ttl=timedelta(hours=1))
    token = ADMIN["Authorization"].removeprefix("Bearer ")
    for header in (token, f"Basic {token}", f"bearer{token}", ""):
        answer = http.get("/v1/sites/101/queries", headers={"Authorization": header})
        assert (answer.status_code, _code(answer)) == (401, "unauthorized")
    assert http.get("/v1/sites/101/queries", headers=ADMIN).status_code == 200


def test_a_revoked_device_does_not_enrol_again_with_its_old_token(http, database) -> None:
    key = new_key()
    token = issue_token(database, "101", ttl=timedelta(hours=1))
    from base64 import b64encode

    from sync.authorship import UserSigner, enrolment_message
    from sync.canonical import sha256_hex
    from sync.changeset import public_key_bytes

    admin = UserSigner.generate("admin")
    device_key = public_key_bytes(key.public_key())
    message = enrolment_message(
        token_sha256=sha256_hex(token.encode()), device="nurse-pc", device_key=device_key,
        study="PEG-HCC", admin_user="admin", root_key=admin.public_key, unsigned_through=0,
    )  # fmt: skip
    body = {
        "token": token,
        "device": "nurse-pc",
        "study": "PEG-HCC",
        "public_key": b64encode(device_key).decode(),
        "admin": {
            "user": "admin",
            "public_key": admin.public_b64,
            "signature": b64encode(admin.private_key.sign(message)).decode(),
        },
        "root": {"user": "admin", "public_key": admin.public_b64},
    }
    assert http.post("/v1/enrolments", json=body).status_code == 201
    assert http.post("/v1/enrolments", json=body).status_code == 201  # a lost answer: same
    revoke(database, "nurse-pc")
    answer = http.post("/v1/enrolments", json=body)
    assert (answer.status_code, _code(answer)) == (403, "device_revoked")


@pytest.mark.parametrize("hours", ["-5", "0", "100000"])
def test_a_token_lives_a_positive_bounded_time(tmp_path, capsys, hours) -> None:
    code = server_main(["token", "--data", str(tmp_path), "--site", "NB02", "--hours", hours])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "valid for" in err
    assert not (tmp_path / "server.sqlite3").exists()  # nothing was issued
