"""Passwords for the CLI: from a prompt, or with ``--password-stdin`` one per line in the order
the prompts would ask them (the acting user's first, then a new password and its confirmation).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Iterator
from pathlib import Path

from desktop_crf.errors import InvalidInput
from desktop_crf.services import site
from desktop_crf.services.session import Session


class PasswordSource:
    def __init__(self, from_stdin: bool) -> None:
        self._from_stdin = from_stdin

    def ask(self, prompt: str) -> str:
        if self._from_stdin:
            line = sys.stdin.readline()
            if not line:
                raise InvalidInput(f"Expected a password on standard input for: {prompt}")
            return line.rstrip("\r\n")
        return getpass.getpass(f"{prompt}: ")

    def ask_new(self, prompt: str) -> str:
        first = self.ask(prompt)
        if self.ask(f"{prompt} (again)") != first:
            raise InvalidInput("The two passwords do not match. Nothing was changed.")
        return first


def add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read passwords from standard input, one per line, in the order they are asked",
    )


def passwords(args: argparse.Namespace) -> PasswordSource:
    return PasswordSource(bool(getattr(args, "password_stdin", False)))


@contextlib.contextmanager
def signed_in(root: Path, user: str, password: str) -> Iterator[Session]:
    """Unlock the site as ``user`` for one command; log out (audited) however it ends."""
    session = site.unlock(root, user, password)
    try:
        yield session
    except BaseException:
        # The failure that stopped the command is the one to report: signing out may fail
        # for the same reason (a damaged file) and must not hide it.
        with contextlib.suppress(Exception):
            site.logout(session)
        session.close()
        raise
    site.logout(session)
