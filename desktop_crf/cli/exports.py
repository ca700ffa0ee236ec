"""``crf`` commands that take data out (``export odm|csv``, ``casebook``, ``odm verify``) and
bring it into a new site (``odm import``)."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from desktop_crf.cli.passwords import add_password_stdin, passwords, signed_in
from desktop_crf.errors import KnownError
from desktop_crf.services.casebook import export_casebook
from desktop_crf.services.csv_export import export_csv
from desktop_crf.services.odm_export import export_odm
from desktop_crf.services.odm_import import import_odm
from odm.verify import verify_file


class FileNotVerified(KnownError):
    exit_code = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _export(subparsers)
    _casebook(subparsers)
    _odm(subparsers)


def _casebook(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "casebook",
        help="print a subject's casebook to PDF",
        description="Write SUBJECT's casebook to FILE.pdf: every visit and form with values, "
        "units, signatures and queries, the subject's audit trail as an appendix, and the "
        "subject's Transactional ODM attached. Investigators and monitors only; the export "
        "is itself an audit entry. Runs without a display.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("subject", help="subject id, e.g. NB02-A1B2-0001")
    p.add_argument("--user", required=True, metavar="NAME")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="file to write")
    add_password_stdin(p)
    p.set_defaults(handler=_run_casebook)


def _run_casebook(args: argparse.Namespace) -> int:
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from desktop_crf.printing.casebook_pdf import render_casebook

    app = QGuiApplication.instance() or QGuiApplication([])
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        result = export_casebook(s, args.subject, args.out, render=render_casebook)
    print(f"Wrote the casebook of {args.subject} to {result.path} (SHA-256 {result.sha256})")
    del app
    return 0


def _export(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "export",
        help="export the site's clinical data (ODM 1.3.2 or CSV for analysis)",
        description="Write the site's data (or one subject's) to FILE. 'odm': CDISC ODM 1.3.2, "
        "a Snapshot of the current values, or with --transactional every change with its "
        "audit record and hash chain (check it with 'crf odm verify'). 'csv': a zip for "
        "analysis (one CSV per form, data dictionary, R/SAS/SPSS scripts, manifest of "
        "SHA-256 hashes). --from/--to: only the visits whose recorded visit date is in "
        "that range (both days included). Investigators and "
        "monitors only; the export is itself an audit entry.",
    )
    p.add_argument("format", choices=("odm", "csv"), help="file format")
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("--user", required=True, metavar="NAME")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="file to write")
    p.add_argument(
        "--transactional", action="store_true", help="ODM: every change with its audit record"
    )
    p.add_argument("--subject", metavar="SUBJECT_ID", help="only this subject")
    p.add_argument(
        "--from",
        dest="visits_from",
        type=_day,
        metavar="YYYY-MM-DD",
        help="only the visits whose visit date is on or after this day",
    )
    p.add_argument(
        "--to",
        dest="visits_to",
        type=_day,
        metavar="YYYY-MM-DD",
        help="only the visits whose visit date is on or before this day",
    )
    add_password_stdin(p)
    p.set_defaults(handler=_run_export)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-31") from None


def _run_export(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        start, end = args.visits_from, args.visits_to
        if args.format == "csv":
            result = export_csv(s, args.out, subject=args.subject, visits_from=start, visits_to=end)
        else:
            result = export_odm(
                s,
                args.out,
                transactional=args.transactional,
                subject=args.subject,
                visits_from=start,
                visits_to=end,
            )
    kind = "changes" if args.transactional and args.format == "odm" else "subjects"
    print(f"Wrote {result.count} {kind} to {result.path} (SHA-256 {result.sha256})")
    return 0


def _odm(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "odm",
        help="check an ODM file, or import one into an empty site",
        description="'verify FILE': recompute the audit chain of a Transactional ODM file from "
        "the file alone. Exit 0: 'ODM audit chain OK'. Exit 1: the first altered, removed or "
        "moved record is named, with its line. Needs no site and no password. "
        "'import DIR FILE --user NAME': an admin sets up an empty site from an ODM 1.3.2 file "
        "of the same study: a Snapshot's current values, or a Transactional file's whole "
        "history with reasons for change. The file is validated as it is read; a file that "
        "breaks the schema, does not verify or is of another study or version is refused with "
        "its line, and nothing is written.",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="verify|import")
    verify = actions.add_parser("verify", help="recompute a Transactional file's audit chain")
    verify.add_argument("file", type=Path, help="the ODM file")
    verify.set_defaults(handler=_run_verify)
    imp = actions.add_parser("import", help="import an ODM file into an empty site (admin)")
    imp.add_argument("dir", type=Path, help="site folder (holding no subjects)")
    imp.add_argument("file", type=Path, help="the ODM 1.3.2 file (Snapshot or Transactional)")
    imp.add_argument("--user", required=True, metavar="NAME", help="the site's admin")
    add_password_stdin(imp)
    imp.set_defaults(handler=_run_import)


def _run_verify(args: argparse.Namespace) -> int:
    report = verify_file(args.file)
    if not report.ok:
        raise FileNotVerified(str(report))
    print(report)
    return 0


def _run_import(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        result = import_odm(s, args.file)
    print(
        f"Imported {result.subjects} subjects and {result.entries} entries from "
        f"{result.path.name} ({result.file_type}, SHA-256 {result.sha256})"
    )
    if result.not_replayed:
        kept = ", ".join(f"{n} {action}" for action, n in sorted(result.not_replayed.items()))
        print(f"Kept in the file only, not replayed: {kept}")
    return 0
