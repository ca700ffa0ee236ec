"""``scripts/system-deps.sh`` decides what is missing from real-sized listings, every time.

The check of the CJK font was ``fc-list | grep -qi cjk`` under ``pipefail``: grep exits at the
first match, ``fc-list`` (still writing a long listing) dies of SIGPIPE, and the pipeline
fails, so about half the launches thought the font missing and ran ``apt-get`` as root. Here
``fc-list`` and ``ldconfig`` are stand-ins that print listings as long as a desktop's, the
match first, and the script is run many times: it must never call a present package missing.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system-deps.sh"
RUNS = 25
PADDING = 8_000  # lines after the match (~400 kB): far more than a pipe holds


def _tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/usr/bin/env bash\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    """``ldconfig`` listing every library the script asks about, ``fc-list`` with a CJK font,
    both first and followed by a long listing; ``id`` says "not root", so nothing is ever
    installed; ``apt-get`` notes that it was called."""
    folder = tmp_path / "bin"
    folder.mkdir()
    libraries = sorted(set(re.findall(r"lib[\w+-]+\.so\.\d+", SCRIPT.read_text())))
    listed = "".join(
        f"printf '\\t%s (libc6,x86-64) => /usr/lib/%s\\n' {n} {n}\n" for n in libraries
    )
    padding = f"seq {PADDING} | sed 's|.*|\\tlibpadding&.so.1 (libc6,x86-64) => /usr/lib/x|'\n"
    _tool(folder, "ldconfig", listed + padding)
    fonts = "echo '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc: Noto Sans CJK SC'\n"
    more = (
        f"seq {PADDING} | sed 's|.*|/usr/share/fonts/truetype/font&.ttf: Font &:style=Regular|'\n"
    )
    _tool(folder, "fc-list", fonts + more)
    _tool(folder, "id", "echo 1000\n")
    _tool(folder, "apt-get", f'echo called >> "{tmp_path}/apt-get.log"\n')
    return folder


def run(fake_bin: Path, option: str = "--gui") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", str(SCRIPT), option], env=env, capture_output=True, text=True, timeout=60
    )


def test_present_fonts_and_libraries_are_found_every_time(fake_bin: Path) -> None:
    for attempt in range(RUNS):
        result = run(fake_bin)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), attempt
    assert not (fake_bin.parent / "apt-get.log").exists()


@pytest.mark.parametrize("option", ["--gui", "--browser"])
def test_a_missing_cjk_font_is_still_reported(fake_bin: Path, option: str) -> None:
    """``make run`` (``--gui``) and ``make test`` (``--browser``) both need it: without one the
    app refuses to print a casebook, whose Chinese labels a test reads back."""
    # fc-list finds fonts, none of them for Chinese: asked for those only, it lists nothing
    _tool(
        fake_bin,
        "fc-list",
        'case "$*" in *lang=zh*) ;; *) echo "/fonts/DejaVuSans.ttf: DejaVu";; esac\n',
    )
    for browser in ("chromium", "chromedriver"):
        _tool(fake_bin, browser, "exit 0\n")
    result = run(fake_bin, option)
    assert result.returncode == 0
    assert result.stderr.endswith(
        "missing system packages (the app, its PDFs or its tests need them): fonts-noto-cjk\n"
    )


def test_the_old_pipeline_check_does_fail_on_such_a_listing(fake_bin: Path) -> None:
    """The stand-in reproduces the bug: the pipeline form fails although the font is there."""
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"}
    failed = 0
    for _ in range(5):
        check = subprocess.run(
            ["bash", "-c", "set -o pipefail; fc-list 2>/dev/null | grep -qi cjk"],
            env=env,
            capture_output=True,
            timeout=60,
        )
        failed += check.returncode != 0
    assert failed > 0


def test_fontconfig_is_asked_for_when_fc_list_is_missing(fake_bin: Path) -> None:
    """Without ``fc-list`` (package fontconfig, which neither Qt's libraries nor the fonts
    bring) no font can be found: both are asked for, instead of the font alone at every run."""
    for name in ("bash", "grep", "seq", "sed", "env"):
        found = shutil.which(name)
        assert found is not None
        (fake_bin / name).symlink_to(found)
    (fake_bin / "fc-list").unlink()
    env = {**os.environ, "PATH": str(fake_bin)}
    result = subprocess.run(
        [str(fake_bin / "bash"), str(SCRIPT), "--gui"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    wanted = result.stderr.rsplit(": ", 1)[-1].split()
    assert {"fontconfig", "fonts-noto-cjk"} <= set(wanted)
