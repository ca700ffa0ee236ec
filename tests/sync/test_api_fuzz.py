"""schemathesis against the server's ASGI app: requests generated from its own OpenAPI document
(bounded), signed by an enrolled device or carrying the admin token where the operation needs
them; every answer must be documented, in the declared shape, and never a server error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient

from sync.requestauth import sign_request
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.sync.sync_support import legacy_enrol, new_key

DEVICE = "NB02-4F2A9C"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_SIGNED = ("/v1/devices/", "/feed", "/monitor-keys")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("api")
    db = SqliteDatabase(folder / "server.sqlite3")
    app = create_app(ServerSettings(data_dir=folder, admin_token="admin-secret"), db=db)
    key = new_key()

    def authorise(request: httpx.Request) -> None:
        """The auth hook: sign what a device signs, add the admin token elsewhere."""
        path = request.url.path
        if any(part in path for part in _SIGNED):
            target = request.url.raw_path.decode("ascii")
            request.headers.update(
                sign_request(key, DEVICE, request.method, target, request.content)
            )
        elif path.startswith("/v1/sites/"):
            request.headers["Authorization"] = "Bearer admin-secret"

    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        client.headers["X-CRF-Protocol"] = "2"
        legacy_enrol("http://testserver", db, DEVICE, key, site="NB02", http=client)
        client.event_hooks["request"] = [authorise]
        yield client
    db.close()


@pytest.mark.slow
def test_every_generated_request_is_answered_as_documented(api: TestClient) -> None:
    schema = schemathesis.openapi.from_dict(api.get("/v1/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def answered_as_documented(case: schemathesis.Case) -> None:
            kwargs = case.as_transport_kwargs(base_url="http://testserver")
            kwargs.pop("cookies", None)
            response = api.request(**kwargs)
            case.validate_response(response, checks=CHECKS)

        answered_as_documented()
