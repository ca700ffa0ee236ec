"""A computer with no Chinese font, for a process of its own: a fontconfig file that finds only
the DejaVu fonts (set it as ``FONTCONFIG_FILE``)."""

from __future__ import annotations

from pathlib import Path

import pytest

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def fonts_without_chinese(folder: Path) -> Path:
    """Write the fontconfig file into ``folder`` and return its path (skips where DejaVu is not
    installed there)."""
    if not DEJAVU.is_dir():
        pytest.skip("DejaVu fonts are not installed here")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{DEJAVU}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return config
