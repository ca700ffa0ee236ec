"""``desktop-crf [DIR]``: the desktop application's entry point."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from desktop_crf.ui.shell.idle import DEFAULT_IDLE_MINUTES


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="desktop-crf", description="Open a desktop-crf site.")
    parser.add_argument(
        "dir",
        nargs="*",
        type=Path,
        help="site folder (default: the last one); with several, the unlock window offers them",
    )
    parser.add_argument(
        "--idle-minutes",
        type=float,
        default=DEFAULT_IDLE_MINUTES,
        help=f"lock after this many minutes without input (default {DEFAULT_IDLE_MINUTES})",
    )
    parser.add_argument("--language", choices=("en", "zh_CN"), help="user interface language")
    parser.add_argument(
        "--check-install",
        metavar="USER",
        help="check this installation: unlock DIR as USER (password on standard input), list "
        "the subjects, quit; exit 0 when the list was shown",
    )
    args = parser.parse_args(argv)
    if args.check_install and not args.dir:
        parser.error("--check-install needs the site folder: desktop-crf DIR --check-install USER")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

    from desktop_crf.i18n import install_translator
    from desktop_crf.logs import setup_logging
    from desktop_crf.services.site_labels import site_exists
    from desktop_crf.ui.errors import install_excepthook
    from desktop_crf.ui.shell.controller import AppController

    args = parse_args(argv)
    log_file = setup_logging()
    app = QApplication(sys.argv[:1])
    app.setApplicationName("desktop-crf")
    app.setOrganizationName("desktop-crf")
    install_excepthook()
    logging.getLogger("desktop_crf").info("started; log file %s", log_file)
    settings = QSettings()
    language = args.language or str(settings.value("language", "en"))
    install_translator(app, language)
    roots: list[Path] = list(args.dir)
    if not roots:
        last = _last_site(settings)
        if last is None:
            chosen = QFileDialog.getExistingDirectory(None, app.translate("main", "Open a site"))
            if not chosen:
                return 1
            last = Path(chosen)
        roots = [last]
    for root in roots:
        if not site_exists(root):
            QMessageBox.critical(
                None,
                "desktop-crf",
                app.translate("main", "No desktop-crf site was found in {0}.").format(root),
            )
            return 2
    root = roots[0]
    if args.check_install:
        from desktop_crf.ui.shell.install_check import check_install

        password = sys.stdin.readline().rstrip("\r\n")
        return check_install(app, root, args.check_install, password)
    settings.setValue("last_site", str(root.resolve()))
    controller = AppController(
        root,
        idle_minutes=args.idle_minutes,
        language="zh" if language == "zh_CN" else "en",
        sites=roots,
    )
    app.aboutToQuit.connect(controller.shutdown)
    controller.start()
    code = int(app.exec())
    # Qt's objects are destroyed now, before Python drops the controller and its windows in
    # whatever order: otherwise the process could crash on its way out
    app.shutdown()
    return code


def _last_site(settings: object) -> Path | None:
    value = settings.value("last_site")  # type: ignore[attr-defined]
    return Path(str(value)) if value else None


if __name__ == "__main__":
    raise SystemExit(main())
