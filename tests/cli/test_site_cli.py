"""The ``crf`` site commands, run as a person would: as a subprocess with passwords on stdin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_crf.cli import build_parser, main


def crf(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_crf.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_every_command_has_help() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"init-site", "add-user", "verify-audit", "demo"} <= set(commands)
    for name, sub in commands.items():
        assert sub.description, f"crf {name} has no description"
        with pytest.raises(SystemExit) as exit_:
            main([name, "--help"])
        assert exit_.value.code == 0


def test_init_site_then_add_user_then_verify(tmp_path: Path) -> None:
    site = tmp_path / "nb02"
    made = crf(
        "init-site",
        str(site),
        "--study",
        "NCT07553767",
        "--site",
        "NB02",
        "--admin",
        "admin",
        "--password-stdin",
        stdin="admin-secret\nadmin-secret\n",
    )
    assert made.returncode == 0, made.stderr
    assert "Recovery key" in made.stdout
    again = crf(
        "init-site",
        str(site),
        "--study",
        "NCT07553767",
        "--site",
        "NB02",
        "--admin",
        "admin",
        "--password-stdin",
        stdin="x-secret-1\nx-secret-1\n",
    )
    assert again.returncode == 2
    assert "already exists" in again.stderr

    added = crf(
        "add-user",
        str(site),
        "nurse",
        "--role",
        "nurse",
        "--admin",
        "admin",
        "--password-stdin",
        stdin="admin-secret\nnurse-secret\nnurse-secret\n",
    )
    assert added.returncode == 0, added.stderr

    ok = crf(
        "verify-audit", str(site), "--user", "nurse", "--password-stdin", stdin="nurse-secret\n"
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().startswith("audit chain OK:")
    assert int(ok.stdout.split(":")[1].split()[0]) >= 4

    wrong = crf(
        "verify-audit", str(site), "--user", "nurse", "--password-stdin", stdin="nope-nope\n"
    )
    assert wrong.returncode == 2
    assert "not correct" in wrong.stderr


def test_mismatched_new_passwords_change_nothing(tmp_path: Path) -> None:
    result = crf(
        "init-site",
        str(tmp_path / "s"),
        "--study",
        "X1",
        "--site",
        "S1",
        "--admin",
        "admin",
        "--password-stdin",
        stdin="one-secret\ntwo-secret\n",
    )
    assert result.returncode == 2
    assert "do not match" in result.stderr
    assert not (tmp_path / "s").exists()
