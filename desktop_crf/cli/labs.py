"""``crf labs`` commands: the laboratories' reference ranges, and lab results from a file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_crf.cli.passwords import add_password_stdin, passwords, signed_in
from desktop_crf.errors import KnownError
from desktop_crf.services import lab_import, lab_ranges

if TYPE_CHECKING:
    from typing import TypeAlias

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


class FileRefused(KnownError):
    exit_code = 1


def register(subparsers: Subparsers) -> None:
    labs = subparsers.add_parser(
        "labs",
        help="laboratory reference ranges and lab results from a laboratory's file",
        description="Laboratory data of the site: each laboratory's reference ranges "
        "(crf labs ranges …) and lab results exported by the hospital's laboratory system "
        "(crf labs import …).",
    )
    commands = labs.add_subparsers(dest="labs_command", metavar="COMMAND", required=True)
    _import(commands)
    _ranges(commands)


def _import(commands: Subparsers) -> None:
    p = commands.add_parser(
        "import",
        help="lab results from the laboratory system's CSV export (preview; --commit writes)",
        description="Read the lab results of FILE (CSV with the columns subject, sample_date, "
        "test, result, unit and optionally laboratory; see README 'Lab results from the "
        "laboratory's file') and say, row by row, where each result goes (subject, visit by "
        "its window, item, value in the item's unit) or why it is refused. Nothing is written "
        "unless --commit is given: then the results are saved by the same rules as in the app "
        "(unusual values are confirmed by --commit and audited as such), each audited with "
        "the file's SHA-256 and row. Results that would change a saved value are imported "
        "only with --reason. Importing the same file again changes nothing.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("file", type=Path, help="the laboratory's CSV file")
    p.add_argument("--user", required=True, metavar="NAME", help="the nurse or investigator")
    p.add_argument("--commit", action="store_true", help="write the results (after the preview)")
    p.add_argument("--reason", help="why saved values change (kept with each changed value)")
    add_password_stdin(p)
    p.set_defaults(handler=_run_import)


def _run_import(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        plan = lab_import.preview_lab_import(s, args.file)
        if args.commit:
            plan = lab_import.commit_lab_import(
                s, args.file, expected=plan.digest, reason=args.reason
            )
    for line in lab_import.describe(plan.rows):
        print(line)
    counts = (
        f"{plan.count('new')} new, {plan.count('change')} changing a saved value, "
        f"{plan.count('unchanged')} saved already, {plan.count('refused')} refused"
    )
    print(f"{args.file.name} (SHA-256 {plan.sha256}): {len(plan.rows)} rows: {counts}")
    if args.commit:
        held = (
            ""
            if args.reason or not plan.count("change")
            else (f"; {plan.count('change')} changes held back (give --reason to make them)")
        )
        print(f"Imported {plan.written} values{held}.")
    else:
        print("Nothing was written: run again with --commit to import.")
    return 0


def _ranges(commands: Subparsers) -> None:
    ranges = commands.add_parser(
        "ranges",
        help="each laboratory's reference ranges (LLN–ULN)",
        description="List or import the laboratories' reference ranges, recorded once for "
        "the site and used by every lab form that names the laboratory.",
    )
    actions = ranges.add_subparsers(dest="ranges_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "import",
        help="record the ranges of a CSV file (admin)",
        description="Record the reference ranges of FILE (CSV with the columns laboratory, "
        "analyte, unit, sex, age_from, age_to, lln, uln, valid_from; see README 'Laboratory "
        "reference ranges'). Every row is checked first: if any row is refused, nothing is "
        "recorded and each refused row is listed with its reason (exit 1). Rows that correct "
        "ranges already recorded need --reason. Importing the same file again changes "
        "nothing. Each recorded range is an audit entry naming the file's SHA-256 and row.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("file", type=Path, help="the CSV file of ranges")
    p.add_argument("--user", required=True, metavar="NAME", help="the acting admin")
    p.add_argument("--reason", help="why recorded ranges are corrected (kept in the audit trail)")
    p.add_argument(
        "--dry-run", action="store_true", help="only say what importing would do; record nothing"
    )
    add_password_stdin(p)
    p.set_defaults(handler=_run_ranges_import)
    p = actions.add_parser(
        "list",
        help="list the recorded ranges",
        description="List the recorded reference ranges, by laboratory, analyte and date.",
    )
    p.add_argument("dir", type=Path, help="site folder")
    p.add_argument("--user", required=True, metavar="NAME")
    p.add_argument("--laboratory", metavar="NAME", help="only this laboratory's ranges")
    add_password_stdin(p)
    p.set_defaults(handler=_run_ranges_list)


def _run_ranges_import(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        if args.dry_run:
            plan = lab_ranges.preview_range_file(s, args.file)
        else:
            try:
                plan = lab_ranges.import_range_file(s, args.file, reason=args.reason)
            except lab_ranges.RangeFileRefused as refused:
                for line in lab_ranges.describe(refused.plan.rows):
                    print(line)
                raise FileRefused(str(refused)) from None
    for line in lab_ranges.describe(plan.rows):
        print(line)
    done = "would be" if args.dry_run else "were"
    print(f"{args.file.name} (SHA-256 {plan.sha256}): rows {done} {lab_ranges.counts_text(plan)}")
    return 1 if args.dry_run and plan.refused else 0


def _run_ranges_list(args: argparse.Namespace) -> int:
    with signed_in(args.dir, args.user, passwords(args).ask(f"Password of {args.user}")) as s:
        held = lab_ranges.list_lab_ranges(s, laboratory=args.laboratory)
    for stored in held:
        r = stored.lab_range
        unit = f" {r.unit}" if r.unit else ""
        print(
            f"{r.laboratory} · {r.analyte} · {r.band_text()} · {r.lln or '–'} to "
            f"{r.uln or '–'}{unit} · from {r.valid_from} · {stored.changed_by}"
        )
    print(f"{len(held)} range(s)")
    return 0
