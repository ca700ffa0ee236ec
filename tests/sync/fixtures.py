"""Fixtures shared by tests/sync and tests/e2e: a server database on SQLite and PostgreSQL,
and a real server in front of it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sync.server.app import create_app
from sync.server.db import Database, PostgresDatabase, SqliteDatabase
from sync.server.settings import ServerSettings
from tests.sync.servers import ThreadServer, fresh_postgres_database, postgres_server


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        with postgres_server(tmp_path_factory.mktemp("pg")) as url:
            yield url
    except RuntimeError as exc:
        pytest.skip(str(exc))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    if request.param == "sqlite":
        db: Database = SqliteDatabase(tmp_path / "server.sqlite3")
    else:
        url = fresh_postgres_database(request.getfixturevalue("postgres_url"))
        db = PostgresDatabase(url, pool_size=4)
    yield db
    db.close()


@pytest.fixture
def http(database: Database, tmp_path) -> Iterator[httpx.Client]:
    """A real uvicorn on 127.0.0.1 in front of the database under test."""
    settings = ServerSettings(data_dir=tmp_path, admin_token="admin-secret")
    with (
        ThreadServer(create_app(settings, db=database)) as live,
        httpx.Client(headers={"X-CRF-Protocol": "2"}, base_url=live.url, timeout=30) as client,
    ):
        yield client
