"""A crash mid-draft (the process killed) loses nothing typed before the last autosave tick."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import pending_autosave
from desktop_crf.services.subjects import screen_subject
from tests.helpers.sites import login

pytestmark = pytest.mark.gui


def test_killed_mid_draft_keeps_what_was_autosaved(site_dir: Path) -> None:
    nurse = login(site_dir, "nurse")
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-03-20").subject_id
    nurse.close()
    assert subject is not None
    repo_root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(repo_root)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.crash_child", str(site_dir), subject],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=repo_root,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    nurse = login(site_dir, "nurse")
    try:
        draft = pending_autosave(nurse, FormKey(subject, "SE.W12", "F.VISIT"))
    finally:
        nurse.close()
    assert draft is not None
    assert draft["fields"]["I.VISIT_DATE"][0] == "2026-06-10"
