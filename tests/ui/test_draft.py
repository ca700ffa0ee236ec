"""The form's draft on its own, with no Qt: what was read, what is typed, what changed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop_crf.model import FormKey, StoredValue
from desktop_crf.services.data_entry import FormData
from desktop_crf.studies import load_form
from desktop_crf.ui.form.draft import FormDraft, Row
from forms.schema import FormDef, item_path

ROOT = Path(__file__).resolve().parents[2]
KEY = FormKey("NB02-A1B2C3-0001", "SE.W12", "F.LAB_LIVER")


def _rows(draft: FormDraft, form: FormDef, repeats: dict[str, int] | None = None) -> None:
    for group in form.item_groups:
        for repeat in range(1, (repeats or {}).get(group.oid, 1) + 1):
            for item in group.items:
                rep = repeat if group.repeating else None
                path = item_path(item.oid, group_oid=group.oid, repeat=rep)
                draft.add_row(Row(path, group.oid, repeat, item))


def _data(*values: StoredValue, key: FormKey = KEY, status: str | None = "draft") -> FormData:
    return FormData(key, status, {v.path: v for v in values}, None)


def _open(form_oid: str, data: FormData, repeats: dict[str, int] | None = None) -> FormDraft:
    form = load_form(form_oid)
    draft = FormDraft(form, today=lambda: date(2026, 6, 1))
    _rows(draft, form, repeats)
    opening = draft.opening(data, None)
    for path, (text, unit) in opening.values.items():
        draft.put(path, text, unit)
    draft.opened(data, restored=opening.restored)
    return draft


def test_importing_the_draft_loads_no_qt() -> None:
    """In a fresh interpreter: neither the draft nor anything it imports loads Qt."""
    code = (
        "import sys, desktop_crf.ui.form.draft; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_opening_puts_the_saved_values_and_restored_typing_over_them() -> None:
    form = load_form("F.LAB_LIVER")
    draft = FormDraft(form)
    _rows(draft, form)
    saved = _data(
        StoredValue("IG.LIVER", 1, "I.ALT", "35", "U/L", 1),
        StoredValue("IG.LIVER", 1, "I.AST", "20", "U/L", 1),
    )
    autosaved = {
        "fields": {"I.ALT": ["53", "U/L"]},
        "where": {"I.ALT": ["IG.LIVER", 1, "I.ALT"]},
    }
    opening = draft.opening(saved, autosaved)
    assert opening.values["I.ALT"] == ("53", "U/L")  # the typing wins over the saved value
    assert opening.values["I.AST"] == ("20", "U/L")
    assert opening.restored
    draft.opened(saved, restored=True)
    assert draft.dirty  # restored typing is not saved yet


def test_a_save_sends_only_changed_rows_each_with_the_revision_it_was_read_at() -> None:
    draft = _open(
        "F.LAB_LIVER",
        _data(
            StoredValue("IG.LIVER", 1, "I.ALT", "35", "U/L", 3),
            StoredValue("IG.LIVER", 1, "I.AST", "20", "U/L", 1),
        ),
    )
    assert draft.inputs() == []
    assert not draft.dirty
    draft.type("I.ALT", "53", "U/L")
    draft.type("I.LAB_NAME", "Central lab", None)
    assert draft.dirty
    sent = {i.item: i for i in draft.inputs("transcription error")}
    assert set(sent) == {"I.ALT", "I.LAB_NAME"}
    assert (sent["I.ALT"].value, sent["I.ALT"].base_rev, sent["I.ALT"].reason) == (
        "53",
        3,
        "transcription error",
    )
    assert sent["I.LAB_NAME"].base_rev == 0
    assert [r.item.oid for r in draft.changed_saved_rows()] == ["I.ALT"]


def test_clearing_a_saved_value_is_a_change_and_typing_it_back_is_none() -> None:
    draft = _open("F.LAB_LIVER", _data(StoredValue("IG.LIVER", 1, "I.ALT", "35", "U/L", 1)))
    draft.type("I.ALT", "", "U/L")
    (cleared,) = draft.inputs()
    assert cleared.item == "I.ALT"
    assert cleared.value == ""
    draft.type("I.ALT", "35", "U/L")
    assert draft.inputs() == []


def test_a_value_from_elsewhere_shows_in_an_untouched_row_and_typing_is_kept() -> None:
    draft = _open(
        "F.LAB_LIVER",
        _data(
            StoredValue("IG.LIVER", 1, "I.ALT", "35", "U/L", 1),
            StoredValue("IG.LIVER", 1, "I.AST", "20", "U/L", 1),
        ),
    )
    draft.type("I.AST", "22", "U/L")  # the nurse is changing AST
    newer = _data(
        StoredValue("IG.LIVER", 1, "I.ALT", "36", "U/L", 2),
        StoredValue("IG.LIVER", 1, "I.AST", "25", "U/L", 2),
    )
    incoming = draft.take(newer)
    assert incoming.put == {"I.ALT": ("36", "U/L")}
    assert [(row.path, now.value) for row, now in incoming.kept] == [("I.AST", "25")]
    assert draft.text("I.AST") == "22"  # the typing stays
    assert draft.stored is newer
    # saving now replaces the other computer's AST deliberately, from its new revision
    (sent,) = [i for i in draft.inputs() if i.item == "I.AST"]
    assert sent.base_rev == 2


def test_a_value_of_a_repeat_not_built_yet_asks_for_the_repeat() -> None:
    key = FormKey("NB02-A1B2C3-0001", "SE.LOG", "F.AE")
    draft = _open(
        "F.AE",
        _data(StoredValue("IG.AE", 1, "I.AETERM", "Fatigue", None, 1), key=key),
        {"IG.AE": 1},
    )
    incoming = draft.take(
        _data(
            StoredValue("IG.AE", 1, "I.AETERM", "Fatigue", None, 1),
            StoredValue("IG.AE", 2, "I.AETERM", "Nausea", None, 1),
            key=key,
        )
    )
    assert incoming.new == {"IG.AE[2]/I.AETERM": ("Nausea", None)}
    assert incoming.repeats == {"IG.AE": 2}
    assert incoming.put == {}


def test_checks_derive_values_apply_show_when_and_rank_errors_first() -> None:
    draft = _open("F.AE", _data(key=FormKey("S", "SE.LOG", "F.AE")), {"IG.AE": 1})
    draft.type("IG.AE[1]/I.AEONGO", "Y", None)
    check = draft.recheck()
    assert "IG.AE[1]/I.AEENDAT" not in check.shown  # the end date only when not ongoing
    draft.type("IG.AE[1]/I.AEONGO", "N", None)
    draft.type("IG.AE[1]/I.AEENDAT", "2026-13-45", None)
    check = draft.recheck()
    assert "IG.AE[1]/I.AEENDAT" in check.shown
    assert check.by_path["IG.AE[1]/I.AEENDAT"].severity == "error"
    assert check.errors >= 1


def test_a_check_stands_until_a_row_its_values_or_the_day_change() -> None:
    """A save right after typing (or the focus moving on) does not check the form again; a
    typed value, a new repeat's rows or another day do."""
    day = [date(2026, 6, 1)]
    form = load_form("F.AE")
    draft = FormDraft(form, today=lambda: day[0])
    _rows(draft, form, {"IG.AE": 1})
    draft.opened(_data(key=FormKey("S", "SE.LOG", "F.AE")), restored=False)
    draft.type("IG.AE[1]/I.AESTDAT", "2026-06-02", None)  # tomorrow: not in the future later
    first = draft.recheck()
    assert "IG.AE[1]/I.AESTDAT" in first.by_path
    assert draft.recheck() is first
    draft.type("IG.AE[1]/I.AETERM", "Fatigue", None)
    typed = draft.recheck()
    assert typed is not first
    assert draft.recheck() is typed
    ae = next(group for group in form.item_groups if group.oid == "IG.AE")
    for item in ae.items:  # a second AE's rows
        draft.add_row(Row(item_path(item.oid, group_oid="IG.AE", repeat=2), "IG.AE", 2, item))
    more = draft.recheck()
    assert more is not typed
    day[0] = date(2026, 6, 3)
    later = draft.recheck()
    assert later is not more
    assert "IG.AE[1]/I.AESTDAT" not in later.by_path


def test_derived_values_are_put_not_typed() -> None:
    draft = _open("F.CHILD_PUGH", _data(key=FormKey("S", "SE.SCREENING", "F.CHILD_PUGH")))
    for item, value, unit in (
        ("I.CP_TBIL", "15", "umol/L"),
        ("I.CP_ALB", "40", "g/L"),
        ("I.CP_INR", "1.1", None),
        ("I.CP_ASCITES", "none", None),
        ("I.CP_ENCEPHALOPATHY", "none", None),
    ):
        draft.type(item, value, unit or draft.row(item).item.unit)
    check = draft.recheck()
    assert draft.text("I.CP_SCORE") == "5"
    assert draft.text("I.CP_CLASS") == "A"
    assert {"I.CP_SCORE", "I.CP_CLASS"} <= check.filled
    assert {i.item for i in draft.inputs()}.isdisjoint({"I.CP_SCORE", "I.CP_CLASS"})


def test_autosave_keeps_every_row_with_where_it_is_stored() -> None:
    draft = _open("F.LAB_LIVER", _data())
    draft.type("I.ALT", "40", "U/L")
    payload = draft.autosave_payload()
    assert payload["fields"]["I.ALT"] == ["40", "U/L"]
    assert payload["where"]["I.ALT"] == ["IG.LIVER", 1, "I.ALT"]
    reopened = FormDraft(load_form("F.LAB_LIVER"))
    _rows(reopened, load_form("F.LAB_LIVER"))
    assert reopened.opening(_data(), payload).values["I.ALT"] == ("40", "U/L")


def test_a_conflict_names_both_values() -> None:
    marker = '{"query_id": 4, "values": [{"value": "35"}, {"value": "53"}]}'
    draft = _open("F.LAB_LIVER", _data(StoredValue("IG.LIVER", 1, "I.ALT", "35", "U/L", 2, marker)))
    assert draft.conflicts() == {"I.ALT": ["35", "53"]}


@pytest.mark.parametrize("marker", ["not json", "[]", '{"values": "x"}'])
def test_a_damaged_conflict_marker_names_no_values(marker: str) -> None:
    draft = _open("F.LAB_LIVER", _data(StoredValue("IG.LIVER", 1, "I.ALT", "35", "U/L", 2, marker)))
    assert draft.conflicts() == {"I.ALT": []}


def test_a_row_whose_controlling_row_is_hidden_is_hidden_as_validation_says() -> None:
    """Show-when decided once: the histology date follows the histology, which applies only
    while recurrence is suspected; with recurrence answered No, a histology left over from
    before does not show its date, and the date typed then is flagged as not applying."""
    draft = _open("F.IMAGING", _data(key=FormKey("S", "SE.W12", "F.IMAGING")))
    draft.type("I.RECURRENCE", "Y", None)
    draft.type("I.HISTOLOGY", "HCC", None)
    assert {"I.HISTOLOGY", "I.HISTOLOGY_DATE"} <= draft.recheck().shown
    draft.type("I.RECURRENCE", "N", None)
    draft.type("I.HISTOLOGY_DATE", "2026-05-01", None)
    check = draft.recheck()
    assert "I.HISTOLOGY" not in check.shown
    assert "I.HISTOLOGY_DATE" not in check.shown  # its controller is hidden: counts as blank
    assert check.by_path["I.HISTOLOGY_DATE"].key == "not_applicable"
