"""A real headless Chromium driven through its WebDriver (chromedriver's W3C HTTP protocol,
spoken with httpx), for tests that look at a page as a browser renders it.

The browser comes from the project's own script (``scripts/system-deps.sh --browser``), run
here when it is missing and the tests run as root (as CI does); elsewhere the test is skipped
with what to install.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def browser_binaries() -> tuple[str, str]:
    """(chromium, chromedriver), installing them with the project's script when missing and
    allowed; skips the test otherwise."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if (chromium is None or driver is None) and os.geteuid() == 0:
        subprocess.run(["bash", str(ROOT / "scripts" / "system-deps.sh"), "--browser"], check=True)
        chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.skip("needs chromium and chromedriver: bash scripts/system-deps.sh --browser")
    return chromium, driver


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    """One WebDriver session."""

    def __init__(self, client: httpx.Client, session: str) -> None:
        self.client, self.session = client, session

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.client.request(method, f"/session/{self.session}{path}", json=body)
        response.raise_for_status()
        return response.json()["value"]

    def open(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})

    def run(self, script: str) -> Any:
        """The value a script returns in the page."""
        return self._call("POST", "/execute/sync", {"script": script, "args": []})

    def screenshot(self) -> bytes:
        """The viewport as PNG bytes."""
        return base64.b64decode(self._call("GET", "/screenshot"))

    def console(self) -> list[dict[str, Any]]:
        """The browser's console messages since the last call (level, message)."""
        return list(self._call("POST", "/se/log", {"type": "browser"}))

    def resize(self, width: int, height: int) -> None:
        self._call("POST", "/window/rect", {"width": width, "height": height})


@contextmanager
def headless_browser(profile: Path, *, width: int = 1280, height: int = 900) -> Iterator[Browser]:
    """Start chromedriver and a headless Chromium with a fresh profile; stop both after."""
    chromium, driver = browser_binaries()
    port = _free_port()
    log = profile / "chromedriver.log"
    profile.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [driver, f"--port={port}", f"--log-path={log}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            deadline = time.monotonic() + 20
            while True:
                try:
                    if client.get("/status").json()["value"]["ready"]:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("chromedriver did not start")
                time.sleep(0.1)
            options = {
                "binary": chromium,
                "args": [
                    *CHROMIUM_ARGS,
                    f"--user-data-dir={profile / 'chromium'}",
                    f"--window-size={width},{height}",
                ],
            }
            capabilities = {
                "browserName": "chrome",
                "goog:chromeOptions": options,
                "goog:loggingPrefs": {"browser": "ALL"},
            }
            created = client.post("/session", json={"capabilities": {"alwaysMatch": capabilities}})
            created.raise_for_status()
            session = created.json()["value"]["sessionId"]
            try:
                yield Browser(client, session)
            finally:
                client.delete(f"/session/{session}")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
