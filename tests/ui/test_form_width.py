"""No form scrolls sideways at 1280×800, in either language: every row's question stays in
sight beside its answer (the SAE section once pushed the labels off screen)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea

from desktop_crf.model import FormKey
from desktop_crf.studies import bundled_forms
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form.view import FormView
from tests.ui.conftest import make_ctx

pytestmark = pytest.mark.gui

FORMS = sorted(bundled_forms())


@pytest.fixture(scope="module", params=["en", "zh"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("oid", FORMS)
def test_no_form_scrolls_sideways(qtbot, site_dir, subject_id, language: str, oid: str) -> None:
    ctx: UiContext = make_ctx(qtbot, site_dir, "nurse", language=language)
    try:
        form = bundled_forms()[oid]
        view = FormView(ctx, FormKey(subject_id, "SE.W12", oid), form)
        qtbot.addWidget(view)
        view.resize(1280, 800)
        view.show()
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.load()
        for group in form.item_groups:
            if group.repeating:
                view.add_repeat(group.oid)
        for field in view.fields.values():  # every row, whatever the answers
            field.set_shown(True)
        QApplication.processEvents()
        scroll = view.findChild(QScrollArea)
        assert scroll is not None
        too_wide = scroll.widget().minimumSizeHint().width() - scroll.viewport().width()
        assert too_wide <= 0, f"{oid} ({language}) is {too_wide} px too wide"
        assert scroll.horizontalScrollBar().maximum() == 0
    finally:
        ctx.worker.wait_idle()
        ctx.session.close()
