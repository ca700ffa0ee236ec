"""Driving the patient's kiosk with real widgets: a recurrence-study site with a due QLQ-C30,
the demonstration Chinese wording imported, and taps on the real buttons."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop_crf.model import FormKey
from desktop_crf.resources import resource_path
from desktop_crf.services import kiosk
from desktop_crf.services.wordings import import_wording, read_wording_file
from desktop_crf.ui.tablet.controller import KioskController
from desktop_crf.ui.tablet.flow import Screen
from desktop_crf.ui.worker import StoreWorker
from tests.helpers.sites import copy_site, login
from tests.helpers.tablet import due_subject

TIMEOUT = 5_000


def tablet_site(template: Path, root: Path, *, subjects: int = 1) -> tuple[Path, list[FormKey]]:
    """A copy of the recurrence site with the Chinese wording and ``subjects`` due ones."""
    copy_site(template, root)
    admin = login(root, "admin")
    try:
        import_wording(admin, read_wording_file(resource_path("demo", "qlq_c30_zh-CN.json")))
    finally:
        admin.close()
    nurse = login(root, "nurse")
    try:
        keys = [due_subject(nurse, initials=f"P{n}") for n in range(subjects)]
    finally:
        nurse.close()
    return root, keys


def open_kiosk(qtbot, root: Path, key: FormKey, **kw: bool) -> KioskController:
    """Hand the tablet over as the nurse and show the kiosk at 1280×800 (not full screen, so
    the offscreen screen's size does not decide the layout)."""
    nurse = login(root, "nurse")
    handover = kiosk.hand_over(nurse, key, **kw)
    ctl = KioskController(StoreWorker(), handover, full_screen=False)
    ctl.window.resize(1280, 800)
    with qtbot.waitSignal(ctl.shown, timeout=TIMEOUT):
        ctl.start()
    return ctl


def tap(qtbot, ctl: KioskController, widget, screen: Screen | None = None) -> None:
    """Tap ``widget`` and wait for the next screen to be drawn (the save done, if any)."""
    with qtbot.waitSignal(
        ctl.shown,
        timeout=TIMEOUT,
        check_params_cb=None if screen is None else (lambda shown: shown is screen),
    ):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(qtbot, ctl: KioskController, language: str) -> None:
    button = next(
        b for b in ctl.window.welcome.language_buttons if b.property("language") == language
    )
    tap(qtbot, ctl, button, Screen.QUESTION)


def answer(qtbot, ctl: KioskController, code: int) -> None:
    tap(qtbot, ctl, ctl.window.question.answer_buttons[code])


def close_kiosk(ctl: KioskController) -> None:
    ctl.ops.worker.wait_idle()
    ctl.close()
    ctl.handover.patient.close()
