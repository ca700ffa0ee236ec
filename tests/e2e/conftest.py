"""Fixtures of the end-to-end tests (``database`` and ``postgres_url`` shared with tests/sync):
a real server on 127.0.0.1 over SQLite, and two computers of one site enrolled with it. A test
module that needs another server (PostgreSQL too, an admin client) defines its own."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.helpers.enrolled import enrolled_devices
from tests.sync.fixtures import database, postgres_url
from tests.sync.servers import ThreadServer

__all__ = ["database", "devices", "postgres_url", "server"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ThreadServer, SqliteDatabase]]:
    db = SqliteDatabase(tmp_path / "server" / "server.sqlite3")
    settings = ServerSettings(data_dir=tmp_path / "server", admin_token="admin-secret")
    with ThreadServer(create_app(settings, db=db)) as live:
        yield live, db
    db.close()


@pytest.fixture
def devices(server: tuple[ThreadServer, SqliteDatabase], tmp_path: Path) -> Iterator[Any]:
    live, db = server
    with enrolled_devices(tmp_path, live.url, db) as sessions:
        yield sessions
