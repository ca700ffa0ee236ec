"""The "My tasks" tab: what waits for the user signed in (``services.tasks``), each with its
age; a double-click goes there (the form, else the subject). Read on the store worker, again
when shown and after any change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.model import Changes
from desktop_crf.services.tasks import Task, tasks
from desktop_crf.ui.common.labels import Labels
from desktop_crf.ui.common.table_model import Index, RowsTableModel
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.monitor.words import MonitorWording


class TasksTableModel(RowsTableModel):
    """One row per task: what, subject, where, details, age."""

    def __init__(self, words: MonitorWording, labels: Labels) -> None:
        super().__init__()
        self.words, self.labels = words, labels
        self._headers = [
            QCoreApplication.translate("TasksTableModel", "Task"),
            QCoreApplication.translate("TasksTableModel", "Subject"),
            QCoreApplication.translate("TasksTableModel", "Where"),
            QCoreApplication.translate("TasksTableModel", "Details"),
            QCoreApplication.translate("TasksTableModel", "Age"),
        ]
        self.now = datetime.now(UTC)

    def set_tasks(self, rows: list[Task]) -> None:
        self.beginResetModel()
        self._rows, self.now = rows, datetime.now(UTC)
        self.endResetModel()

    def task(self, row: int) -> Task:
        task: Task = self._rows[row]
        return task

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        task = self.task(index.row())
        column = index.column()
        if column == 0:
            return self.words.task(task.kind)
        if column == 1:
            return task.subject
        if column == 2:
            return self._where(task)
        if column == 3:
            return self._details(task)
        return self.words.age(task.since, self.now)

    def _where(self, task: Task) -> str:
        if task.key is not None:
            visit = self.labels.visit(task.key.event, task.key.event_repeat)
            return f"{visit} · {self.labels.form(task.key.form)}"
        if task.kind in ("overdue_visit", "sign_visit"):
            return self.labels.visit(task.what)
        return ""

    def _details(self, task: Task) -> str:
        if task.kind in ("answer_query", "close_query"):
            return task.what
        if task.kind == "changed_since_verified" and task.key is not None:
            return self.labels.item(task.key.form, task.what)
        if task.kind == "sdv_critical":
            return QCoreApplication.translate("TasksTableModel", "{0} values").format(task.count)
        if task.kind == "sign_visit":
            return QCoreApplication.translate("TasksTableModel", "{0} forms").format(task.count)
        if task.kind == "sae_clock":
            return QCoreApplication.translate("TasksTableModel", "due {0}").format(
                task.what[:16].replace("T", " ")
            )
        return ""


class TasksView(QWidget):
    """Emits ``open_form(FormKey)`` or ``open_subject(str)`` on a task's double-click."""

    open_form = Signal(object)
    open_subject = Signal(str)
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("TasksView")
        self.ctx = ctx
        self.words = MonitorWording(self)
        self.model = TasksTableModel(self.words, ctx.labels)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("tasksSummary")
        layout.addWidget(self.summary)
        self.table = QTableView()
        self.table.setObjectName("tasksTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(50)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table)
        ctx.ops.changed.connect(self._changed)

    def load(self) -> None:
        today, now = date.today(), datetime.now().astimezone()
        self.ctx.ops.read(lambda s: tasks(s, today=today, now=now), self._show, owner=self)

    def _show(self, rows: list[Task]) -> None:
        self.model.set_tasks(rows)
        self.summary.setText(
            self.tr("{0} tasks wait for you. Double-click one to go there.").format(len(rows))
            if rows
            else self.tr("Nothing waits for you.")
        )
        self.loaded.emit()

    def _changed(self, _changes: Changes, _initiator: object) -> None:
        if self.isVisible():
            self.load()

    def _activated(self, index: QModelIndex) -> None:
        task = self.model.task(index.row())
        if task.key is not None:
            self.open_form.emit(task.key)
        else:
            self.open_subject.emit(task.subject)
