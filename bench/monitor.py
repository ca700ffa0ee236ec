"""Monitor benchmark: source data verification and the tasks lists on a large site.

    python -m bench.monitor [--subjects 1000] [--repeat 20] [--site DIR]

Builds an encrypted NCT07553767 site of SUBJECTS enrolled subjects × 20 visits (the study's 19
scheduled visits and the AE log) × 30 item values of the study's own forms (600,000 values at
1,000 subjects), with its critical data (consent, screening, HBsAg, serious AEs — one subject in
ten has one) where the study puts it, a third of the subjects' screening already verified and
some of it changed since.
Then measures, on the store's thread as the app runs them: marking a whole visit verified
(synchronous=FULL, one entry per form), the site's SDV progress, and each role's tasks list.
Prints p50/p95 in milliseconds, and the p50 of the CPU time the process used (on a shared
machine under load the elapsed time is longer; note ``uptime`` beside the figures).

--site DIR builds the site once into DIR (with its data key beside it, a bench's key only) and
reuses it on later runs: each run measures a copy, so every run starts from the same site.
"""

from __future__ import annotations

import argparse
import random
import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from desktop_crf.model import SiteInfo
from desktop_crf.services import sdv
from desktop_crf.services.session import Session
from desktop_crf.services.tasks import tasks
from desktop_crf.store import repository as repo
from desktop_crf.store.audit import utc_now
from desktop_crf.store.site import create_database, open_site_database
from desktop_crf.store.site_paths import SitePaths
from desktop_crf.studies import load_form, load_study

STUDY = "NCT07553767"
ITEMS = 30
TODAY = date(2027, 6, 1)
#: The built site's data key, kept beside it by --site (a bench site's only).
KEY_FILE = "bench-data-key"


def make_session(root: Path, role: str = "monitor") -> Session:
    paths = SitePaths(root)
    key = secrets.token_bytes(32)
    db = create_database(paths, key)
    (root / KEY_FILE).write_bytes(key)
    repo.set_meta(db, study_id=STUDY, site_code="B1", device="B1-000001", demo="0")
    for name in ("monitor", "nurse", "investigator"):
        repo.insert_user(db, repo.UserRow(name, name, f"Bench {name}", True), utc_now())
    site = SiteInfo(STUDY, "B1", "B1-000001", demo=False)
    return Session(paths, site, role, role, f"Bench {role}", db)


def open_session(root: Path, role: str = "monitor") -> Session:
    """A session on a site ``make_session`` built (its schema brought up to date)."""
    paths = SitePaths(root)
    db = open_site_database(paths, (root / KEY_FILE).read_bytes())
    site = SiteInfo(STUDY, "B1", "B1-000001", demo=False)
    return Session(paths, site, role, role, f"Bench {role}", db)


def build(root: Path, subjects: int) -> list[str]:
    """Build the site into ``root``; its subjects."""
    session = make_session(root)
    start = time.perf_counter()
    ids = populate(session, subjects)
    values = session.db.execute("SELECT count(*) FROM item_values").fetchone()[0]
    print(f"built {values:,} item values in {time.perf_counter() - start:.0f} s", flush=True)
    session.close()
    return ids


def _visit_items(forms: tuple[str, ...]) -> list[tuple[str, str, str, int]]:
    """30 values of a visit's forms: (form, group, item, group repeat); a visit whose forms
    hold fewer items gets more repeats of its groups (a second sample, another lesion)."""
    items = [
        (oid, group.oid, item.oid)
        for oid in forms
        for group in load_form(oid).item_groups
        for item in group.items
    ]
    return [(*items[n % len(items)], 1 + n // len(items)) for n in range(ITEMS)]


def populate(session: Session, subjects: int) -> list[str]:
    """Subjects, forms and values written straight into the store (no audit entries: the
    measures read values and SDV, and append their own entries)."""
    study = load_study(STUDY)
    plan = [(v.oid, _visit_items(v.forms)) for v in study.visits]
    ae_items = _visit_items(("F.AE",))
    db, now = session.db, utc_now()
    db.execute("PRAGMA synchronous = OFF")
    ids = []
    with db.conn:
        for s in range(subjects):
            sid = f"B1-{s:05d}"
            ids.append(sid)
            repo.upsert_subject(
                db,
                {
                    "subject_id": sid,
                    "study_id": STUDY,
                    "study_version": "1.0",
                    "arm": "PEG_NA",
                    "status": "enrolled",
                    "screened_on": "2026-01-02",
                    "enrolled_on": "2026-01-20",
                    "anchor_date": "2026-01-20",
                    "updated_at": now,
                },
            )
            rows = []
            for event, items in plan:
                rows += [(sid, event, 1, f, g, r, i) for f, g, i, r in items]
            # the AE log: 30 values of one event; one subject in ten's is serious
            rows += [(sid, "SE.LOG", 1, f, g, r, i) for f, g, i, r in ae_items]
            forms = {(r[1], r[3]) for r in rows}
            db.conn.executemany(
                "INSERT INTO form_instances VALUES (?, ?, 1, ?, 'complete', ?, 'nurse')",
                [(sid, e, f, now) for e, f in forms],
            )
            db.conn.executemany(
                "INSERT INTO item_values VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, NULL, ?, 'nurse')",
                [(*r, _value(r[6], serious=s % 10 == 0), now) for r in rows],
            )
            if s % 3 == 0:  # a third of the screenings verified, one value changed since
                db.conn.execute(
                    "INSERT INTO sdv SELECT subject_id, event, event_repeat, form, item_group, "
                    "group_repeat, item, rev, ?, 'monitor', 'B1-000001', 0 FROM item_values "
                    "WHERE subject_id = ? AND event = 'SE.SCREENING'",
                    [now, sid],
                )
                db.conn.execute(
                    "UPDATE item_values SET rev = 2 WHERE subject_id = ? AND event = "
                    "'SE.SCREENING' AND form = 'F.CONSENT' AND item = 'I.CONSENT_DATE'",
                    [sid],
                )
    db.execute("PRAGMA synchronous = FULL")
    return ids


def _value(item: str, *, serious: bool) -> str:
    if item == "I.AESER":
        return "Y" if serious else "N"
    return "1"


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each run: elapsed, and this process's CPU time (what an idle machine
    would take; the elapsed time of a shared, loaded machine is longer)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, used = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return wall, cpu


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--site", type=Path, help="reuse (or build once into) this site folder")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        if args.site is None:
            build(root, args.subjects)
        else:
            if not (args.site / KEY_FILE).exists():
                build(args.site, args.subjects)
            shutil.copytree(args.site, root)
        session = open_session(root)
        ids = [r[0] for r in session.db.execute("SELECT subject_id FROM subjects ORDER BY 1")]
        visits = [v.oid for v in load_study(STUDY).visits[1:]]
        picks = iter(rng.sample([(s, v) for s in ids for v in visits], args.repeat))

        def mark_visit() -> None:
            subject, event = next(picks)
            sdv.verify_visit(session, subject, event)

        now = datetime.now(UTC)
        results = {
            "mark a visit verified (synchronous=FULL)": timed(mark_visit, args.repeat),
            "site SDV progress": timed(lambda: sdv.site_progress(session), args.repeat),
        }
        found = {}
        for role in ("monitor", "nurse", "investigator"):
            acting = Session(session.paths, session.site, role, role, role, session.db)
            results[f"tasks list ({role})"] = timed(
                lambda acting=acting: found.__setitem__(
                    acting.role, len(tasks(acting, today=TODAY, now=now))
                ),
                max(args.repeat // 2, 5),
            )
        progress = sdv.site_progress(session).total
        print(
            f"site: {len(ids)} subjects, {progress.values:,} values, "
            f"{progress.critical:,} critical; verified {progress.verified:,}, "
            f"changed since verified {progress.changed:,}"
        )
        print(f"tasks: {found}")
        print(f"{'':44}{'p50 ms':>10}{'p95 ms':>10}{'cpu p50':>10}")
        for name, (wall, cpu) in results.items():
            print(f"{name:44}{pct(wall, 50):>10.1f}{pct(wall, 95):>10.1f}{pct(cpu, 50):>10.1f}")
        session.close()


if __name__ == "__main__":
    main()
