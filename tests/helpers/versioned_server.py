"""A real server on 127.0.0.1 that can be served again with other app versions (a restart
over the same database), for the update-notice tests of the services and of the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop_crf import __version__
from sync.protocol import parse_version
from sync.server.app import create_app
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings
from tests.sync.servers import ThreadServer

NEWER = f"{parse_version(__version__)[0] + 1}.0"  # above this app, whatever its version


class _Noted:
    """The server's access log, in the test: each HTTP request it answered (method, path and
    status), outside everything of the app."""

    def __init__(self, app: ASGIApp, seen: list[tuple[str, str, int]]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.seen.append((scope["method"], scope["path"], int(message["status"])))
            await send(message)

        await self.app(scope, receive, noting)


class Server:
    """One server database, served again with other app versions (a restart)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = SqliteDatabase(folder / "server.sqlite3")
        self.live: ThreadServer | None = None
        #: every request answered, in order: (method, path, status)
        self.requests: list[tuple[str, str, int]] = []

    def serve(self, **versions: str) -> str:
        self.stop()
        settings = ServerSettings(data_dir=self.folder, admin_token="admin-secret", **versions)
        app: Any = _Noted(create_app(settings, db=self.db), self.requests)
        self.live = ThreadServer(app).__enter__()
        return self.live.url

    def stop(self) -> None:
        if self.live is not None:
            self.live.__exit__(None, None, None)
            self.live = None

    def stored(self) -> int:
        """How many records the server's feed holds."""
        with self.db.transaction() as tx:
            return int(tx.one("SELECT COUNT(*) FROM feed")[0])


@pytest.fixture(name="server")
def versioned_server(tmp_path: Path) -> Iterator[Server]:
    """The test's server (import this fixture into a test module to use it as ``server``)."""
    served = Server(tmp_path / "server")
    yield served
    served.stop()
    served.db.close()
