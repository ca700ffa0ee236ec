"""Queries on the site's data (a monitor's, or a conflict between two devices), for the whole
site or one subject: the site answers and resolves them; a monitor signed in here raises,
closes and reopens them (sent to the server with the next round)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.model import FormKey
from desktop_crf.services import queries as query_service
from desktop_crf.services.permissions import Permission
from desktop_crf.services.queries import Query
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.queries.dialogs import (
    AnswerDialog,
    QueryTextDialog,
    ResolveDialog,
    describe_value,
    raise_query_dialog,
)
from desktop_crf.ui.sync.indicator import local_time

_STATUS_COLOURS = {"open": "#b00020", "answered": "#8a5a00", "closed": "#188038"}


class QueryList(QWidget):
    """``open_form(FormKey)`` on double-click of a query about a form. What it saves goes
    through ``ops``; the view that holds the list reads it again on the change."""

    open_form = Signal(object)
    loaded = Signal()

    def __init__(self, ctx: UiContext, subject_id: str | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.subject_id = ctx, subject_id
        self.queries: list[Query] = []
        self.dialog: QueryTextDialog | ResolveDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setObjectName("queryTree")
        headers = [self.tr("#"), self.tr("Subject"), self.tr("Where"), self.tr("Query")]
        headers += [self.tr("Status"), self.tr("Values / answers")]
        self.tree.setHeaderLabels(headers)
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setColumnHidden(1, subject_id is not None)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemActivated.connect(self._activated)
        layout.addWidget(self.tree, 1)
        self.detail = QLabel()
        self.detail.setObjectName("queryDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        self.show_closed = QCheckBox(self.tr("Show closed"))
        self.show_closed.toggled.connect(lambda _on: self._show())
        row.addWidget(self.show_closed)
        row.addStretch(1)
        self.answer_button = QPushButton(self.tr("Answer…"))
        self.answer_button.setObjectName("answerButton")
        self.answer_button.clicked.connect(self._answer)
        self.resolve_button = QPushButton(self.tr("Resolve conflict…"))
        self.resolve_button.setObjectName("resolveButton")
        self.resolve_button.clicked.connect(self._resolve)
        for button in (self.answer_button, self.resolve_button):
            button.setVisible(ctx.may(Permission.ENTER_DATA))
            row.addWidget(button)
        self.raise_button = QPushButton(self.tr("Raise query…"))
        self.raise_button.setObjectName("raiseQueryButton")
        self.raise_button.clicked.connect(self._raise)
        self.close_button = QPushButton(self.tr("Close query…"))
        self.close_button.setObjectName("closeQueryButton")
        self.close_button.clicked.connect(lambda: self._move("close"))
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.setObjectName("reopenQueryButton")
        self.reopen_button.clicked.connect(lambda: self._move("reopen"))
        monitor = ctx.may(Permission.RAISE_QUERY)
        for button in (self.raise_button, self.close_button, self.reopen_button):
            button.setVisible(monitor)
            row.addWidget(button)
        self.raise_button.setVisible(monitor and subject_id is not None)
        layout.addLayout(row)
        self.empty = QLabel(self.tr("No queries."))
        self.empty.setObjectName("noQueries")
        layout.addWidget(self.empty)
        self._update_buttons()

    def load(self) -> None:
        """Read the queries (a subject's view gives them with its own read instead)."""
        subject = self.subject_id
        self.ctx.ops.read(lambda s: query_service.server_queries(s, subject), self.show_queries)

    def show_queries(self, queries: list[Query]) -> None:
        self.queries = queries
        self._show()
        self.loaded.emit()

    def _show(self) -> None:
        self.tree.clear()
        shown = [q for q in self.queries if self.show_closed.isChecked() or q.status != "closed"]
        for query in shown:
            item = QTreeWidgetItem(
                [
                    "—" if query.is_pending else str(query.id),
                    query.subject or "",
                    self._where(query),
                    query.text or "",
                    self.status_text(query.status, query),
                    self._details(query),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, query)
            item.setToolTip(3, query.text or "")
            colour = _STATUS_COLOURS.get(query.status)
            if colour:
                item.setForeground(4, QBrush(QColor(colour)))
            self.tree.addTopLevelItem(item)
        self.empty.setVisible(not shown)
        for column in (0, 1, 2, 4):
            self.tree.resizeColumnToContents(column)
        # beside a subject the panel is narrow: keep the status in sight
        self.tree.setColumnWidth(3, 320 if self.subject_id is None else 180)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._update_buttons()

    def _where(self, query: Query) -> str:
        """Where the query is, in words (the codes are in the detail below the list)."""
        return self.ctx.labels.place(
            {
                "event": query.event,
                "event_repeat": query.event_repeat,
                "form": query.form,
                "item": query.item,
                "group_repeat": query.group_repeat,
            }
        )

    def _details(self, query: Query) -> str:
        if query.is_conflict:
            values = [describe_value(v) for v in query.values if not v.is_empty]
            return self.tr("conflict: {0}").format(" | ".join(values))
        return " | ".join(f"{a.by or ''}: {a.text or ''}" for a in query.answers)

    def _describe(self, query: Query) -> str:
        """The selected query in full: who asked when, the text, the values or answers."""
        number = self.tr("not sent yet") if query.is_pending else f"#{query.id}"
        head = f"{number} · {query.opened_by or ''} · "
        head += local_time(query.opened_at)
        codes = " · ".join(str(p) for p in (query.event, query.form, query.item) if p)
        lines = [f"{head} · {codes}" if codes else head, query.text or ""]
        details = self._details(query)
        if details:
            lines.append(details)
        if query.status == "closed":
            closed = self.tr("Closed by {0} at {1}: {2}").format(
                query.closed_by or "",
                local_time(query.closed_at),
                query.close_text or "",
            )
            lines.append(closed)
        return "\n".join(lines)

    def status_text(self, status: str, query: Query | None = None) -> str:
        if query is not None and query.is_pending:
            return self.tr("open, not sent yet")
        return {
            "open": self.tr("open"),
            "answered": self.tr("answered"),
            "closed": self.tr("closed"),
        }.get(status, status)

    def selected(self) -> Query | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_buttons(self) -> None:
        """Each button as the query's life cycle allows (``sync.queries``, via the services)."""
        query = self.selected()
        self.detail.setText(self._describe(query) if query is not None else "")
        service = query_service
        self.answer_button.setEnabled(query is not None and service.may_answer(query))
        self.resolve_button.setEnabled(query is not None and service.may_resolve(query))
        self.close_button.setEnabled(query is not None and service.may_move(query, service.CLOSE))
        self.reopen_button.setEnabled(query is not None and service.may_move(query, service.REOPEN))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        query: Query | None = item.data(0, Qt.ItemDataRole.UserRole)
        if query is not None and query.subject and query.event and query.form:
            self.open_form.emit(_form_key(query))

    # -- answering and resolving ---------------------------------------------------------------

    def _answer(self) -> None:
        query = self.selected()
        if query is None:
            return
        query_id = query_service.query_ref(query)  # its origin while not sent yet
        dialog = AnswerDialog(query, self)
        dialog.accepted.connect(lambda: self._save_answer(query_id, dialog.answer()))
        self.dialog = dialog
        dialog.open()

    def _save_answer(self, query_id: query_service.QueryRef, text: str) -> None:
        self.ctx.ops.write(lambda s: query_service.answer_query(s, query_id, text), initiator=self)

    def _resolve(self) -> None:
        query = self.selected()
        if query is None:
            return
        dialog = ResolveDialog(query, self)
        dialog.accepted.connect(lambda: self._save_resolution(query, dialog))
        self.dialog = dialog
        dialog.open()

    def _save_resolution(self, query: Query, dialog: ResolveDialog) -> None:
        choice = dialog.choice()
        if choice is None:
            return
        value, unit = choice
        reason = dialog.reason()
        self.ctx.ops.write(
            lambda s: query_service.resolve_conflict(
                s,
                _form_key(query),
                item_group=str(query.item_group),
                item=str(query.item),
                value=value,
                unit=unit,
                reason=reason,
                group_repeat=query.group_repeat or 1,
            ),
            initiator=self,
        )

    def _raise(self) -> None:
        """A monitor's query on the subject as a whole (a row's own is raised from the form)."""
        if self.subject_id is None:
            return
        dialog = raise_query_dialog(self.subject_id, None, self)
        target = query_service.QueryTarget(subject=self.subject_id)
        dialog.accepted.connect(lambda: self._save_raised(target, dialog.text()))
        self.dialog = dialog
        dialog.open()

    def _save_raised(self, target: query_service.QueryTarget, text: str) -> None:
        self.ctx.ops.write(lambda s: query_service.raise_query(s, target, text), initiator=self)

    def _move(self, to: str) -> None:
        """Close (the answer is accepted) or reopen (something is still needed) a query."""
        query = self.selected()
        if query is None:
            return
        ref = query_service.query_ref(query)  # its origin while not sent yet
        number = self.tr("not sent yet") if query.is_pending else str(query.id)
        if to == "close":
            dialog = QueryTextDialog(
                self.tr("Close query #{0}").format(number),
                self.tr("Closing says the answer is accepted. {0}").format(query.text or ""),
                self.tr("Closing remark (e.g. verified against the source document)"),
                self,
            )
            call = query_service.close_query
        else:
            dialog = QueryTextDialog(
                self.tr("Reopen query #{0}").format(number),
                self.tr("Reopening sends the query back to the site. {0}").format(query.text or ""),
                self.tr("What is still needed"),
                self,
            )
            call = query_service.reopen_query

        def save() -> None:
            text = dialog.text()
            self.ctx.ops.write(lambda s: call(s, ref, text), initiator=self)

        dialog.accepted.connect(save)
        self.dialog = dialog
        dialog.open()


def _form_key(query: Query) -> FormKey:
    return FormKey(str(query.subject), str(query.event), str(query.form), query.event_repeat or 1)
