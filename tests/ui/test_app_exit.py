"""The app leaves the way it came: started on a site and closed, the process exits with 0.

A process that drops the controller without its shutdown (the launch bench's child did) ended
with SIGBUS now and then: Qt destroyed its objects after Python had dropped their owners. The
app shuts the controller down when Qt is about to quit, then shuts Qt down itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_app_quits_cleanly_every_time(site_dir: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # the app remembers the site it opened
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    codes = []
    for _ in range(4):
        done = subprocess.run(
            [sys.executable, "-m", "tests.ui.app_child", str(site_dir)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        codes.append(done.returncode)
    assert codes == [0, 0, 0, 0], done.stderr[-2000:]
