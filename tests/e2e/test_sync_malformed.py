"""Malformed requests against a real server: always a 4xx in the one error shape, never a 500."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.changeset import build_changesets
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.sync.servers import ThreadServer
from tests.sync.sync_support import enrol_device, make_entries

pytestmark = pytest.mark.e2e
LIMIT = 256 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("malformed")
    db = SqliteDatabase(folder / "server.sqlite3")
    settings = ServerSettings(data_dir=folder, admin_token="admin", max_body_bytes=LIMIT)
    with (
        ThreadServer(create_app(settings, db=db)) as live,
        httpx.Client(headers={"X-CRF-Protocol": "2"}, base_url=live.url, timeout=10) as http,
    ):
        identity, _ = enrol_device(http, db, "nurse-pc")
        yield http, identity
    db.close()


def _assert_refused(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"]
    assert error["message"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(exclude_categories=()), max_size=30),  # lone surrogates too
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)


def _envelope(identity) -> dict:
    (signed,) = build_changesets(
        make_entries("nurse-pc", 3),
        study="PEG-HCC",
        site="101",
        private_key=identity.private_key,
        created_at="t",
    )
    return json.loads(signed.envelope())


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=json_values)
def test_arbitrary_json_is_refused_with_the_error_shape(server, body) -> None:
    http, _ = server
    raw = json.dumps(body).encode()
    _assert_refused(http.put("/v1/changesets/" + "a" * 64, content=raw))
    _assert_refused(http.post("/v1/enrolments", content=raw))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.lists(
        st.sampled_from(
            [
                "changeset",
                "entries",
                0,
                1,
                "seq",
                "new",
                "device",
                "seq_from",
                "prev_hash",
                "signature",
                "format",
                "base_rev",
            ]
        ),
        min_size=1,
        max_size=4,
    ),
    value=json_values,
)
def test_a_valid_set_with_one_field_replaced_is_refused(server, path, value) -> None:
    http, identity = server
    envelope = _envelope(identity)
    target = envelope
    for key in path[:-1]:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            return
    try:
        target[path[-1]] = value
    except (IndexError, TypeError):
        return
    raw = json.dumps(envelope).encode()
    from sync.canonical import sha256_hex
    from sync.changeset import changeset_bytes

    changeset = envelope.get("changeset")
    set_id = "b" * 64
    if isinstance(changeset, dict):
        try:
            set_id = sha256_hex(changeset_bytes(changeset))
        except Exception:
            set_id = "c" * 64
    _assert_refused(http.put(f"/v1/changesets/{set_id}", content=raw))


def test_truncated_bodies_are_refused(server) -> None:
    http, identity = server
    raw = json.dumps(_envelope(identity)).encode()
    for cut in range(0, len(raw), max(1, len(raw) // 40)):
        _assert_refused(http.put("/v1/changesets/" + "d" * 64, content=raw[:cut]))
    packed = gzip.compress(raw)
    for cut in (1, 10, len(packed) // 2, len(packed) - 1):
        response = http.put(
            "/v1/changesets/" + "d" * 64, content=packed[:cut], headers={"Content-Encoding": "gzip"}
        )
        _assert_refused(response)
        assert response.json()["error"]["code"] == "bad_encoding"


def test_bodies_over_the_limit_are_refused_before_and_after_decompression(server) -> None:
    http, _ = server
    huge = b"x" * (LIMIT + 1)
    response = http.put("/v1/changesets/" + "e" * 64, content=huge)
    _assert_refused(response)
    assert response.status_code == 413
    bomb = gzip.compress(b" " * (LIMIT * 20))  # small on the wire, 5 MiB unpacked
    assert len(bomb) < LIMIT
    response = http.put(
        "/v1/changesets/" + "e" * 64, content=bomb, headers={"Content-Encoding": "gzip"}
    )
    assert response.status_code == 413
    response = http.put(
        "/v1/changesets/" + "e" * 64, content=b"{}", headers={"Content-Encoding": "br"}
    )
    assert response.status_code == 415
    assert http.get("/v1/health").json()["status"] == "ok"  # still serving


def test_values_without_a_canonical_form_are_refused(server) -> None:
    http, identity = server
    for bad in ("\ud800", 2**60):
        envelope = _envelope(identity)
        envelope["changeset"]["entries"][0]["new"] = bad
        raw = json.dumps(envelope).encode()
        _assert_refused(http.put("/v1/changesets/" + "a" * 64, content=raw))


def test_non_utf8_and_deep_nesting_are_refused(server) -> None:
    http, _ = server
    for raw in (b"\xff\xfe\x00{", b"[" * 100000 + b"]" * 100000, b'{"changeset": 1e400}', b"NaN"):
        _assert_refused(http.put("/v1/changesets/" + "f" * 64, content=raw))
    assert http.get("/v1/health").status_code == 200
