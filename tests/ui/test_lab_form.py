"""A lab form beside the laboratory's reference ranges, with real widgets on a real encrypted
site: each result shows its range and its H/L flag as the nurse types; the per-sample limit
rows stay folded while the laboratory's range applies, and come back when the nurse asks or
types a limit of the sample's own; where no range applies, the form says why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_crf.model import FormKey
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form.fields import ItemField
from desktop_crf.ui.form.view import FormView
from tests.helpers.lab_files import LAB, LabSite, lab_site
from tests.ui.conftest import close_ctx, make_ctx, open_form

pytestmark = pytest.mark.gui


@pytest.fixture
def site(site_dir: Path) -> LabSite:
    return lab_site(site_dir)


@pytest.fixture
def nurse(qtbot, site: LabSite) -> Iterator[UiContext]:
    ctx = make_ctx(qtbot, site.root, "nurse")
    yield ctx
    close_ctx(ctx)


def row(view: FormView, oid: str) -> ItemField:
    return next(f for f in view.fields.values() if f.item.oid == oid)


def caption(view: FormView, oid: str) -> str:
    label = row(view, oid).caption_label
    return "" if label is None else label.text()


def shown(view: FormView, oid: str) -> bool:
    return row(view, oid).editor().isVisibleTo(view)


def limits_read(qtbot, view: FormView) -> None:
    qtbot.waitUntil(lambda: view.lab is not None and view.lab.limits is not None, timeout=5000)


def type_in(qtbot, view: FormView, oid: str, text: str) -> None:
    edit = view.line_edit(row(view, oid).path)
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_a_saved_panel_shows_the_laboratory_range_for_the_subject(
    qtbot, nurse: UiContext, site: LabSite
) -> None:
    view = open_form(qtbot, nurse, FormKey(site.b, "SE.W12", "F.LAB_LIVER"))
    limits_read(qtbot, view)
    assert caption(view, "I.ALT") == "9–50 U/L"  # the range for men, ALT 38 within it
    assert caption(view, "I.AST") == "13–35 U/L"
    assert caption(view, "I.ALB") == "no range recorded for this laboratory"
    assert not shown(view, "I.ALT_ULN")
    assert not shown(view, "I.ALT_LLN")
    assert shown(view, "I.ALB_ULN")  # no laboratory range: the sample's own limits are asked


def test_ranges_follow_the_laboratory_and_date_as_typed_and_flag_the_result(
    qtbot, nurse: UiContext, site: LabSite
) -> None:
    view = open_form(qtbot, nurse, FormKey(site.a, "SE.W12", "F.LAB_LIVER"))
    limits_read(qtbot, view)
    assert caption(view, "I.ALT") == "no range: name the laboratory"
    assert shown(view, "I.ALT_ULN")
    assert view.lab is not None
    assert not view.lab.own_limits.isVisibleTo(view)

    type_in(qtbot, view, "I.SAMPLE_DATE", "2026-04-14")
    type_in(qtbot, view, "I.LAB_NAME", LAB)
    qtbot.waitUntil(lambda: caption(view, "I.ALT") == "7–40 U/L", timeout=5000)  # a woman
    assert not shown(view, "I.ALT_ULN")
    assert view.lab.own_limits.isVisibleTo(view)

    type_in(qtbot, view, "I.ALT", "45")
    assert caption(view, "I.ALT") == "7–40 U/L H"
    assert "b00020" in (row(view, "I.ALT").caption_label.styleSheet())  # type: ignore[union-attr]
    type_in(qtbot, view, "I.ALT", "5")
    assert caption(view, "I.ALT") == "7–40 U/L L"
    type_in(qtbot, view, "I.ALT", "30")
    assert caption(view, "I.ALT") == "7–40 U/L"


def test_the_samples_own_limits_are_shown_on_request_and_replace_the_laboratorys(
    qtbot, nurse: UiContext, site: LabSite
) -> None:
    view = open_form(qtbot, nurse, FormKey(site.b, "SE.W12", "F.LAB_LIVER"))
    limits_read(qtbot, view)
    assert view.lab is not None
    view.lab.own_limits.setChecked(True)
    assert shown(view, "I.ALT_ULN")
    assert shown(view, "I.ALT_LLN")
    type_in(qtbot, view, "I.ALT_ULN", "35")
    assert caption(view, "I.ALT") == "9–35 U/L H"  # ALT 38 is above the sample's own limit
    view.lab.own_limits.setChecked(False)
    assert shown(view, "I.ALT_ULN")  # a limit typed stays in sight
    assert not shown(view, "I.AST_ULN")
