"""A signed request's device lookup runs on the event loop when the database need not be waited
for (SQLite, its one connection free), and on a thread otherwise: it never holds the event loop
up behind a writer of this server or of another process, and every check stays as it was."""

from __future__ import annotations

import sqlite3
import threading
import time

import httpx
import pytest

from sync.requestauth import sign_request
from sync.server.app import create_app
from sync.server.db import Database, SqliteDatabase, WouldWait
from sync.server.registry import read_device
from sync.server.settings import ServerSettings
from tests.sync.servers import ThreadServer
from tests.sync.sync_support import PROTOCOL, enrol_device


def _meta(tx) -> list[str]:
    return [str(r[0]) for r in tx.all("SELECT key FROM meta WHERE key LIKE 'at-once-%'")]


def test_a_read_runs_at_once_on_a_free_database_and_says_when_it_would_wait(
    database: Database,
) -> None:
    if database.dialect != "sqlite":
        with pytest.raises(WouldWait):  # every PostgreSQL read is a round trip: on a thread
            database.read_at_once(_meta)
        return
    with database.transaction() as tx:
        tx.execute("INSERT INTO meta (key, value) VALUES ('at-once-1', 'x')")
    assert database.read_at_once(_meta) == ["at-once-1"]
    held, release = threading.Event(), threading.Event()

    def writer() -> None:
        with database.transaction() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES ('at-once-2', 'x')")
            held.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    held.wait(10)
    try:
        started = time.monotonic()
        with pytest.raises(WouldWait):  # a thread of the server holds the connection
            database.read_at_once(_meta)
        assert time.monotonic() - started < 0.5
    finally:
        release.set()
        thread.join(10)
    assert database.read_at_once(_meta) == ["at-once-1", "at-once-2"]


def test_a_writer_of_another_process_does_not_hold_the_read_up(tmp_path) -> None:
    database = SqliteDatabase(tmp_path / "server.sqlite3")
    other = sqlite3.connect(tmp_path / "server.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # as ``crf-server token`` writing meanwhile
        other.execute("INSERT INTO meta (key, value) VALUES ('at-once-3', 'x')")
        started = time.monotonic()
        assert database.read_at_once(_meta) == []  # what is committed, without waiting
        assert time.monotonic() - started < 0.5
        other.execute("COMMIT")
        assert database.read_at_once(_meta) == ["at-once-3"]
    finally:
        other.close()
        database.close()


def test_a_thread_inside_a_transaction_reads_on_another_thread(tmp_path) -> None:
    """The connection's lock is reentrant: its own holder, mid-transaction, must not read at
    once (its BEGIN would fail, and the read's COMMIT would end the holder's transaction)."""
    database = SqliteDatabase(tmp_path / "server.sqlite3")
    try:
        with database.transaction() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES ('at-once-4', 'x')")
            with pytest.raises(WouldWait):
                database.read_at_once(_meta)
            tx.execute("INSERT INTO meta (key, value) VALUES ('at-once-5', 'x')")
        assert database.read_at_once(_meta) == ["at-once-4", "at-once-5"]
    finally:
        database.close()


def test_a_read_at_once_never_waits_for_a_lock_and_a_failed_one_goes_to_a_thread(
    tmp_path,
) -> None:
    """On the event loop a lock held elsewhere (a WAL recovery, say) is not waited for: the
    read fails at once and is done again on a thread; the connection waits as before after."""
    database = SqliteDatabase(tmp_path / "server.sqlite3")

    def busy(tx) -> None:
        raise sqlite3.OperationalError("database is locked")

    try:
        assert database.read_at_once(lambda tx: tx.one("PRAGMA busy_timeout")[0]) == 0
        with pytest.raises(WouldWait):
            database.read_at_once(busy)
        with database.transaction() as tx:
            assert tx.one("PRAGMA busy_timeout")[0] == 5000
            assert not tx.all("SELECT key FROM meta WHERE key = 'x'")
    finally:
        database.close()


def test_a_signed_request_is_answered_while_a_thread_holds_the_database(tmp_path) -> None:
    database = SqliteDatabase(tmp_path / "server.sqlite3")
    settings = ServerSettings(data_dir=tmp_path)
    with (
        ThreadServer(create_app(settings, db=database)) as live,
        httpx.Client(base_url=live.url, headers=PROTOCOL, timeout=30) as http,
    ):
        identity, _ = enrol_device(http, database, "nurse-pc")
        path = "/v1/devices/nurse-pc"

        def state() -> httpx.Response:
            signed = sign_request(identity.private_key, "nurse-pc", "GET", path)
            return http.get(path, headers=signed)

        assert state().json()["status"] == "active"  # read on the event loop
        answers: list[httpx.Response] = []
        with database.transaction():  # an upload, say, holds the connection
            asking = threading.Thread(target=lambda: answers.append(state()))
            asking.start()
            time.sleep(0.3)
            assert http.get("/v1/health").status_code == 200  # the event loop is not held up
            assert answers == []  # the lookup waits on a thread
        asking.join(10)
        assert answers[0].status_code == 200
        assert answers[0].json()["last_seq"] == 0
        with database.transaction() as tx:
            assert read_device(tx, "nurse-pc") is not None
        wrong = sign_request(identity.private_key, "nurse-pc", "GET", "/v1/devices/other")
        assert http.get(path, headers=wrong).status_code == 401  # the signature still checked
    database.close()
