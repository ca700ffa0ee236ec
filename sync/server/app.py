"""``create_app(settings)``: the central server as an ASGI app."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from sync.server.bodylimit import BodyLimitMiddleware
from sync.server.db import Database, open_database
from sync.server.errors import install_error_handlers
from sync.server.openapi import install_openapi
from sync.server.retry import DatabaseRetryMiddleware
from sync.server.routers import changesets, devices, enrolments, health, sites
from sync.server.settings import ServerSettings
from sync.server.versions import ProtocolMiddleware


def create_app(settings: ServerSettings, *, db: Database | None = None) -> FastAPI:
    """Return the server app; it opens (or uses) the database and closes it on shutdown."""
    database = db or open_database(
        settings.database, settings.data_dir, pool_size=settings.pool_size
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if db is None:
            database.close()

    app = FastAPI(
        title="desktop-crf sync server",
        version="2",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.db = database
    app.state.uploads_in_flight = 0
    install_error_handlers(app)
    install_openapi(app)
    for module in (health, enrolments, devices, changesets, sites):
        app.include_router(module.router)
    # Inside the body limit: what is replayed is the body already read, bounded and plain.
    app.add_middleware(DatabaseRetryMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    # outermost: an older app is told before anything else is read
    app.add_middleware(ProtocolMiddleware, min_app_version=settings.min_app_version)
    return app


def app_from_environment() -> FastAPI:
    """One worker of ``crf-server serve --workers N``: settings from ``CRF_SERVER_*``.

    Each worker logs to standard error and, with ``--log-file FILE``, to ``FILE.<pid>`` (one
    rotating file per process: several processes never rotate one file).
    """
    from sync.server.cli import log_to

    log_file = os.environ.get("CRF_SERVER_LOG_FILE")
    log_to(
        Path(f"{log_file}.{os.getpid()}") if log_file else None,
        os.environ.get("CRF_SERVER_LOG_LEVEL", "warning"),
    )
    return create_app(ServerSettings())
