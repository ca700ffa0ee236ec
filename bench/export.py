"""Export benchmark: ODM Snapshot and Transactional, the CSV zip and one casebook, on sites of
growing size, each export in a fresh process so that its peak memory is its own.

    python -m bench.export [--sizes 250,500,1000] [--visits 20] [--items 30] [--site DIR]

Builds one encrypted site of the PEG-HCC-RECUR-3Y study with SIZE subjects × VISITS visits of
the QLQ-C30 form (ITEMS values typed each and the scores the form computes from them, an audit
entry per value; the study's 14 QLQ-C30 visits, then unscheduled visits), growing it from one
size to the next,
and at each size runs every export as an investigator would (``crf export``): seconds and peak
resident memory of the exporting process (its baseline after unlocking shown beside it). The
casebook is printed for one subject with every visit. Population runs with synchronous=OFF.

--site DIR builds the site of each size once into DIR/SIZE (a larger size grown from a copy of
the smaller) and reuses it on later runs: each run exports from a copy, so every run starts
from the same site (an export is itself an audit entry).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.store import BENCH_FORM, REASON, form_items
from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import save_form
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import screen_subject
from desktop_crf.store.keyslots import KdfParams
from desktop_crf.studies import load_study

PASSWORD = "bench-password"
STUDY = "PEG-HCC-RECUR-3Y"
CHEAP = KdfParams(iterations=1, memory_kib=8, lanes=1)
KINDS = ("odm", "odm-transactional", "csv")


def make_site(root: Path) -> None:
    site.init_site(
        root,
        study_id="NCT07553767",
        site_code="B1",
        admin="admin",
        admin_password=PASSWORD,
        kdf=CHEAP,
    )
    admin = site.unlock(root, "admin", PASSWORD)
    try:
        for role in ("nurse", "investigator"):
            site.add_user(
                admin,
                role,
                role=role,
                password=PASSWORD,
                admin_password=PASSWORD,
                full_name=f"Bench {role.title()}",
            )
    finally:
        site.logout(admin)


def grow(nurse: Session, start: int, stop: int, visits: int, items: int) -> None:
    """Add subjects ``start`` … ``stop - 1`` with every visit recorded."""
    events = [v.oid for v in load_study(STUDY).visits if BENCH_FORM in v.forms][:visits]
    events += ["SE.UNSCHEDULED"] * (visits - len(events))
    nurse.db.execute("PRAGMA synchronous = OFF")
    for s in range(start, stop):
        subject_id = f"B1-{s:05d}"
        screen_subject(nurse, study_version="1.0", screened_on="2026-01-01", subject_id=subject_id)
        repeats: dict[str, int] = {}
        for v, event in enumerate(events):
            repeats[event] = repeats.get(event, 0) + 1
            key = FormKey(subject_id, event, BENCH_FORM, repeats[event])
            save_form(nurse, key, form_items(items, s * 1000 + v), complete=True, reason=REASON)
    nurse.db.execute("PRAGMA synchronous = FULL")


def child(kind: str, root: Path, out: Path) -> None:
    """Run one export in this process and print its seconds and memory as JSON."""
    session = site.unlock(root, "investigator", PASSWORD)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, used = time.perf_counter(), time.process_time()
    if kind == "csv":
        from desktop_crf.services.csv_export import export_csv

        result = export_csv(session, out)
    elif kind == "casebook":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QGuiApplication

        from desktop_crf.printing.casebook_pdf import render_casebook
        from desktop_crf.services.casebook import export_casebook

        app = QGuiApplication([])
        start, used = time.perf_counter(), time.process_time()
        result = export_casebook(session, "B1-00000", out, render=render_casebook)
        del app
    else:
        from desktop_crf.services.odm_export import export_odm

        result = export_odm(session, out, transactional=kind == "odm-transactional")
    seconds, cpu = time.perf_counter() - start, time.process_time() - used
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    site.logout(session)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_s": cpu,
                "peak_mb": peak,
                "baseline_mb": baseline,
                "count": result.count,
                "bytes": out.stat().st_size,
            }
        )
    )


def _counts(root: Path) -> tuple[int, int]:
    """The site's stored values (typed and computed) and audit entries."""
    session = site.unlock(root, "investigator", PASSWORD)
    try:
        values = session.db.execute("SELECT count(*) FROM item_values").fetchone()[0]
        return int(values), int(session.db.execute("SELECT count(*) FROM audit").fetchone()[0])
    finally:
        site.logout(session)


def run_child(kind: str, root: Path, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.export",
            "--child",
            kind,
            "--site",
            str(root),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    out.unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250,500,1000")
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--child", choices=(*KINDS, "casebook"))
    parser.add_argument("--site", type=Path, help="reuse (or build once into) DIR/SIZE")
    parser.add_argument(
        "--only",
        help="only these exports (comma-separated: " + ",".join((*KINDS, "casebook")) + ")",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.site, args.out)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        built = 0
        for size in sizes:
            if args.site is not None and (args.site / str(size)).exists():
                shutil.rmtree(root, ignore_errors=True)
                shutil.copytree(args.site / str(size), root)
                built = size
                print(f"[{size} subjects] reused {args.site / str(size)}", flush=True)
            else:
                if not root.exists():
                    make_site(root)
                nurse = site.unlock(root, "nurse", PASSWORD)
                start = time.perf_counter()
                grow(nurse, built, size, args.visits, args.items)
                site.logout(nurse)
                built = size
                print(f"[{size} subjects] built in {time.perf_counter() - start:.0f} s", flush=True)
                if args.site is not None:
                    shutil.copytree(root, args.site / str(size))
            values, entries = _counts(root)
            print(
                f"  {values:,} values, {entries:,} audit entries; load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            suffix = {"odm": ".xml", "odm-transactional": ".xml", "csv": ".zip", "casebook": ".pdf"}
            kinds = (*KINDS, "casebook") if size == sizes[-1] else KINDS
            if args.only:
                kinds = tuple(k for k in kinds if k in args.only.split(","))
            for kind in kinds:
                figures = run_child(kind, root, Path(tmp) / f"out{suffix[kind]}")
                rows.append((size, kind, figures))
                print(
                    f"  {kind:18} {figures['seconds']:7.1f} s  cpu {figures['cpu_s']:6.1f} s  "
                    f"peak {figures['peak_mb']:6.0f} MB (baseline {figures['baseline_mb']:.0f} MB)"
                    f"  {figures['bytes'] / 1e6:8.1f} MB file  load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    typed = args.visits * args.items
    print()
    print(
        f"{'subjects':>8} {'export':18} {'seconds':>8} {'cpu s':>8} {'peak MB':>8} {'file MB':>8}"
    )
    for size, kind, f in rows:
        print(
            f"{size:>8} {kind:18} {f['seconds']:>8.1f} {f['cpu_s']:>8.1f} {f['peak_mb']:>8.0f} "
            f"{f['bytes'] / 1e6:>8.1f}"
        )
    print(
        f"({typed} values typed per subject, the QLQ-C30 scores computed beside them; the "
        f"casebook is one subject with {args.visits} visits)"
    )


if __name__ == "__main__":
    main()
