"""Real servers for tests: uvicorn on 127.0.0.1 in a thread or a process, PostgreSQL, a proxy."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThreadServer:
    """uvicorn serving ``app`` on 127.0.0.1 from a thread of the test process."""

    def __init__(self, app: FastAPI) -> None:
        # proto=IPPROTO_TCP, so that asyncio sets TCP_NODELAY on accepted connections
        # (it checks the protocol number); without it every answer waits ~40 ms for an ACK.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.bind(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])
        config = uvicorn.Config(
            app,
            log_level="error",
            access_log=False,
            timeout_keep_alive=30,
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self._sock]})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self._sock.close()


class ProcessServer:
    """``crf-server serve`` in a child process, which a test may kill and start again."""

    def __init__(
        self,
        data: Path,
        *,
        database: str | None = None,
        port: int | None = None,
        extra: tuple[str, ...] = (),
    ):
        self.data = data
        self.database = database
        self.extra = extra
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ProcessServer:
        cmd = [
            sys.executable,
            "-m",
            "sync.server.cli",
            "serve",
            "--data",
            str(self.data),
            "--port",
            str(self.port),
        ]
        if self.database:
            cmd += ["--database", self.database]
        cmd += self.extra
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/v1/health", timeout=1).status_code == 200:
                    return self
            if self.proc.poll() is not None:
                raise RuntimeError("crf-server exited at start")
            time.sleep(0.05)
        raise RuntimeError("crf-server did not answer")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
            self.proc = None


@contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """Start a throwaway PostgreSQL with scripts/postgres.sh; yield its URL.

    Raises:
        RuntimeError: when no PostgreSQL can be had on this machine (exit status 3).
    """
    script = ROOT / "scripts" / "postgres.sh"
    port = free_port()
    done = subprocess.run(
        ["bash", str(script), "start", str(folder), str(port)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"PostgreSQL could not be started: {done.stderr.strip()}")
    try:
        yield done.stdout.strip()
    finally:
        subprocess.run(["bash", str(script), "stop", str(folder)], check=False)


def restart_postgres(folder: Path) -> None:
    """Restart the PostgreSQL of ``folder`` (fast: every open connection is cut)."""
    script = ROOT / "scripts" / "postgres.sh"
    subprocess.run(["bash", str(script), "restart", str(folder)], check=True, timeout=90)


def fresh_postgres_database(url: str) -> str:
    """Create an empty database on the server at ``url``; return its URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


class CutProxy:
    """A TCP proxy that, per connection, drops or stalls after N bytes in one direction.

    ``plan()`` is asked for each new connection and returns None (pass through) or
    ``(direction, n_bytes, mode)``: direction ``"up"`` (client to server) or ``"down"``, mode
    ``"drop"`` (close both sides) or ``"stall"`` (stop forwarding; the client times out).
    """

    def __init__(self, upstream_port: int, plan: Callable[[], tuple[str, int, str] | None]):
        self.upstream_port = upstream_port
        self.plan = plan
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = int(self.listener.getsockname()[1])
        self.cuts = 0
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed.set()
        self.listener.close()
        for sock in self._sockets:
            with suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sockets += [client, upstream]
            plan = self.plan()
            for src, dst, direction in ((client, upstream, "up"), (upstream, client, "down")):
                limit = plan[1] if plan and plan[0] == direction else None
                mode = plan[2] if plan else "drop"
                threading.Thread(
                    target=self._pump, args=(src, dst, limit, mode, client, upstream), daemon=True
                ).start()

    def _pump(self, src, dst, limit, mode, *both) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(0, limit - sent)])
                    self.cuts += 1
                    if mode == "stall":
                        self._closed.wait(30)
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        for sock in both:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with suppress(OSError):
                sock.close()
