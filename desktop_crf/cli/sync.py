"""``crf`` commands that talk to the central server: enroll, sync."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_crf.cli.passwords import add_password_stdin, passwords, signed_in
from desktop_crf.services import sync as sync_service


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _enroll(subparsers)
    _sync(subparsers)


def _enroll(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "enroll",
        help="register this computer with the sync server",
        description="Register this computer's signing key with the central server using a "
        "one-time enrolment token (from 'crf-server token'). Asks for the user's password.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("--server", required=True, metavar="URL", help="e.g. https://crf.example.org")
    p.add_argument("--token", required=True, help="one-time enrolment token")
    p.add_argument("--user", required=True, metavar="NAME")
    p.add_argument("--label", default="", help="how the server lists this computer")
    add_password_stdin(p)
    p.set_defaults(handler=_run_enroll)


def _run_enroll(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        answer = sync_service.enroll_device(
            s, server_url=args.server, token=args.token, label=args.label
        )
    print(f"Enrolled device {answer['device']} for site {answer['site']} with {args.server}")
    return 0


def _sync(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "sync",
        help="send pending changes to the server and fetch the site's news (one round)",
        description="One sync round: upload every pending change in signed change sets, then "
        "pull other devices' changes and monitors' queries. Prints 'uploaded N entries in M "
        "change sets; pulled K entries'. Exits 3 with the reason when the round stops; nothing "
        "is lost and the next round carries on.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("--user", required=True, metavar="NAME")
    p.add_argument("--server", metavar="URL", help="override the server given at enrolment")
    add_password_stdin(p)
    p.set_defaults(handler=_run_sync)


def _run_sync(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        result = sync_service.sync_now(s, server_url=args.server)
        status = sync_service.sync_status(s)
    print(result.summary())
    if status.conflicts or status.quarantined:
        print(
            f"attention: {status.conflicts} item(s) in conflict, "
            f"{status.quarantined} change set(s) refused by the server"
        )
    return 0
