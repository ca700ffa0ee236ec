"""Translations: Qt Linguist ``.ts`` sources in ``resources/i18n``, compiled to ``.qm``.

``.qm`` files are build products, never committed: ``make`` compiles them
(``python -m desktop_crf.i18n --compile``) and the app compiles any that are missing at start.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from desktop_crf.resources import resource_path

LANGUAGES = ("zh_CN",)


def ts_path(language: str) -> Path:
    return resource_path("i18n", f"desktop_crf_{language}.ts")


def qm_path(language: str) -> Path:
    return ts_path(language).with_suffix(".qm")


def _tool(name: str) -> str | None:
    exe = Path(sys.executable).with_name(name)
    return str(exe) if exe.exists() else shutil.which(name)


def ui_sources() -> list[Path]:
    """The Python files whose ``tr()`` strings are shown to users."""
    package = Path(__file__).resolve().parent
    shown = [*sorted((package / "ui").rglob("*.py")), *sorted((package / "printing").rglob("*.py"))]
    return [package / "app.py", *shown]


def update_sources(ts_files: list[Path] | None = None) -> None:
    """Refresh ``.ts`` files from the sources (new strings appear as unfinished; strings no
    longer used are dropped); a translator then fills them in Qt Linguist."""
    tool = _tool("pyside6-lupdate")
    if tool is None:
        raise FileNotFoundError("pyside6-lupdate was not found next to the Python interpreter")
    targets = ts_files or [ts_path(language) for language in LANGUAGES]
    sources = [str(p) for p in ui_sources()]
    for ts in targets:
        subprocess.run([tool, *sources, "-ts", str(ts), "-no-obsolete", "-silent"], check=True)


def unfinished(ts: Path) -> list[str]:
    """Source texts of ``ts`` that have no translation yet."""
    import xml.etree.ElementTree as ET

    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        done = translation is not None and translation.get("type") != "unfinished"
        if not done or not (message.findtext("translation") or "").strip():
            missing.append(message.findtext("source") or "")
    return missing


def compile_translations(*, force: bool = False) -> list[Path]:
    """Compile every ``.ts`` whose ``.qm`` is missing or older; return the ``.qm`` written."""
    tool = _tool("pyside6-lrelease")
    written = []
    for language in LANGUAGES:
        ts, qm = ts_path(language), qm_path(language)
        if not ts.exists() or tool is None:
            continue
        if force or not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True)
            written.append(qm)
    return written


def install_translator(app: Any, language: str) -> bool:
    """Load the UI translation for ``language`` into the Qt application, if there is one."""
    from PySide6.QtCore import QTranslator

    if language not in LANGUAGES:
        return False
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        compile_translations()  # only when the .qm is missing or older than its .ts
    if not qm_path(language).exists():
        return False
    translator = QTranslator(app)
    if not translator.load(str(qm_path(language))):
        return False
    app.installTranslator(translator)
    _install_qt_translator(app, language)
    return True


def _install_qt_translator(app: Any, language: str) -> None:
    """Qt's own words (standard buttons, file dialogs, edit menus) in the same language, from
    the translations Qt ships; without them they stay English."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", folder):
        app.installTranslator(qt)
    else:
        qt.deleteLater()


def use_language(app: Any, language: str) -> bool:
    """Replace the application's UI translation by ``language``'s ("en": none); widgets then
    get a LanguageChange event. The patient tablet uses it for the patient's language, and
    gives the staff's back when staff take the tablet back."""
    from PySide6.QtCore import QTranslator

    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    return install_translator(app, language)


def ui_language_for(tag: str) -> str:
    """The UI translation that suits a wording's language tag ("zh-CN" → "zh_CN"); English
    for a language without one."""
    for language in LANGUAGES:
        if tag.replace("-", "_").lower().startswith(language.split("_")[0].lower()):
            return language
    return "en"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile the UI translations.")
    parser.add_argument("--compile", action="store_true", help="compile .ts files to .qm")
    parser.add_argument(
        "--update",
        action="store_true",
        help="add new UI strings to the .ts files, then list what still needs a translation",
    )
    args = parser.parse_args(argv)
    if args.update:
        update_sources()
        missing = {lang: unfinished(ts_path(lang)) for lang in LANGUAGES}
        for lang, texts in missing.items():
            for text in texts:
                print(f"{lang}: untranslated: {text}")
        if any(missing.values()):
            return 1
    if args.compile:
        compile_translations(force=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
