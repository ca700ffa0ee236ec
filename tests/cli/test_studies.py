"""``crf studies`` and ``crf schedule``: the protocols checked from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_crf.cli import main

CRF = Path(sys.executable).with_name("crf")


def test_studies_lists_both_with_version_arms_and_visit_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["studies", "--json"]) == 0
    studies = {s["id"]: s for s in json.loads(capsys.readouterr().out)}
    assert studies["NCT07553767"]["version"] == "1.0"
    assert [a["code"] for a in studies["NCT07553767"]["arms"]] == ["PEG_NA", "NA"]
    assert studies["NCT07553767"]["visits"] == 19
    assert studies["PEG-HCC-RECUR-3Y"]["visits"] == 14
    assert studies["PEG-HCC-RECUR-3Y"]["target_enrollment"] == 332


def test_schedule_json_has_every_visit_with_target_and_window(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schedule", "PEG-HCC-RECUR-3Y", "--anchor", "2026-01-15", "--json"]) == 0
    schedule = json.loads(capsys.readouterr().out)
    visits = {v["oid"]: v for v in schedule["visits"]}
    assert len(visits) == 14
    assert visits["SE.W12"] == visits["SE.W12"] | {
        "target": "2026-04-09",
        "earliest": "2026-04-02",
        "latest": "2026-04-16",
        "default_window": False,
    }
    assert visits["SE.W156"]["target"] == "2029-01-11"  # day 1092; 2028 is a leap year
    assert visits["SE.BASELINE"]["latest"] < visits["SE.W12"]["earliest"]


def test_schedule_table_marks_the_default_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "NCT07553767", "--anchor", "2026-03-31"]) == 0
    out = capsys.readouterr().out
    assert "SE.W240" in out
    assert "2030-11-05" in out  # week 240 = day 1680
    assert "Week 12 *" in out
    assert "default window ± 7 days" in out


def test_unknown_study_and_bad_anchor_are_known_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "NCT00000000", "--anchor", "2026-03-31"]) == 2
    assert "NCT07553767" in capsys.readouterr().err
    assert main(["schedule", "NCT07553767", "--anchor", "31/03/2026"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_schedule_through_the_installed_command() -> None:
    done = subprocess.run(
        [str(CRF), "schedule", "NCT07553767", "--anchor", "2026-03-31", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    weeks = [
        v["day"] // 7 for v in json.loads(done.stdout)["visits"] if v["oid"].startswith("SE.W")
    ]
    assert weeks == [0, 12, 24, 36, 48, 60, 72, 96, 120, 144, 168, 192, 216, 240]
