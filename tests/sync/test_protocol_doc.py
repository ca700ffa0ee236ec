"""docs/sync-protocol.md documents every endpoint, every error code and every server command."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sync.server.app import create_app
from sync.server.cli import build_parser
from sync.server.db import SqliteDatabase
from sync.server.settings import ServerSettings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sync-protocol.md").read_text()
SOURCES = Path(__file__).resolve().parents[2] / "sync"


def test_every_endpoint_is_documented(tmp_path) -> None:
    db = SqliteDatabase(tmp_path / "s.sqlite3")
    paths = create_app(ServerSettings(data_dir=tmp_path), db=db).openapi()["paths"]
    db.close()
    assert len(paths) >= 7
    for path, operations in paths.items():
        for method in operations:
            assert f"`{method.upper()} {path.split('{')[0]}" in DOC, (method, path)


def test_every_error_code_is_documented() -> None:
    codes = set()
    for source in SOURCES.rglob("*.py"):
        text = source.read_text()
        codes |= set(re.findall(r'ApiError\(\s*\d+,\s*"([a-z_]+)"', text))
        codes |= set(re.findall(r'_refuse\([^)]*?\d+, "([a-z_]+)"', text, re.S))
        codes |= set(re.findall(r'ChangeSetError\("([a-z_]+)"', text))
        codes |= set(re.findall(r'super\(\).__init__\("([a-z_]+)"', text))
    assert {"sequence_gap", "bad_signature", "device_revoked", "schema"} <= codes
    for code in codes:
        assert f"`{code}`" in DOC, code


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    if parser._subparsers is None:
        return {}
    return dict(parser._subparsers._group_actions[0].choices)  # type: ignore[attr-defined]


def test_every_server_command_is_documented() -> None:
    for name, command in _subcommands(build_parser()).items():
        assert f"crf-server {name}" in DOC, name
        for action in _subcommands(command):
            assert f"crf-server {name} {action}" in DOC, (name, action)
