"""The "Sync" tab: the state in words, "Sync now", change sets the server refused, and every
query and conflict of the site — each with what the site should do about it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.model import Changes
from desktop_crf.services.overview import SyncTab, sync_tab
from desktop_crf.services.sync import SetAside
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.queries.query_list import QueryList
from desktop_crf.ui.sync.indicator import SyncWording, local_time
from desktop_crf.ui.sync.state import SyncState


class SyncPanel(QWidget):
    sync_now_requested = Signal()
    open_form = Signal(object)
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("SyncPanel")
        self.ctx = ctx
        self.refused: list[dict[str, Any]] = []
        self._words = SyncWording(self)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.state_label = QLabel()
        self.state_label.setObjectName("syncState")
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet("font-size: 12pt;")
        top.addWidget(self.state_label, 1)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("syncNowButton")
        self.sync_button.clicked.connect(self.sync_now_requested)
        top.addWidget(self.sync_button)
        layout.addLayout(top)
        self.details = QLabel()
        self.details.setObjectName("syncDetails")
        self.details.setWordWrap(True)
        layout.addWidget(self.details)

        self.refused_title = QLabel(self.tr("Changes the server refused"))
        self.refused_title.setStyleSheet("font-weight: 600; color: #b00020;")
        layout.addWidget(self.refused_title)
        self.refused_help = QLabel(
            self.tr(
                "The server did not accept these changes. They are kept on this computer and "
                "nothing is lost. Do not enter the data again: tell your data manager and quote "
                "the id and the reason shown."
            )
        )
        self.refused_help.setWordWrap(True)
        layout.addWidget(self.refused_help)
        self.refused_tree = QTreeWidget()
        self.refused_tree.setObjectName("refusedTree")
        self.refused_tree.setRootIsDecorated(False)
        self.refused_tree.setHeaderLabels(
            [self.tr("Changes"), self.tr("Refused at"), self.tr("Reason"), self.tr("Id")]
        )
        layout.addWidget(self.refused_tree)

        self.aside_title = QLabel(self.tr("Records from the server set aside"))
        self.aside_title.setStyleSheet("font-weight: 600; color: #b00020;")
        layout.addWidget(self.aside_title)
        self.aside_help = QLabel(
            self.tr(
                "This computer could not apply these records it received from the server. It "
                "set them aside and went on receiving everything else; the server has been told. "
                "Tell your data manager and quote the reason shown."
            )
        )
        self.aside_help.setWordWrap(True)
        layout.addWidget(self.aside_help)
        self.aside_tree = QTreeWidget()
        self.aside_tree.setObjectName("setAsideTree")
        self.aside_tree.setRootIsDecorated(False)
        self.aside_tree.setHeaderLabels(
            [self.tr("Record"), self.tr("Set aside at"), self.tr("Reason"), self.tr("Server told")]
        )
        layout.addWidget(self.aside_tree)
        self.set_aside: list[SetAside] = []

        title = QLabel(self.tr("Queries and conflicts"))
        title.setStyleSheet("font-weight: 600;")
        layout.addWidget(title)
        help_text = QLabel(
            self.tr(
                "A monitor's query: answer it. A conflict: the same value was changed on two "
                "computers; both are kept until you choose the right one with a reason. "
                "Double-click to open the form."
            )
        )
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        self.queries = QueryList(ctx)
        self.queries.open_form.connect(self.open_form)
        layout.addWidget(self.queries, 1)
        self._show_refused()
        self._show_set_aside()
        ctx.ops.changed.connect(self._changed)

    def load(self) -> None:
        """Read the refused sets and the queries again, in one call."""
        self.ctx.ops.read(sync_tab, self._loaded)

    def _loaded(self, tab: SyncTab) -> None:
        self.refused = tab.refused
        self._show_refused()
        self.set_aside = tab.set_aside
        self._show_set_aside()
        self.queries.show_queries(tab.queries)
        self.loaded.emit()

    def _changed(self, _changes: Changes, _initiator: object) -> None:
        self.load()

    def _show_refused(self) -> None:
        self.refused_tree.clear()
        for record in self.refused:
            changes = self.tr("entries {0}–{1}").format(
                record.get("seq_from"), record.get("seq_to")
            )
            item = QTreeWidgetItem(
                [
                    changes,
                    local_time(record.get("at")),
                    f"{record.get('code', '')}: {record.get('reason', '')}",
                    str(record.get("id", ""))[:16],
                ]
            )
            item.setToolTip(2, str(record.get("reason", "")))
            item.setToolTip(3, str(record.get("id", "")))
            self.refused_tree.addTopLevelItem(item)
        for widget in (self.refused_title, self.refused_help, self.refused_tree):
            widget.setVisible(bool(self.refused))
        for column in range(4):
            self.refused_tree.resizeColumnToContents(column)

    def _show_set_aside(self) -> None:
        self.aside_tree.clear()
        for record in self.set_aside:
            if record.kind == "entry" and record.device is not None:
                what = self.tr("entry {0}#{1}").format(record.device, record.seq)
            elif record.kind == "query":
                what = self.tr("query #{0}").format(record.query_id)
            else:
                what = self.tr("record {0}").format(record.pos)
            told = self.tr("yes") if record.reported_at else self.tr("not yet")
            item = QTreeWidgetItem([what, local_time(record.at), record.reason, told])
            item.setToolTip(2, record.reason)
            self.aside_tree.addTopLevelItem(item)
        for widget in (self.aside_title, self.aside_help, self.aside_tree):
            widget.setVisible(bool(self.set_aside))
        for column in range(4):
            self.aside_tree.resizeColumnToContents(column)

    def show_state(self, state: SyncState) -> None:
        self.state_label.setText(self._words.text_for(state))
        self.details.setText("\n".join(self._words.details_for(state)))
        self.sync_button.setEnabled(state.mode not in ("demo", "syncing"))
