"""``crf instruments``: the questionnaire wordings of a site (``import-wording``, ``wordings``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_crf.cli.passwords import add_password_stdin, passwords, signed_in
from desktop_crf.services import wordings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = subparsers.add_parser(
        "instruments",
        help="questionnaire wordings of a site (import, list)",
        description="The wordings of the EORTC QLQ-C30 this device can show patients. English "
        "is bundled; other languages come from the wording file of the official EORTC "
        "translation the site obtains (format: docs/tablet.md).",
    )
    commands = group.add_subparsers(dest="instruments_command", metavar="COMMAND", required=True)
    p = commands.add_parser(
        "import-wording",
        help="import a QLQ-C30 wording file",
        description="Check a QLQ-C30 wording file (the 30 items, the answer labels, both ends of "
        "the 1-7 scale of items 29-30, the language, whether it is EORTC's official "
        "translation, its version) and store it on this device; refused with the reason when "
        "anything is missing. Audited. A later file of the same language replaces it for new "
        "questionnaires; answers keep the fingerprint of the wording they were given in.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("file", type=Path, help="the wording file (JSON, UTF-8)")
    p.add_argument("--user", required=True, metavar="NAME", help="an admin or investigator")
    add_password_stdin(p)
    p.set_defaults(handler=_run_import)
    p = commands.add_parser(
        "wordings",
        help="list the QLQ-C30 wordings of this device",
        description="List the QLQ-C30 wordings a patient can choose on this device: language, "
        "official or not, bundled or imported, and fingerprint.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("--user", required=True, metavar="NAME")
    add_password_stdin(p)
    p.set_defaults(handler=_run_list)


def _run_import(args: argparse.Namespace) -> int:
    content = wordings.read_wording_file(args.file)  # refused before any password is asked
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        imported = wordings.import_wording(s, content, where=args.file.name)
    kind = "official EORTC translation" if imported.official else "NOT an official translation"
    print(f"Imported the QLQ-C30 wording {imported.language} ({kind}), {imported.fingerprint}.")
    return 0


def _run_list(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        choices = wordings.installed_wordings(s)
    for choice in choices:
        kind = "official" if choice.official else "not official"
        where = "bundled" if choice.bundled else "imported"
        print(f"{choice.language}\t{kind}\t{where}\t{choice.fingerprint}\t{choice.source}")
    return 0
