"""SIGKILL a process that is saving forms, at random moments, many times: every save it reported
committed is there afterwards and the audit chain verifies."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import load_form
from desktop_crf.services.subjects import screen_subject
from tests.helpers.sites import PASSWORDS, login

KILLS = 50
CHILD = Path(__file__).with_name("crash_child.py")


def _run_and_kill(site_dir: Path, subject: str, start: int, rng: random.Random) -> list[int]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(site_dir), subject, str(start), PASSWORDS["nurse"]],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.15))
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate()
    return [int(line.split()[1]) for line in out.splitlines() if line.startswith("saved ")]


@pytest.mark.slow
def test_sigkill_mid_save_loses_nothing_reported_committed(site_dir: Path) -> None:
    rng = random.Random(20261122)
    nurse = login(site_dir, "nurse")
    subject = screen_subject(nurse, study_version="1.0", screened_on="2026-10-01").subject_id
    nurse.close()
    committed: list[int] = []
    next_n = 1
    for _ in range(KILLS):
        saved = _run_and_kill(site_dir, subject, next_n, rng)
        committed += saved
        next_n = (saved[-1] if saved else next_n) + 1000  # the killed save may have landed
        monitor = site.unlock(site_dir, "monitor", PASSWORDS["monitor"])
        try:
            assert site.verify_audit(monitor).ok
            for n in saved:
                form = load_form(monitor, FormKey(subject, f"SE.V{n}", "F.LAB_LIVER"))
                assert form.status == "complete"
                assert form.value("IG.SAMPLE", "I.LAB_NAME") == f"run {n}"
        finally:
            monitor.close()
    # the loop really was killed mid-work, not before it began (a busy machine saves fewer per run)
    assert len(committed) >= KILLS // 2
