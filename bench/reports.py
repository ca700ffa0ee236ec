"""Reports benchmark: the study dashboard on a site of SUBJECTS subjects, and the server's
study report for SITES sites of PER_SITE subjects each.

    QT_QPA_PLATFORM=offscreen python -m bench.reports [--subjects 1000] [--site DIR]
        [--sites 20] [--per-site 100] [--server DIR] [--repeats 5]

The site is filled by the demo's course of each subject through the services (visits, labs,
virology, MRI, survival contacts, AEs; a few subjects screening); the server's sites are real
sites filled the same way and synced through the real client to a real server on 127.0.0.1.
--site and --server keep what was built for the next run (building 20 sites takes minutes).

Measured: the dashboard's service call (``site_summary``: read and compute on the store
thread), wall and CPU time, the first after unlock (nothing kept yet), after one subject
changed (its row written again by another connection: that subject is read again, as after a
save) and with nothing changed; the dashboard tab from a read until the summary is on screen
(layout and paint included), first after unlock and after one subject changed; the longest
GUI-thread stall meanwhile (a 5 ms timer: a late tick is a stall); the server report
(``build_report``: read the server, compute, render) and ``crf-server report`` end to end as
a new process. p50 and p95 by nearest rank over --repeats.
Targets (issue 16): dashboard ≤ 1 s, no GUI stall over 50 ms; server report ≤ 10 s.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.ui import PASSWORD, _Gui, percentile  # noqa: E402

STUDY = "NCT07553767"


def _fill(root: Path, site_code: str, subjects: int, today: date) -> Any:
    from desktop_crf.services import site
    from desktop_crf.services.demo import fill_subjects

    site.init_site(
        root, study_id=STUDY, site_code=site_code, admin="admin", admin_password=PASSWORD
    )
    admin = site.unlock(root, "admin", PASSWORD)
    for role in ("nurse", "investigator"):
        site.add_user(admin, role, role=role, password=PASSWORD, admin_password=PASSWORD)
    site.logout(admin)
    nurse = site.unlock(root, "nurse", PASSWORD)
    fill_subjects(nurse, subjects, today=today, progress=lambda line: print(line, file=sys.stderr))
    return nurse


def build_site(root: Path, subjects: int) -> None:
    nurse = _fill(root, "BN01", subjects, date.today())
    nurse.close()


def build_server(data: Path, sites: int, per_site: int) -> None:
    from datetime import timedelta

    from desktop_crf.services import site
    from desktop_crf.services import sync as sync_service
    from desktop_crf.services.sync import RetryPolicy
    from sync.server.app import create_app
    from sync.server.db import SqliteDatabase
    from sync.server.registry import issue_token
    from sync.server.settings import ServerSettings
    from tests.sync.servers import ThreadServer

    fast = RetryPolicy(attempts=3, base=0.05, cap=0.2)
    db = SqliteDatabase(data / "server.sqlite3")
    settings = ServerSettings(data_dir=data, admin_token="bench")
    with ThreadServer(create_app(settings, db=db)) as live, tempfile.TemporaryDirectory() as tmp:
        for n in range(1, sites + 1):
            code = f"S{n:02d}"
            t0 = time.perf_counter()
            nurse = _fill(Path(tmp) / code, code, per_site, date.today())
            token = issue_token(db, code, ttl=timedelta(hours=1))
            admin = site.unlock(Path(tmp) / code, "admin", PASSWORD)  # only an admin enrols
            sync_service.enroll_device(admin, server_url=live.url, token=token, retry=fast)
            site.logout(admin)
            sync_service.sync_now(nurse, retry=fast)
            nurse.close()
            print(f"  site {code}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    db.close()


class _Toucher:
    """Writes one subject's row again as it is, through a connection of its own (as another
    session would): the subject's version rises, nothing else changes, and the dashboard's
    next read digests that subject again, as after a save."""

    def __init__(self, root: Path) -> None:
        from desktop_crf.services import site
        from desktop_crf.store import repository as repo

        self.session = site.unlock(root, "nurse", PASSWORD)
        self.subjects = [s["subject_id"] for s in repo.list_subjects(self.session.db)]
        self.count = 0

    def touch(self) -> None:
        from desktop_crf.store import repository as repo
        from desktop_crf.store.database import transaction

        db = self.session.db
        subject = repo.get_subject(db, self.subjects[self.count % len(self.subjects)])
        self.count += 1
        with transaction(db):
            repo.upsert_subject(db, subject)


def _timed(call: Any, walls: list[float], cpus: list[float]) -> Any:
    t0, c0 = time.perf_counter(), time.process_time()
    result = call()
    walls.append((time.perf_counter() - t0) * 1000)
    cpus.append((time.process_time() - c0) * 1000)
    return result


def measure_dashboard(root: Path, repeats: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from desktop_crf.services import site
    from desktop_crf.services.reports import site_summary
    from desktop_crf.ui.collector import GuiThreadCollector
    from desktop_crf.ui.context import UiContext
    from desktop_crf.ui.reports.view import ReportsView
    from desktop_crf.ui.worker import StoreWorker

    figures: dict[str, Any] = {}
    toucher = _Toucher(root)
    session = site.unlock(root, "investigator", PASSWORD)
    kinds = ("first after unlock", "one subject changed", "nothing changed")
    calls: dict[str, tuple[list[float], list[float]]] = {kind: ([], []) for kind in kinds}

    def call() -> Any:
        return site_summary(session, today=date.today(), now=datetime.now().astimezone())

    for _ in range(repeats):
        session.kept.clear()  # what the session kept goes with it: as a new unlock
        summary = _timed(call, *calls[kinds[0]])
        toucher.touch()
        _timed(call, *calls[kinds[1]])
        _timed(call, *calls[kinds[2]])
    figures["subjects"] = summary.subjects
    for kind, (walls, cpus) in calls.items():
        figures[f"dashboard service call, {kind} (ms)"] = walls
        figures[f"dashboard service call, {kind}, CPU (ms)"] = cpus
    session.close()

    app = QApplication.instance() or QApplication(sys.argv[:1])
    collector = GuiThreadCollector()  # as in the app: cycles are freed on the GUI thread
    collector.start()
    worker = StoreWorker()
    ctx = UiContext.open(worker, site.unlock(root, "investigator", PASSWORD))
    gc.freeze()  # as the app does at unlock: what lives as long as the session is not scanned
    view = ReportsView(ctx)
    view.resize(1280, 800)
    gui = _Gui()
    shown: list[int] = []
    view.loaded.connect(lambda: shown.append(1))
    gui.phase("dashboard")
    on_screen: dict[str, list[float]] = {kind: [] for kind in kinds[:2]}
    view.show()  # the first read starts when it is shown
    for index in range(2 * repeats):
        first = index % 2 == 0
        if first:
            ctx.session.kept.clear()  # the worker is idle: as a new unlock
        else:
            gui.phase("another session writes")  # its commit on this thread is not the tab's
            toucher.touch()
            gui.phase("dashboard")
        t0 = time.perf_counter()
        if index:
            view.load()
        done = gui.on_screen(lambda n=index: len(shown) > n)
        on_screen[kinds[0] if first else kinds[1]].append((done - t0) * 1000)
        gui.on_screen(lambda: worker.pending == 0)
    gui.phase("after")
    gui.stop()
    for kind, times in on_screen.items():
        figures[f"dashboard: read to on screen, {kind} (ms)"] = times
    figures["longest GUI stall while the dashboard reads and draws (ms)"] = gui.phase_stall.get(
        "dashboard", 0.0
    )
    view.close()
    worker.wait_idle()
    ctx.session.close()
    toucher.session.close()
    view.deleteLater()
    gui.wait_for(lambda: True)
    collector.collect()
    collector.stop()
    _keep.extend([app, worker, ctx, view, collector])  # freed at exit, not by a collection
    return figures


_keep: list[Any] = []


def measure_report(data: Path, repeats: int) -> dict[str, Any]:
    from sync.server.db import SqliteDatabase
    from sync.server.report import build_report

    db = SqliteDatabase(data / "server.sqlite3")
    times = []
    for _ in range(repeats):
        now = datetime.now().astimezone()
        t0 = time.perf_counter()
        summary, rows, page = build_report(db, STUDY, today=now.date(), now=now)
        times.append(time.perf_counter() - t0)
    db.close()
    figures: dict[str, Any] = {
        "server: sites": len(rows),
        "server: subjects": summary.subjects,
        "server: report size (kB)": len(page.encode()) // 1024,
        "server report, build (s)": times,
    }
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.html"
        t0 = time.perf_counter()
        command = [sys.executable, "-m", "sync.server.cli", "report", "--data", str(data)]
        subprocess.run([*command, "--study", STUDY, "--out", str(out)], check=True, cwd=REPO)
        figures["crf-server report, new process (s)"] = time.perf_counter() - t0
    return figures


def _print(figures: dict[str, Any]) -> None:
    for name, value in figures.items():
        if isinstance(value, list):
            p50, p95 = statistics.median(value), percentile(value, 0.95)
            print(f"{name:62} p50 {p50:9.2f}  p95 {p95:9.2f}  (n={len(value)})")
        elif isinstance(value, float):
            print(f"{name:62} {value:9.2f}")
        else:
            print(f"{name:62} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--site", type=Path, help="reuse (or build once into) this site folder")
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--per-site", type=int, default=100)
    parser.add_argument("--server", type=Path, help="reuse (or build once into) this folder")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", choices=("dashboard", "server"))
    args = parser.parse_args()
    if args.only != "server":
        root = args.site or Path(tempfile.mkdtemp()) / "site"
        if not root.exists():
            t0 = time.perf_counter()
            build_site(root, args.subjects)
            print(f"built {args.subjects} subjects in {time.perf_counter() - t0:.0f} s")
        _print(measure_dashboard(root, args.repeats))
    if args.only != "dashboard":
        data = args.server or Path(tempfile.mkdtemp()) / "server"
        if not (data / "server.sqlite3").exists():
            data.mkdir(parents=True, exist_ok=True)
            t0 = time.perf_counter()
            build_server(data, args.sites, args.per_site)
            print(f"built {args.sites} sites × {args.per_site} in {time.perf_counter() - t0:.0f} s")
        _print(measure_report(data, args.repeats))


if __name__ == "__main__":
    main()
