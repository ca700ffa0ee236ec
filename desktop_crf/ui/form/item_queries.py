"""A monitor raises a query on one item of an open form: right-click the item's label.

The monitor's editors are read-only, and disabled widgets get no mouse events, so the label
carries the menu (and says so in its tooltip).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from desktop_crf.errors import KnownError
from desktop_crf.services import queries as query_service
from desktop_crf.ui.form.fields import ItemField
from desktop_crf.ui.queries.dialogs import raise_query_dialog

if TYPE_CHECKING:
    from desktop_crf.ui.form.view import FormView


def offer_item_query(view: FormView, field: ItemField) -> None:
    """Give ``field``'s label a context menu with "Raise a query on this item…"."""
    label = field.label
    assert label is not None
    label.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    label.setToolTip(
        QCoreApplication.translate("FormView", "Right-click to raise a query on this item")
    )
    label.customContextMenuRequested.connect(
        lambda point: _menu(view, field, label.mapToGlobal(point))
    )


def _menu(view: FormView, field: ItemField, at: QPoint) -> None:
    menu = QMenu(view)
    menu.setObjectName("itemMenu")
    action = menu.addAction(QCoreApplication.translate("FormView", "Raise a query on this item…"))
    action.triggered.connect(lambda: ask_item_query(view, field))
    view.item_menu = menu  # kept for tests and until it closes
    menu.popup(at)


def ask_item_query(view: FormView, field: ItemField) -> None:
    """The monitor writes the query; it is saved on the store worker."""
    key = view.key
    ctx = view.ctx
    label = field.item.label.get(ctx.language)
    dialog = raise_query_dialog(key.subject_id, f"{key.event} · {key.form} · {label}", view)
    target = query_service.QueryTarget.on_item(key, field.group, field.repeat, field.item.oid)

    def save() -> None:
        text, session = dialog.text(), ctx.session
        ctx.worker.submit(
            lambda: query_service.raise_query(session, target, text),
            on_done=lambda _changes: view.query_raised.emit(target),
            on_error=lambda exc: _failed(view, exc),
            owner=view,
        )

    dialog.accepted.connect(save)
    view.query_dialog = dialog
    dialog.open()


def _failed(view: FormView, exc: BaseException) -> None:
    if not isinstance(exc, KnownError):
        raise exc
    QMessageBox.warning(view, "desktop-crf", str(exc))
