"""Load the bundled study and form definitions into the pydantic models of ``forms``.

Files:

- ``resources/studies/<STUDY_ID>/<VERSION>.json``: one :class:`forms.study.Study` per protocol
  version (a protocol amendment is a new file; data keeps the version it was captured under).
- ``resources/forms/<FORM_OID>.json``: one :class:`forms.schema.FormDef` per form, named by its
  OID (e.g. ``F.LAB_LIVER.json``).

Public API (names are stable):

- :func:`bundled_studies` ``() -> dict[str, Study]``: the latest version of each study, by id.
- :func:`study_versions` ``(study_id) -> list[str]``: the versions of a study, oldest first.
- :func:`load_study` ``(study_id, version=None) -> Study``: one version (the latest by default).
- :func:`bundled_forms` ``() -> dict[str, FormDef]``: every form, by OID.
- :func:`load_form` ``(form_oid) -> FormDef``: one form.

Parsed files are cached: definitions are read-only data shipped with the application.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import ValidationError

from desktop_crf.errors import KnownError, NotFound
from desktop_crf.resources import read_json, resource_path
from forms.schema import FormDef
from forms.study import Study, version_key


class StudyNotFound(NotFound):
    def __init__(self, study_id: str, version: str | None, known: list[str]) -> None:
        what = study_id if version is None else f"{study_id} version {version}"
        super().__init__(
            f"Study {what} is not bundled with this installation. Known: {', '.join(known)}."
        )


class FormNotFound(NotFound):
    def __init__(self, form_oid: str) -> None:
        super().__init__(
            f"Form {form_oid} is not bundled with this installation. Check the form OID "
            "(for example F.LAB_LIVER) or update the application."
        )


class DefinitionInvalid(KnownError):
    """A bundled definition file does not match its model: the installation is damaged."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(
            f"The definition file {where} is not valid ({why}). Reinstall the application or "
            "contact your data manager."
        )


def _parse(model: type[Study] | type[FormDef], data: Any, where: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        raise DefinitionInvalid(where, f"{location}: {first['msg']}") from exc


@cache
def _study_files() -> dict[str, dict[str, str]]:
    """Study id → version → file name, from the folder layout."""
    found: dict[str, dict[str, str]] = {}
    for folder in sorted(resource_path("studies").iterdir()):
        if folder.is_dir():
            versions = {f.stem: f.name for f in folder.glob("*.json")}
            if versions:
                found[folder.name] = versions
    return found


def study_versions(study_id: str) -> list[str]:
    """Return the bundled versions of ``study_id``, oldest first.

    Raises:
        StudyNotFound: no such study is bundled.
    """
    files = _study_files()
    if study_id not in files:
        raise StudyNotFound(study_id, None, sorted(files))
    return sorted(files[study_id], key=version_key)


@cache
def load_study(study_id: str, version: str | None = None) -> Study:
    """Load one version of a study, the latest when ``version`` is None.

    Raises:
        StudyNotFound: no such study or version is bundled.
        DefinitionInvalid: the file does not match the study model or names another study.
    """
    versions = study_versions(study_id)
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise StudyNotFound(study_id, version, [f"{study_id} {v}" for v in versions])
    where = f"studies/{study_id}/{_study_files()[study_id][chosen]}"
    study: Study = _parse(Study, read_json("studies", study_id, f"{chosen}.json"), where)
    if (study.id, study.version) != (study_id, chosen):
        raise DefinitionInvalid(where, f"it holds {study.id} version {study.version}")
    return study


def bundled_studies() -> dict[str, Study]:
    """Return the latest version of every bundled study, by study id."""
    return {study_id: load_study(study_id) for study_id in _study_files()}


@cache
def bundled_forms() -> dict[str, FormDef]:
    """Return every bundled form definition, by form OID.

    Raises:
        DefinitionInvalid: a file does not match the form model or is not named by its OID.
    """
    forms: dict[str, FormDef] = {}
    for path in sorted(resource_path("forms").glob("*.json")):
        where = f"forms/{path.name}"
        form: FormDef = _parse(FormDef, read_json("forms", path.name), where)
        if form.oid != path.stem:
            raise DefinitionInvalid(where, f"it holds form {form.oid}")
        forms[form.oid] = form
    return forms


def load_form(form_oid: str) -> FormDef:
    """Return the form definition with ``form_oid``.

    Raises:
        FormNotFound: no such form is bundled.
    """
    try:
        return bundled_forms()[form_oid]
    except KeyError:
        raise FormNotFound(form_oid) from None
