"""Fixtures shared by tests/sync and tests/e2e: a server database on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sync.server.db import Database, PostgresDatabase, SqliteDatabase
from tests.sync.servers import fresh_postgres_database, postgres_server


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
