"""UI benchmark: launch to unlock window, unlock to subject list, open subject, open a form of
60+ items, save it; and the longest stall of the GUI thread meanwhile.

    QT_QPA_PLATFORM=offscreen python bench/ui.py [--subjects 1000] [--site DIR]

Builds (or reuses, with --site) a real encrypted site with production key derivation and
SUBJECTS enrolled subjects with their visit records, then drives the real windows.
Targets: launch ≤ 1.0 s, open subject ≤ 150 ms, open form ≤ 200 ms, save ≤ 50 ms, no GUI stall
over 50 ms.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

PASSWORD = "bench-password"
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def build_site(root: Path, subjects: int) -> None:
    from desktop_crf.services import site
    from desktop_crf.services.adverse_events import add_adverse_event
    from desktop_crf.services.data_entry import ItemInput, save_form
    from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
    from desktop_crf.store.repository import FormKey

    site.init_site(
        root, study_id="NCT07553767", site_code="BN01", admin="admin", admin_password=PASSWORD
    )
    admin = site.unlock(root, "admin", PASSWORD)
    site.add_user(admin, "nurse", role="nurse", password=PASSWORD, admin_password=PASSWORD)
    site.logout(admin)
    nurse = site.unlock(root, "nurse", PASSWORD)
    today = date.today()
    for n in range(subjects):
        sid = screen_subject(nurse, study_version="1.0", screened_on="2025-01-02").subject_id
        assert sid is not None
        anchor = today - timedelta(days=(n * 7) % 700)
        enroll_subject(
            nurse, sid, Enrolment(arm="PEG_NA", anchor_date=anchor.isoformat(), na_drug="ETV")
        )
        for event, day in (("SE.W0", 0), ("SE.W12", 84)):
            if anchor + timedelta(days=day) <= today:
                when = (anchor + timedelta(days=day)).isoformat()
                save_form(
                    nurse,
                    FormKey(sid, event, "F.VISIT"),
                    [
                        ItemInput("IG.VISIT", "I.VISIT_DONE", "Y"),
                        ItemInput("IG.VISIT", "I.VISIT_DATE", when),
                    ],
                    complete=True,
                )
        if n == 0:
            for grade in ("1", "2"):
                add_adverse_event(
                    nurse,
                    sid,
                    {"I.AETERM": "Fatigue", "I.AEGRADE": grade, "I.AESTDAT": "2025-02-01"},
                )
        if n % 100 == 0:
            print(f"  {n} of {subjects} subjects", file=sys.stderr)
    site.logout(nurse)


def child_launch(root: str) -> None:
    """Started as its own process: show the unlock window, print, quit."""
    from PySide6.QtWidgets import QApplication

    from desktop_crf.ui.controller import AppController

    app = QApplication(sys.argv[:1])
    ctl = AppController(Path(root))
    ctl.start()
    assert ctl.unlock_window is not None
    assert ctl.unlock_window.isVisible()
    app.processEvents()
    print("SHOWN", flush=True)


def measure_launch(root: Path) -> float:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child-launch", str(root)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "SHOWN" in out.stdout
    return time.perf_counter() - start


def run_gui(root: Path) -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_crf.store.repository import FormKey
    from desktop_crf.ui.controller import AppController

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("desktop-crf-bench")
    ctl = AppController(root)
    ctl.start()
    stall = {"max": 0.0}
    clock = QElapsedTimer()
    clock.start()
    last = {"t": clock.elapsed()}

    def tick() -> None:
        now = clock.elapsed()
        stall["max"] = max(stall["max"], now - last["t"] - 5)
        last["t"] = now

    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    ticker.start()

    def wait_for(done: Callable[[], bool], timeout: float = 60.0) -> None:
        # A real event loop: calling processEvents() in a tight loop leaks references to None
        # in PySide6 and soon crashes the interpreter.
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(1)
        poll.timeout.connect(lambda: loop.quit() if done() else None)
        QTimer.singleShot(int(timeout * 1000), loop.quit)
        poll.start()
        loop.exec()
        poll.stop()
        if not done():
            raise TimeoutError

    figures: dict[str, float] = {}
    loaded: list[int] = []
    ctl.subjects_loaded.connect(lambda n: loaded.append(n))
    window = ctl.unlock_window
    assert window is not None
    window.user_edit.setText("nurse")
    window.password_edit.setText(PASSWORD)
    t0 = time.perf_counter()
    window._submit()
    wait_for(lambda: bool(loaded))
    figures["unlock to subject list (s)"] = time.perf_counter() - t0
    figures["subjects listed"] = loaded[0]
    assert ctl.main_window is not None
    subject = ctl.main_window.model.row_at(0).subject_id
    stall["max"] = 0.0

    opened: list[object] = []
    ctl.subject_opened.connect(lambda v: opened.append(v))
    t0 = time.perf_counter()
    ctl.open_subject(subject)
    wait_for(lambda: bool(opened) and getattr(opened[0], "timeline", None) is not None)
    figures["open subject (ms)"] = (time.perf_counter() - t0) * 1000

    forms: list[object] = []
    ctl.form_opened.connect(lambda v: forms.append(v))
    t0 = time.perf_counter()
    ctl.open_form(FormKey(subject, "SE.LOG", "F.AE"))
    wait_for(lambda: bool(forms) and getattr(forms[0], "data", None) is not None)
    figures["open form (ms)"] = (time.perf_counter() - t0) * 1000
    view = forms[0]
    figures["form items"] = len(view.fields)  # type: ignore[attr-defined]

    saved: list[object] = []
    view.saved.connect(lambda c: saved.append(c))  # type: ignore[attr-defined]
    view.line_edit("IG.AE[2]/I.AEDESC").setText("benchmark note")  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    view._submit(False, None)  # type: ignore[attr-defined]
    wait_for(lambda: bool(saved))
    figures["save (ms)"] = (time.perf_counter() - t0) * 1000
    figures["longest GUI stall after unlock (ms)"] = stall["max"]
    ticker.stop()
    ctl.shutdown()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--site", type=Path, help="reuse (or build once into) this site folder")
    parser.add_argument("--child-launch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_launch:
        child_launch(args.child_launch)
        return
    root = args.site or Path(tempfile.mkdtemp()) / "site"
    if not (root / "site.db").exists() and not root.exists():
        t0 = time.perf_counter()
        build_site(root, args.subjects)
        print(f"built {args.subjects} subjects in {time.perf_counter() - t0:.0f} s")
    figures = {"launch to unlock window (s)": measure_launch(root)}
    figures.update(run_gui(root))
    for name, value in figures.items():
        print(f"{name:40} {value:10.3f}" if isinstance(value, float) else f"{name:40} {value}")


if __name__ == "__main__":
    main()
