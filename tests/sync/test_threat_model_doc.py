"""docs/threat-model.md names, for each threat, tests that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "threat-model.md").read_text(encoding="utf-8")


def _threat_rows() -> list[list[str]]:
    section = DOC.split("## Threats", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return rows[2:]  # after the header and its rule


def test_every_threat_names_tests_that_exist() -> None:
    rows = _threat_rows()
    assert len(rows) >= 20
    for cells in rows:
        assert len(cells) == 4, cells[0]
        shown = re.findall(r"`([^`]+)`", cells[3])
        assert shown, cells[0]
        source: Path | None = None
        for token in shown:
            path, _, name = token.partition("::")
            if path:
                source = ROOT / "tests" / path
                assert source.is_file(), token
            assert source is not None, token
            if name:
                assert f"def {name}(" in source.read_text(encoding="utf-8"), token
