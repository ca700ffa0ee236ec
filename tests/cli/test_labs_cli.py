"""``crf labs`` run as a data manager's file would be: as a subprocess, password on stdin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_crf.cli import main

HEADER = "laboratory,analyte,unit,sex,age_from,age_to,lln,uln,valid_from\n"
GOOD = (
    HEADER
    + "Central lab,ALT,U/L,,,,7,40,2026-01-01\nCentral lab,PLT,10^9/L,,,,125,350,2026-01-01\n"
)


def crf(*args: str, stdin: str = "admin-password\n") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_crf.cli", *args, "--password-stdin"],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["labs"],
        ["labs", "import"],
        ["labs", "ranges"],
        ["labs", "ranges", "import"],
        ["labs", "ranges", "list"],
    ],
)
def test_every_labs_command_has_help(command: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: crf labs" in capsys.readouterr().out


def test_ranges_import_refuses_a_bad_file_whole_then_imports_a_good_one_once(
    site_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "Central lab,ALT,U/L,,,,50,40,2027-01-01\n", encoding="utf-8")
    refused = crf("labs", "ranges", "import", str(site_dir), str(bad), "--user", "admin")
    assert refused.returncode == 1, refused.stderr
    assert "row 4: refused — LLN 50 is not below ULN 40" in refused.stdout
    assert "Nothing was imported" in refused.stderr

    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    dry = crf("labs", "ranges", "import", str(site_dir), str(good), "--user", "admin", "--dry-run")
    assert "rows would be 2 new" in dry.stdout
    done = crf("labs", "ranges", "import", str(site_dir), str(good), "--user", "admin")
    assert done.returncode == 0, done.stderr
    assert "rows were 2 new, 0 corrected, 0 unchanged, 0 refused" in done.stdout
    again = crf("labs", "ranges", "import", str(site_dir), str(good), "--user", "admin")
    assert "rows were 0 new, 0 corrected, 2 unchanged, 0 refused" in again.stdout

    listed = crf(
        "labs", "ranges", "list", str(site_dir), "--user", "nurse", stdin="nurse-password\n"
    )
    assert listed.returncode == 0, listed.stderr
    assert "Central lab · I.ALT · all · 7 to 40 U/L · from 2026-01-01 · admin" in listed.stdout
    denied = crf(
        "labs",
        "ranges",
        "import",
        str(site_dir),
        str(good),
        "--user",
        "nurse",
        stdin="nurse-password\n",
    )
    assert denied.returncode == 2
    assert "may not record the laboratories' reference ranges" in denied.stderr


def test_labs_import_previews_then_commits_once(site_dir: Path, tmp_path: Path) -> None:
    from tests.helpers.lab_files import lab_site, lis_export

    site = lab_site(site_dir)
    export = tmp_path / "lis.csv"
    export.write_text(lis_export(site), encoding="utf-8")
    args = ("labs", "import", str(site_dir), str(export), "--user", "nurse")
    preview = crf(*args, stdin="nurse-password\n")
    assert preview.returncode == 0, preview.stderr
    assert f"row 2: import {site.a} · SE.W12 · ALT = 45 U/L [H]" in preview.stdout
    assert "row 4: import" in preview.stdout
    assert "1.2 mg/dL (= 20.52 umol/L)" in preview.stdout
    assert "row 9: refused — unit mmol/L cannot be converted" in preview.stdout
    assert "row 13: refused — the form is signed" in preview.stdout
    assert "Nothing was written" in preview.stdout
    done = crf(*args, "--commit", stdin="nurse-password\n")
    assert done.returncode == 0, done.stderr
    assert "Imported 6 values; 1 changes held back (give --reason to make them)." in done.stdout
    again = crf(*args, "--commit", stdin="nurse-password\n")
    assert "6 saved already" in again.stdout
    assert "Imported 0 values" in again.stdout
