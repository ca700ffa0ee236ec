"""Every string the UI shows has its Simplified Chinese translation."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop_crf.i18n import LANGUAGES, ts_path, unfinished, update_sources


def test_every_ui_string_is_translated(tmp_path: Path) -> None:
    for language in LANGUAGES:
        copy = tmp_path / ts_path(language).name
        shutil.copy(ts_path(language), copy)
        update_sources([copy])  # adds any tr() string of the sources that the .ts lacks
        assert unfinished(copy) == []


def test_a_new_string_shows_as_untranslated(tmp_path: Path) -> None:
    copy = tmp_path / "empty.ts"
    copy.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="zh_CN"></TS>\n',
        encoding="utf-8",
    )
    update_sources([copy])
    assert "Sync now" in unfinished(copy)
