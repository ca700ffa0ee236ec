"""Questionnaire wordings as data: imported whole, refused with the reason when malformed,
their official status kept with them and with the answers given in them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop_crf.resources import resource_path
from desktop_crf.services.audit_review import audit_entries
from desktop_crf.services.data_entry import load_form
from desktop_crf.services.questionnaire import choose_language
from desktop_crf.services.session import Session
from desktop_crf.services.wordings import (
    WordingRefused,
    import_wording,
    installed_wordings,
    load_wording,
    read_wording_file,
)
from tests.helpers.sites import login
from tests.helpers.tablet import due_subject, handed_over

DEMO_ZH = resource_path("demo", "qlq_c30_zh-CN.json")


def _demo() -> dict[str, Any]:
    return read_wording_file(DEMO_ZH)


def test_english_is_there_and_an_import_adds_a_language(recurrence_nurse: Session) -> None:
    assert [c.language for c in installed_wordings(recurrence_nurse)] == ["en"]
    admin = login(recurrence_nurse.root, "admin")
    try:
        imported = import_wording(admin, _demo())
    finally:
        admin.close()
    assert (imported.language, imported.official) == ("zh-CN", False)
    choices = installed_wordings(recurrence_nurse)
    assert [(c.language, c.official, c.bundled) for c in choices] == [
        ("en", True, True),
        ("zh-CN", False, False),
    ]
    assert choices[1].language_name == "中文（简体）"
    wording = load_wording(recurrence_nurse, "zh-CN")
    assert "for demonstration only" in (wording.patient_notice() or "")
    [entry] = audit_entries(recurrence_nurse, action="wording.import")
    assert entry["user"] == "admin"
    assert json.loads(entry["detail"])["official"] is False


def test_answers_given_in_an_unofficial_wording_say_so(recurrence_nurse: Session) -> None:
    admin = login(recurrence_nurse.root, "admin")
    try:
        fingerprint = import_wording(admin, _demo()).fingerprint
    finally:
        admin.close()
    key = due_subject(recurrence_nurse)
    choose_language(handed_over(recurrence_nurse, key), "zh-CN", today=date.today())
    form = load_form(recurrence_nurse, key)
    assert form.value("IG.QLQ_ADMIN", "I.QLQ_LANG") == "zh-CN"
    assert form.value("IG.QLQ_ADMIN", "I.QLQ_OFFICIAL") == "N"
    assert form.value("IG.QLQ_ADMIN", "I.QLQ_WORDING") == fingerprint


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d["items"].pop("17"), "items 17 are missing"),
        (lambda d: d.update(version="2.0"), "not EORTC QLQ-C30 version 3.0"),
        (lambda d: d.update(official="yes"), "'official' must be true or false"),
        (lambda d: d["answers"]["1-4"].pop("3"), "every 1-4 answer"),
        (lambda d: d["answers"]["1-7"].pop("7"), "both ends of the 1-7 scale"),
        (lambda d: d.update(language="Chinese"), "not a language tag"),
        (lambda d: d["items"].update({"31": "?"}), "unexpected entry '31'"),
        (lambda d: d.update(copyright=""), "'copyright' is missing or empty"),
    ],
)
def test_a_malformed_wording_is_refused_with_the_reason(
    site_dir: Path, change: Any, reason: str
) -> None:
    content = _demo()
    change(content)
    admin = login(site_dir, "admin")
    try:
        with pytest.raises(WordingRefused, match=reason):
            import_wording(admin, content, where="zh.json")
        assert [c.language for c in installed_wordings(admin)] == ["en"]
        assert audit_entries(admin, action="wording.import") == []
    finally:
        admin.close()


def test_a_file_that_is_not_json_is_refused_with_where(tmp_path: Path) -> None:
    broken = tmp_path / "zh.json"
    broken.write_text('{"instrument": "EORTC QLQ-C30",\n "items": }', encoding="utf-8")
    with pytest.raises(WordingRefused, match=r"not JSON .* line 2"):
        read_wording_file(broken)
    with pytest.raises(WordingRefused, match="cannot be read"):
        read_wording_file(tmp_path / "absent.json")
    listed = tmp_path / "list.json"
    listed.write_text("[]", encoding="utf-8")
    with pytest.raises(WordingRefused, match="one JSON object"):
        read_wording_file(listed)
