"""The study and form definitions the report reads, loaded from the installation's resources
folder without importing the desktop application.

The definitions are the same files the app bundles (``resources/studies`` and
``resources/forms``): next to the ``sync`` package in a source checkout, or installed as
``desktop_crf/resources`` beside it from a wheel; ``--definitions DIR`` names another folder.

Public names: :class:`Definitions`, :func:`find_resources`, :func:`load_definitions`,
:class:`DefinitionsNotFound`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

import sync
from forms.schema import FormDef
from forms.study import Study, version_key


class DefinitionsNotFound(Exception):
    """No definitions folder, no such study, or a file that is not a valid definition."""


@dataclass(frozen=True)
class Definitions:
    """One study (its latest version) and every form, by OID."""

    study: Study
    forms: dict[str, FormDef]


def find_resources(folder: Path | None = None) -> Path:
    """The resources folder: ``folder`` when given, else the one installed with the code.

    Raises:
        DefinitionsNotFound: none holds ``studies`` and ``forms``.
    """
    top = Path(sync.__file__).resolve().parent.parent
    candidates = [folder] if folder else [top / "resources", top / "desktop_crf" / "resources"]
    for candidate in candidates:
        if (
            candidate is not None
            and (candidate / "studies").is_dir()
            and (candidate / "forms").is_dir()
        ):
            return candidate
    raise DefinitionsNotFound(
        "the study definitions were not found: give their folder with --definitions"
    )


def load_definitions(study_id: str, folder: Path | None = None) -> Definitions:
    """Load the latest version of ``study_id`` and every form definition.

    Raises:
        DefinitionsNotFound: no such study, or a definition file does not load.
    """
    root = find_resources(folder)
    versions = sorted(
        (root / "studies" / study_id).glob("*.json"), key=lambda p: version_key(p.stem)
    )
    if not versions:
        known = sorted(p.name for p in (root / "studies").iterdir() if p.is_dir())
        raise DefinitionsNotFound(f"no study {study_id}; known: {', '.join(known)}")
    try:
        study = Study.model_validate(json.loads(versions[-1].read_text(encoding="utf-8")))
        forms = {}
        for path in sorted((root / "forms").glob("*.json")):
            form = FormDef.model_validate(json.loads(path.read_text(encoding="utf-8")))
            forms[form.oid] = form
    except (ValidationError, ValueError) as exc:
        raise DefinitionsNotFound(f"a definition file does not load: {exc}") from exc
    return Definitions(study, forms)
