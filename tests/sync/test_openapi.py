"""The API description declares what FastAPI cannot see: the upload body, the protocol and
signature headers, the admin token, and every error answer in the server's one shape."""

from __future__ import annotations

from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.errors import error_body
from sync.server.settings import ServerSettings


def _doc(tmp_path) -> dict:
    db = SqliteDatabase(tmp_path / "s.sqlite3")
    try:
        return create_app(ServerSettings(data_dir=tmp_path), db=db).openapi()
    finally:
        db.close()


def _names(operation: dict) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


def test_the_upload_body_signed_headers_and_admin_token_are_declared(tmp_path) -> None:
    doc = _doc(tmp_path)
    paths = doc["paths"]
    upload = paths["/v1/changesets/{changeset_id}"]["put"]
    body = upload["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Envelope"}
    envelope = doc["components"]["schemas"]["Envelope"]
    assert set(envelope["required"]) == {"changeset", "signature"}
    assert "entries" in doc["components"]["schemas"]["ChangeSet"]["required"]
    signed = {"X-CRF-Device", "X-CRF-Time", "X-CRF-Signature", "X-CRF-Protocol"}
    for path in ("/v1/devices/{device_id}", "/v1/sites/{site}/feed"):
        assert signed <= _names(paths[path]["get"])
    assert "X-CRF-Device" not in _names(upload)  # the set itself is signed
    assert paths["/v1/sites/{site}/verify"]["get"]["security"] == [{"adminToken": []}]
    assert _names(paths["/v1/health"]["get"]) == set()


def test_every_error_answer_is_declared_in_the_one_shape(tmp_path) -> None:
    doc = _doc(tmp_path)
    error = doc["components"]["schemas"]["Error"]
    assert set(error["required"]) == set(error_body("busy", "m"))
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            refusals = {s: r for s, r in operation["responses"].items() if s >= "400"}
            assert "500" in refusals, (method, path)
            if path != "/v1/health":
                assert {"422", "426"} <= set(refusals), (method, path)
            for answer in refusals.values():
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path)
