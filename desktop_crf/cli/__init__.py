"""The ``crf`` command: site administration and scripting without the GUI.

Each module of this package registers one group of sub-commands through ``register(subparsers)``;
a command's handler takes the parsed arguments and returns the exit code. Known errors are printed
as their message (exit 2 by default, or the code the command chose); anything else is a bug and
shows its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop_crf.services.failures import known_failure

#: Modules that add sub-commands, in the order ``crf --help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "desktop_crf.cli.site",
    "desktop_crf.cli.studies",
    "desktop_crf.cli.instruments",
    "desktop_crf.cli.sync",
    "desktop_crf.cli.labs",
    "desktop_crf.cli.exports",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crf", description="desktop-crf: site administration and scripting."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except Exception as exc:
        known = known_failure(exc)  # a damaged page found while reading, a full disk…
        if known is None:
            raise
        print(f"crf: {known}", file=sys.stderr)
        return int(getattr(known, "exit_code", 2))
    except KeyboardInterrupt:
        print("crf: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
