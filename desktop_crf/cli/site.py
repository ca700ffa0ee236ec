"""``crf`` commands that create and administer a site: init-site, add-user, passwords, demo,
verify-audit."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop_crf.cli.passwords import add_password_stdin, passwords, signed_in
from desktop_crf.errors import KnownError
from desktop_crf.services import site, site_labels


class ChainBroken(KnownError):
    exit_code = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _init_site(subparsers)
    _add_user(subparsers)
    _change_password(subparsers)
    _reset_password(subparsers)
    _verify_audit(subparsers)
    _demo(subparsers)


def _init_site(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "init-site",
        help="create a new encrypted site database and its key file",
        description="Create the encrypted site database and key-slot file in DIR, with its first "
        "administrator. Prints the recovery key once: keep it in the site's safe. Refuses to "
        "overwrite an existing site.",
    )
    p.add_argument("dir", type=Path, help="folder for the new site (created if missing)")
    p.add_argument("--study", required=True, metavar="STUDY_ID", help="study id, e.g. NCT07553767")
    p.add_argument("--site", required=True, metavar="SITE_CODE", help="site code, e.g. NB02")
    p.add_argument("--admin", required=True, metavar="NAME", help="user name of the first admin")
    p.add_argument("--full-name", help="printed name of the admin (defaults to NAME)")
    add_password_stdin(p)
    p.set_defaults(handler=_run_init_site)


def _run_init_site(args: argparse.Namespace) -> int:
    password = passwords(args).ask_new(f"New password for {args.admin}")
    created = site.init_site(
        args.dir,
        study_id=args.study,
        site_code=args.site,
        admin=args.admin,
        admin_password=password,
        admin_full_name=args.full_name,
    )
    print(f"Created site {args.site} for study {args.study} in {args.dir}")
    print(f"Device id: {created.device}")
    print("Recovery key (shown only now; store it safely, it resets any password):")
    print(f"    {created.recovery_key}")
    return 0


def _add_user(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "add-user",
        help="add a user (admin only)",
        description="Add a user with a role. Asks for the admin's password, then the new "
        "user's password twice.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("name", help="new user name (lower case)")
    p.add_argument("--role", required=True, choices=("admin", "nurse", "investigator", "monitor"))
    p.add_argument("--admin", required=True, metavar="ADMIN_NAME", help="the acting admin")
    p.add_argument("--full-name", help="printed name, shown with signatures")
    add_password_stdin(p)
    p.set_defaults(handler=_run_add_user)


def _run_add_user(args: argparse.Namespace) -> int:
    source = passwords(args)
    admin_password = source.ask(f"Password of {args.admin}")
    with signed_in(args.dir, args.admin, admin_password) as session:
        site.add_user(
            session,
            args.name,
            role=args.role,
            password=source.ask_new(f"New password for {args.name}"),
            admin_password=admin_password,
            full_name=args.full_name,
        )
    print(f"Added {args.role} {args.name}")
    return 0


def _change_password(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "change-password",
        help="change your own password",
        description="Change your own password: asks the current one, then the new one twice.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("--user", required=True, metavar="NAME")
    add_password_stdin(p)
    p.set_defaults(handler=_run_change_password)


def _run_change_password(args: argparse.Namespace) -> int:
    source = passwords(args)
    old = source.ask(f"Current password of {args.user}")
    with signed_in(args.dir, args.user, old) as session:
        site.change_password(session, old, source.ask_new(f"New password for {args.user}"))
    print(f"Password of {args.user} changed")
    return 0


def _reset_password(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "reset-password",
        help="reset a user's password with the site recovery key",
        description="Reset a forgotten password with the recovery key printed by init-site. "
        "Asks for the recovery key, then the new password twice.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("--user", required=True, metavar="NAME", help="whose password to reset")
    add_password_stdin(p)
    p.set_defaults(handler=_run_reset_password)


def _run_reset_password(args: argparse.Namespace) -> int:
    source = passwords(args)
    recovery = source.ask("Recovery key")
    site.reset_password(
        args.dir, recovery, args.user, source.ask_new(f"New password for {args.user}")
    )
    print(f"Password of {args.user} reset")
    return 0


def _verify_audit(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "verify-audit",
        help="recompute the audit trail's hash chain",
        description="Recompute every entry's hash. Exit 0: 'audit chain OK: N entries'. Exit 1: "
        "the first broken entry is named. Exit 2: the site could not be opened.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("--user", required=True, metavar="NAME")
    add_password_stdin(p)
    p.set_defaults(handler=_run_verify_audit)


def _run_verify_audit(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        report = site.verify_audit(s)
    if not report.ok:
        raise ChainBroken(str(report))
    print(report)
    return 0


def _demo(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "demo",
        help="create a demo site with synthetic subjects",
        description="Create, if absent, a demo site with users of every role (admin, nurse, "
        "investigator, monitor; password 'demo-password') and N synthetic subjects DEMO-001… "
        "spread over both arms and several visits. A demo site never syncs.",
    )
    p.add_argument("dir", type=Path, help="folder of the demo site")
    p.add_argument(
        "--subjects",
        type=int,
        default=None,
        metavar="N",
        help="how many (default 40; 12 for "
        "the recurrence study, whose questionnaires are answered on the tablet)",
    )
    p.add_argument(
        "--study",
        default="NCT07553767",
        choices=("NCT07553767", "PEG-HCC-RECUR-3Y"),
        help="the study of the demo (default NCT07553767). PEG-HCC-RECUR-3Y has the patient's "
        "QLQ-C30: its demo has questionnaires due today for the tablet, and a Chinese wording "
        "marked as not EORTC's official translation",
    )
    p.add_argument(
        "--quiet-if-exists", action="store_true", help="exit 0 silently if the site exists"
    )
    p.set_defaults(handler=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    from desktop_crf.services.demo import DEMO_PASSWORD, create_demo_site

    if site_labels.site_exists(args.dir):
        if not args.quiet_if_exists:
            print(f"A site already exists in {args.dir}; it was left as it is.")
        return 0
    count = args.subjects or (40 if args.study == "NCT07553767" else 12)
    created = create_demo_site(args.dir, subjects=count, progress=print, study=args.study)
    print(f"Demo site of {args.study} ready in {args.dir} ({created} subjects).")
    print(f"Users: admin, nurse, investigator, monitor — password '{DEMO_PASSWORD}'.")
    return 0
