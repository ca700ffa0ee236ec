"""A monitor raises a query on one item of an open form, or marks it verified against the
source: right-click the item's label.

The monitor's editors are read-only, and disabled widgets get no mouse events, so the label
carries the menu (and says so in its tooltip).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from desktop_crf.model import FormKey
from desktop_crf.services import queries as query_service
from desktop_crf.ui.form.fields import ItemField
from desktop_crf.ui.ops import Ops
from desktop_crf.ui.queries.dialogs import raise_query_dialog
from forms.text import Language


class ItemQueryMenu(QObject):
    """The item labels' "Raise a query on this item…" of one form view; ``raised(target)``
    once the query is saved."""

    raised = Signal(object)  # QueryTarget

    def __init__(
        self,
        ops: Ops,
        key: FormKey,
        *,
        parent: QWidget,
        language: Language,
        verify: Callable[[ItemField], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops, self.key, self._parent, self._language = ops, key, parent, language
        self._verify = verify  # a monitor's "Mark verified against the source"
        self.item_menu: QMenu | None = None  # kept for tests and until it closes
        self.query_dialog: QDialog | None = None

    def attach(self, field: ItemField) -> None:
        """Give ``field``'s label a context menu with "Raise a query on this item…"."""
        label = field.label
        if label is None:
            return
        label.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        label.setToolTip(
            QCoreApplication.translate(
                "FormView", "Right-click to raise a query on this item or mark it verified"
            )
            if self._verify is not None
            else QCoreApplication.translate("FormView", "Right-click to raise a query on this item")
        )
        label.customContextMenuRequested.connect(
            lambda point: self._menu(field, label.mapToGlobal(point))
        )

    def _menu(self, field: ItemField, at: QPoint) -> None:
        menu = QMenu(self._parent)
        menu.setObjectName("itemMenu")
        action = menu.addAction(
            QCoreApplication.translate("FormView", "Raise a query on this item…")
        )
        action.triggered.connect(lambda: self.ask(field))
        verify = self._verify
        if verify is not None:
            mark = menu.addAction(
                QCoreApplication.translate("FormView", "Mark verified against the source")
            )
            mark.setObjectName("verifyItemAction")
            mark.triggered.connect(lambda: verify(field))
        self.item_menu = menu
        menu.popup(at)

    def ask(self, field: ItemField) -> None:
        """The monitor writes the query; it is saved through ``ops``."""
        key = self.key
        label = field.item.label.get(self._language)
        dialog = raise_query_dialog(
            key.subject_id, f"{key.event} · {key.form} · {label}", self._parent
        )
        target = query_service.QueryTarget.on_item(key, field.group, field.repeat, field.item.oid)

        def save() -> None:
            text = dialog.text()
            self.ops.write(
                lambda s: query_service.raise_query(s, target, text),
                initiator=self._parent,
                on_done=lambda _changes: self.raised.emit(target),
            )

        dialog.accepted.connect(save)
        self.query_dialog = dialog
        dialog.open()
