"""Server schema migrations: a database made by the schema before migrations were recorded,
with a ledger in it, is upgraded by ``crf-server migrate`` and still verifies; a newer schema
than the server knows is refused; workers migrating at once apply each migration once."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from sync.changeset import (
    FORMAT_1,
    build_changesets,
    key_id,
    public_key_bytes,
    sign_changeset,
)
from sync.entries import GENESIS_HASH
from sync.server import ledger
from sync.server.app import create_app
from sync.server.cli import main
from sync.server.db import Database, PostgresDatabase, open_database
from sync.server.migrations import LATEST, MIGRATIONS, migrate
from sync.server.queries import open_query
from sync.server.settings import ServerSettings
from tests.sync import schema_v1
from tests.sync.servers import fresh_postgres_database
from tests.sync.sync_support import MemoryStore, new_key


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def v1_database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str | None, Path]:
    """An empty database of the version-1 schema: (URL or None for SQLite, data folder)."""
    data = tmp_path / "server"
    data.mkdir()
    if request.param == "sqlite":
        with sqlite3.connect(data / "server.sqlite3") as conn:
            for statement in schema_v1.schema_statements("sqlite"):
                conn.execute(statement)
        return None, data
    import psycopg

    url = fresh_postgres_database(request.getfixturevalue("postgres_url"))
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in schema_v1.schema_statements("postgresql"):
            conn.execute(statement.encode())  # bytes: no placeholder parsing of the '%'
    return url, data


def _fill(url: str | None, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a server of the old schema held: two devices enrolled, and 150 and 40 entries each
    in two change sets of format 1 (no authors' signatures, as that version's app sent them),
    stored by the server's own path with what that version did not have left out (the authors'
    check and signers, migration 0004; the SDV projection, migration 0003); a monitor's query.
    Written on the old schema: the server does not migrate it here."""
    monkeypatch.setattr(ledger, "project_sdv", lambda *args: None)
    monkeypatch.setattr(ledger, "_check_authors", lambda *args: None)
    db = open_database(url, data, migrate=False)
    now = "2026-01-05T10:00:00.000000Z"
    try:
        with db.transaction() as tx:
            tx.execute(
                "INSERT INTO sites (code, study, created_at) VALUES (?, ?, ?)",
                ("101", "PEG-HCC", now),
            )
        for device, count in (("nurse-pc", 150), ("lab-pc", 40)):
            key = new_key()
            raw = public_key_bytes(key.public_key())
            with db.transaction() as tx:
                tx.execute(
                    "INSERT INTO devices (device, site, study, public_key, key_id, label, "
                    "status, enrolled_at, revoked_at, last_seq, last_hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'active', ?, NULL, 0, ?)",
                    (device, "101", "PEG-HCC", raw, key_id(key.public_key()), "", now,
                     GENESIS_HASH),
                )  # fmt: skip
            store = MemoryStore(device)
            runs = [store.add(count - 10), store.add(10, item="IT.SECOND")]
            for run in runs:
                (built,) = build_changesets(
                    run, study="PEG-HCC", site="101", private_key=key, created_at=now
                )
                old = replace(built.changeset, format=FORMAT_1, signatures=())
                signed = sign_changeset(old, key)
                with db.transaction() as tx:
                    ledger._store(tx, signed.id, old, signed.body, signed.signature)
        open_query(db, "101", {"subject": "S-001"}, text="Date of consent?", opened_by="mon1")
    finally:
        db.close()


def _has_index(url: str | None, data: Path, name: str) -> bool:
    if url is None:
        with sqlite3.connect(data / "server.sqlite3") as conn:
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?"
            return conn.execute(sql, (name,)).fetchone() is not None
    import psycopg

    with psycopg.connect(url) as conn:
        sql = "SELECT 1 FROM pg_indexes WHERE indexname = %s"
        return conn.execute(sql, (name,)).fetchone() is not None


def test_a_database_of_the_previous_schema_is_upgraded_and_still_verifies(
    v1_database: tuple[str | None, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, data = v1_database
    _fill(url, data, monkeypatch)
    where = ["--data", str(data), *(["--database", url] if url else [])]
    assert not _has_index(url, data, "queries_site")

    assert main(["migrate", "--check", *where]) == 1
    checked = capsys.readouterr()
    assert "pending 0001_ledger" in checked.out
    assert "run crf-server migrate" in checked.err

    assert main(["migrate", *where]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("applied")] == [
        f"applied {m.label}" for m in MIGRATIONS
    ]
    assert f"schema at {MIGRATIONS[-1].label}" in out
    assert _has_index(url, data, "queries_site")

    monkeypatch.undo()  # today's server, SDV projection included, on the upgraded schema
    assert main(["verify", *where]) == 0
    verified = capsys.readouterr().out
    assert "nurse-pc: 2 change sets, 150 entries: ok" in verified
    assert "lab-pc: 2 change sets, 40 entries: ok" in verified
    assert main(["query", "list", *where, "--site", "101"]) == 0
    assert "Date of consent?" in capsys.readouterr().out

    assert main(["migrate", "--check", *where]) == 0
    assert main(["migrate", *where]) == 0
    assert "\napplied" not in "\n" + capsys.readouterr().out


def test_the_server_migrates_at_start(v1_database: tuple[str | None, Path]) -> None:
    url, data = v1_database
    app = create_app(ServerSettings(data_dir=data, database=url, admin_token="x"))
    app.state.db.close()
    db = open_database(url, data, migrate=False)
    try:
        with db.transaction() as tx:
            rows = tx.all("SELECT number FROM schema_migrations ORDER BY number")
            version = tx.one("SELECT value FROM meta WHERE key = 'schema_version'")
    finally:
        db.close()
    assert [r[0] for r in rows] == [m.number for m in MIGRATIONS]
    assert version == (str(LATEST),)


def test_a_schema_newer_than_the_server_is_refused_with_what_to_do(
    database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with database.transaction() as tx:
        tx.execute(
            "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
            (LATEST + 1, "from_the_future", "2030-01-01T00:00:00Z"),
        )
    url = None if database.dialect == "sqlite" else _url_of(database)
    data = tmp_path  # the database fixture's SQLite file is tmp_path / "server.sqlite3"
    where = ["--data", str(data), *(["--database", url] if url else [])]
    assert main(["verify", *where]) == 2
    err = capsys.readouterr().err
    assert f"at migration {LATEST + 1:04d}, newer than this crf-server knows" in err
    assert "run the crf-server version that upgraded it" in err


def _url_of(db: Database) -> str:
    assert isinstance(db, PostgresDatabase)
    return db.url


@pytest.mark.postgres
def test_workers_starting_at_once_apply_each_migration_once(postgres_url: str) -> None:
    url = fresh_postgres_database(postgres_url)
    dbs = [PostgresDatabase(url, pool_size=2, migrate=False) for _ in range(4)]
    applied: list[list[int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(dbs))

    def run(db: PostgresDatabase) -> None:
        start.wait()
        try:
            applied.append([m.number for m in migrate(db)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(db,)) for db in dbs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for db in dbs:
        db.close()
    assert errors == []
    assert sorted(n for numbers in applied for n in numbers) == [m.number for m in MIGRATIONS]


@pytest.mark.postgres
def test_an_up_to_date_database_opens_read_only_as_on_a_replica(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reports server on a read replica opens the database without writing to it."""
    url = fresh_postgres_database(postgres_url)
    PostgresDatabase(url, pool_size=1).close()  # migrated on the primary
    read_only = url + "?options=-c%20default_transaction_read_only%3Don"
    where = ["--data", str(tmp_path), "--database", read_only]
    assert main(["migrate", "--check", *where]) == 0
    assert main(["verify", *where]) == 0
    assert "verified 0 devices" in capsys.readouterr().out
    db = PostgresDatabase(read_only, pool_size=1)
    try:
        with pytest.raises(Exception, match="read-only transaction"), db.transaction() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    finally:
        db.close()
