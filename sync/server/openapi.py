"""The API description (``/v1/openapi.json``) says what FastAPI cannot see by itself: the upload
body (read raw, so that the server re-canonicalises it), the health and device-state answers
(both name the protocol and app versions), the protocol and signature headers, the admin token,
and every error answer in the server's one shape (``sync.server.errors``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from sync.protocol import APP_VERSION_HEADER, OPEN_PATHS, PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.requestauth import DEVICE_HEADER, SIGNATURE_HEADER, TIME_HEADER
from sync.server.deps import require_admin, signed_device

_HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
ERROR = {
    "type": "object",
    "required": ["error"],
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z_]+$"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}
CHANGESET = {
    "type": "object",
    "required": [
        "format",
        "study",
        "site",
        "device",
        "key_id",
        "seq_from",
        "seq_to",
        "prev_hash",
        "created_at",
        "entries",
        "signatures",
    ],
    "additionalProperties": False,
    "properties": {
        "format": {"type": "string", "enum": ["desktop-crf.changeset/2"]},
        "study": {"type": "string"},
        "site": {"type": "string"},
        "device": {"type": "string"},
        "key_id": _HEX64,
        "seq_from": {"type": "integer", "minimum": 1},
        "seq_to": {"type": "integer", "minimum": 1},
        "prev_hash": _HEX64,
        "created_at": {"type": "string"},
        "entries": {"type": "array", "maxItems": 500, "items": {"type": "object"}},
        "signatures": {"type": "array", "items": {"type": "object"}},
    },
}
ENVELOPE = {
    "type": "object",
    "required": ["changeset", "signature"],
    "additionalProperties": False,
    "properties": {
        "changeset": {"$ref": "#/components/schemas/ChangeSet"},
        "signature": {"type": "string", "description": "base64 of the 64-byte Ed25519 signature"},
    },
}
#: What the health probe and a device's state say of versions (``sync.protocol.VERSION_FIELDS``).
_VERSION_OR_NULL = {
    "anyOf": [{"type": "string", "pattern": r"^\d{1,6}(\.\d{1,6}){0,3}$"}, {"type": "null"}]
}
VERSIONS = {
    "protocol": {"type": "integer", "description": "the sync protocol the server speaks"},
    "min_app_version": {
        **_VERSION_OR_NULL,
        "description": "an app below it may not sync (update required); null: none",
    },
    "recommended_app_version": {
        **_VERSION_OR_NULL,
        "description": "an app below it is told once that an update is recommended",
    },
}
HEALTH = {
    "type": "object",
    "required": ["status", "server_time", "database", *VERSIONS],
    "properties": {
        "status": {"type": "string", "enum": ["ok"]},
        "server_time": {"type": "string"},
        "database": {"type": "string", "enum": ["sqlite", "postgresql"]},
        **VERSIONS,
    },
}
DEVICE_STATE = {
    "type": "object",
    "description": "a sync round's first request: the device's state, and the protocol and app "
    "versions of the health probe, checked by the app before it sends anything",
    "required": [
        "device",
        "site",
        "study",
        "status",
        "last_seq",
        "last_hash",
        "server_time",
        *VERSIONS,
    ],
    "properties": {
        "device": {"type": "string"},
        "site": {"type": "string"},
        "study": {"type": "string"},
        "status": {"type": "string", "enum": ["active", "revoked"]},
        "last_seq": {"type": "integer", "minimum": 0},
        "last_hash": _HEX64,
        "server_time": {"type": "string"},
        "max_entries": {"type": "integer", "minimum": 1},
        **VERSIONS,
    },
}
RECEIPT = {
    "type": "object",
    "required": ["receipt", "created"],
    "properties": {"receipt": {"type": "object"}, "created": {"type": "boolean"}},
}
_REFUSALS = {
    400: "the compressed body is damaged (`bad_encoding`)",
    401: "no or a wrong request signature or admin token",
    403: "refused for this device or token (e.g. `device_revoked`, `token_used`)",
    404: "no such site or query",
    409: "conflicts with what the server holds (e.g. `sequence_gap`)",
    413: "body over the limit (`too_large`)",
    415: "an unsupported Content-Encoding",
    422: "the request does not fit (`schema`, a refused change set)",
    426: "another protocol or an app below the minimum version (`update_required`)",
    429: "busy: send again after Retry-After",
    500: "a server bug (`internal`); the client retries",
}


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the completed description (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = describe(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def describe(app: FastAPI) -> dict[str, Any]:
    """Return the OpenAPI document of ``app``, completed."""
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(Error=ERROR, ChangeSet=CHANGESET, Envelope=ENVELOPE, Receipt=RECEIPT)
    schemas.update(Health=HEALTH, DeviceState=DEVICE_STATE)
    doc["components"]["securitySchemes"] = {"adminToken": {"type": "http", "scheme": "bearer"}}
    for route in _api_routes(app.routes):
        for method in route.methods or ():
            _complete(doc["paths"][route.path_format][method.lower()], route, method)
    return doc


def _api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every endpoint, also inside included routers (which FastAPI may keep wrapped)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (router := getattr(route, "original_router", None)) is not None:
            yield from _api_routes(router.routes)


def _complete(operation: dict[str, Any], route: APIRoute, method: str) -> None:
    calls = set(_calls(route.dependant))
    signed, admin = signed_device in calls, require_admin in calls
    statuses = {500}
    if route.path_format not in OPEN_PATHS:
        statuses |= {422, 426}
        operation.setdefault("parameters", []).extend(_headers(signed=signed))
    if method in ("POST", "PUT"):
        statuses |= {400, 413, 415}
    if signed:
        statuses |= {401, 403}
    if admin:
        statuses |= {401, 404, 409}
        operation["security"] = [{"adminToken": []}]
    if route.path_format == "/v1/enrolments":
        statuses |= {403, 409}
    if route.path_format.startswith("/v1/changesets/"):
        statuses |= {403, 409, 429}
        operation["requestBody"] = _upload_body()
        for answered in ("200", "201"):
            operation["responses"][answered] = _json("the receipt", "#/components/schemas/Receipt")
    if route.path_format == "/v1/health":
        operation["responses"]["200"] = _json("the server's health", "#/components/schemas/Health")
    if route.path_format == "/v1/devices/{device_id}":
        operation["responses"]["200"] = _json(
            "the device's state and the server's versions", "#/components/schemas/DeviceState"
        )
    if route.path_format.endswith("/audit"):
        operation["responses"]["200"] = {
            "description": "every entry the server holds for the site, one JSON object a line",
            "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
        }
    if route.path_format.endswith("/monitor-keys"):
        statuses |= {409}
    responses = operation["responses"]
    for code in sorted(statuses):
        responses[str(code)] = _json(_REFUSALS[code], "#/components/schemas/Error")


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any] | None]:
    for sub in dependant.dependencies:
        yield sub.call
        yield from _calls(sub)


def _headers(*, signed: bool) -> list[dict[str, Any]]:
    headers = [
        _header(PROTOCOL_HEADER, {"type": "string", "enum": [str(PROTOCOL_VERSION)]}, True),
        _header(APP_VERSION_HEADER, {"type": "string", "pattern": r"^\d+(\.\d+){0,3}$"}, False),
    ]
    if signed:
        headers += [
            _header(DEVICE_HEADER, {"type": "string"}, True),
            _header(TIME_HEADER, {"type": "string", "pattern": "^[0-9]+$"}, True),
            _header(SIGNATURE_HEADER, {"type": "string"}, True),
        ]
    return headers


def _header(name: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": required, "schema": schema}


def _upload_body() -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Envelope"}
    return {
        "required": True,
        "description": "the signed change set; may be sent with Content-Encoding: gzip",
        "content": {"application/json": {"schema": schema}},
    }


def _json(description: str, ref: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}
