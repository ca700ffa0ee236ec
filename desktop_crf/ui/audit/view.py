"""The "Audit trail" tab: a monitor filters the trail, pages through it newest first, verifies
the hash chain and exports it to CSV — all read and written on the store worker."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.model import ChainReport, Changes, FormKey
from desktop_crf.services import site
from desktop_crf.services.audit_review import (
    audit_entries,
    audit_filter_choices,
    entry_key,
)
from desktop_crf.services.permissions import Permission
from desktop_crf.ui.audit.export import AuditExport
from desktop_crf.ui.audit.table import BROKEN_COLOUR, AuditTableModel, AuditWording
from desktop_crf.ui.common.inputs import ComboBox, DateEdit
from desktop_crf.ui.context import UiContext

_GREEN, _RED = "#188038", BROKEN_COLOUR


class AuditView(QWidget):
    """Emits ``open_form(FormKey)`` on double-click of an entry about a form."""

    open_form = Signal(object)
    loaded = Signal()
    verified = Signal(object)  # ChainReport
    export_finished = Signal(bool)  # True when the file was written

    page_size = 500

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("AuditView")
        self.ctx = ctx
        self.filters: dict[str, Any] = {}
        self.has_more = False
        self._page_request = 0  # a page asked for under older filters is dropped
        self.words = AuditWording(self)
        self.model = AuditTableModel(self.words, ctx.labels)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filters())
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep the item id in view
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(50)  # measure a page's first rows, not all of them
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        layout.addWidget(self.table, 1)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("auditDetail")
        self.detail.setReadOnly(True)
        self.detail.setFixedHeight(self.fontMetrics().lineSpacing() * 7 + 20)
        self.detail.setPlaceholderText(self.tr("Select an entry to see all of it."))
        layout.addWidget(self.detail)
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        layout.addLayout(self._build_buttons())
        self.export = AuditExport(self.ctx.ops, self.export_button, self.words, parent=self)
        self.export.finished.connect(self._exported)
        ctx.ops.changed.connect(self._changed)

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.subject_edit = QLineEdit()
        self.subject_edit.setObjectName("auditSubject")
        self.subject_edit.setPlaceholderText(self.tr("Subject id"))
        self.user_edit = QLineEdit()
        self.user_edit.setObjectName("auditUser")
        self.user_edit.setPlaceholderText(self.tr("User"))
        for edit in (self.subject_edit, self.user_edit):
            edit.setClearButtonEnabled(True)
            edit.setMaximumWidth(190)
            edit.returnPressed.connect(self.apply_filters)
            row.addWidget(edit)
        self.action_box = ComboBox()
        self.action_box.setObjectName("auditActionFilter")
        self.action_box.addItem(self.tr("All actions"), None)
        self.action_box.activated.connect(lambda _i: self.apply_filters())
        row.addWidget(self.action_box)
        today = QDate.currentDate()
        self.since_check, self.since_edit = self._date_filter(self.tr("From"), today.addDays(-30))
        self.until_check, self.until_edit = self._date_filter(self.tr("to"), today)
        for widget in (self.since_check, self.since_edit, self.until_check, self.until_edit):
            row.addWidget(widget)
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setObjectName("auditApply")
        self.apply_button.clicked.connect(self.apply_filters)
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.clear_filters)
        row.addWidget(self.apply_button)
        row.addWidget(clear)
        row.addStretch(1)
        return row

    def _date_filter(self, text: str, start: QDate) -> tuple[QCheckBox, QDateEdit]:
        check = QCheckBox(text)
        edit = DateEdit(start)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        return check, edit

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        row.addWidget(self.count_label)
        self.more_button = QPushButton(self.tr("Load more"))
        self.more_button.setObjectName("auditMore")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.setEnabled(False)
        row.addWidget(self.more_button)
        row.addStretch(1)
        self.verify_button = QPushButton(self.tr("Verify chain"))
        self.verify_button.setObjectName("verifyButton")
        self.verify_button.setToolTip(
            self.tr("Recompute every entry's hash and check that none was changed or removed")
        )
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.verify_button)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export_csv)
        self.export_button.setVisible(self.ctx.may(Permission.EXPORT))
        row.addWidget(self.export_button)
        return row

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Read the newest page again, then the filter choices (on the store worker; the
        choices scan the trail, so the table comes first)."""
        self.apply_filters()
        self.ctx.ops.read(audit_filter_choices, self._choices_loaded, on_error=self._error)

    def _choices_loaded(self, choices: dict[str, list[str]]) -> None:
        for edit, name in ((self.subject_edit, "subject"), (self.user_edit, "user")):
            completer = QCompleter(choices[name], edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            edit.setCompleter(completer)
        current = self.action_box.currentData()
        self.action_box.blockSignals(True)
        while self.action_box.count() > 1:
            self.action_box.removeItem(1)
        for code in choices["action"]:
            self.action_box.addItem(f"{self.words.action_text(code)} ({code})", code)
        self.action_box.setCurrentIndex(max(0, self.action_box.findData(current)))
        self.action_box.blockSignals(False)

    def entries_arrived(self) -> None:
        """A sync brought other computers' entries. A first page is read again; deeper pages
        stay where the reader is, with a word that the newest entries are not shown."""
        if self.model.rowCount() <= self.page_size:
            self.load()
            return
        self.count_label.setText(
            self.tr("New entries came by sync: Apply the filters again to see them.")
        )

    def current_filters(self) -> dict[str, Any]:
        """The filters as the service takes them; dates are whole local days."""
        since = until = None
        if self.since_check.isChecked():
            first: date = self.since_edit.date().toPython()  # type: ignore[assignment]
            since = datetime.combine(first, time.min).astimezone()
        if self.until_check.isChecked():
            last: date = self.until_edit.date().toPython()  # type: ignore[assignment]
            day = last + timedelta(days=1)
            until = datetime.combine(day, time.min).astimezone()
        return {
            "subject": self.subject_edit.text(),
            "user": self.user_edit.text(),
            "action": self.action_box.currentData(),
            "since": since,
            "until": until,
        }

    def apply_filters(self) -> None:
        self.filters = self.current_filters()
        self._read_page(None)

    def clear_filters(self) -> None:
        for edit in (self.subject_edit, self.user_edit):
            edit.clear()
        self.action_box.setCurrentIndex(0)
        self.since_check.setChecked(False)
        self.until_check.setChecked(False)
        self.apply_filters()

    def load_more(self) -> None:
        if self.model.rowCount() and self.has_more:
            self._read_page(entry_key(self.model.row_at(self.model.rowCount() - 1)))

    def _read_page(self, before: tuple[str, str, int] | None) -> None:
        filters, size = dict(self.filters), self.page_size
        self.more_button.setEnabled(False)
        self._page_request += 1
        request = self._page_request
        self.ctx.ops.read(
            lambda s: audit_entries(s, **filters, before=before, limit=size),
            lambda rows: self._page_loaded(rows, request, first=before is None),
            owner=self,
            on_error=self._error,
        )

    def _page_loaded(self, rows: list[dict[str, Any]], request: int, *, first: bool) -> None:
        if request != self._page_request:
            return
        if first:
            self.model.set_rows(rows)
            self.detail.clear()
            self._fit_columns()
        else:
            self.model.append_rows(rows)
        self.has_more = len(rows) == self.page_size
        self.more_button.setEnabled(self.has_more)
        shown = self.model.rowCount()
        text = self.tr("{0} entries shown, newest first").format(shown)
        if self.has_more:
            text += " " + self.tr("(more with Load more)")
        self.count_label.setText(text)
        self.loaded.emit()

    def _fit_columns(self) -> None:
        """Columns as wide as what they show, the place and the values at most a fifth of the
        table each, so that the reason keeps the rest; long texts are read in full below the
        table or in the tooltip."""
        self.table.resizeColumnsToContents()
        widest = max(140, self.table.viewport().width() // 5)
        for column in (5, 6):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        entry = self.model.row_at(current.row())
        lines = [f"{entry['entry']} · {entry['ts']} · {entry['action']} · {entry['where']}"]
        if entry.get("change"):
            lines.append(self.tr("Old → new: {0}").format(entry["change"]))
        if entry.get("reason"):
            lines.append(self.tr("Reason for change: {0}").format(entry["reason"]))
        if entry.get("base_rev") is not None:
            lines.append(self.tr("Base revision: {0}").format(entry["base_rev"]))
        if entry.get("detail"):
            lines.append(self.tr("Detail: {0}").format(entry["detail"]))
        lines.append(self.tr("Previous hash: {0}").format(entry["prev_hash"]))
        lines.append(self.tr("Hash: {0}").format(entry["hash"]))
        self.detail.setPlainText("\n".join(lines))

    def _activated(self, index: QModelIndex) -> None:
        entry = self.model.row_at(index.row())
        about_a_form = entry.get("subject") and entry.get("event") and entry.get("form")
        if about_a_form and self.ctx.may(Permission.VIEW_DATA):
            repeat = entry.get("event_repeat") or 1
            self.open_form.emit(FormKey(entry["subject"], entry["event"], entry["form"], repeat))

    # -- verification ----------------------------------------------------------------------

    def verify(self) -> None:
        """Recompute every device's chain on the store worker."""
        self.verify_button.setEnabled(False)
        self._say(self.tr("Verifying the audit trail…"), None)
        self.ctx.ops.read(site.verify_audit, self._verified, on_error=self._error)

    def _verified(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        broken = report.first_break
        if broken is None:
            self.model.mark_broken(None)
            text = self.tr("Audit trail verified: {0} entries, chain intact.").format(report.count)
            self._say(text, _GREEN)
        else:
            self.model.mark_broken((broken.device, broken.seq))
            text = self.tr(
                "Audit trail broken at entry {0}#{1}: {2}. {3} entries were verified before it. "
                "Tell your data manager; do not change any data until it is explained."
            ).format(broken.device, broken.seq, self.words.break_text(broken.reason), report.count)
            self._say(text, _RED)
            row = self.model.row_of(broken.device, broken.seq)
            if row is not None:
                self.table.selectRow(row)
                hint = QAbstractItemView.ScrollHint.PositionAtCenter
                self.table.scrollTo(self.model.index(row, 0), hint)
        self.verified.emit(report)

    # -- export -----------------------------------------------------------------------------

    def export_csv(self) -> None:
        self.export.choose_file(self.ctx.site.site_code, dict(self.filters))

    def export_to(self, path: Path) -> None:
        """Write the trail under the applied filters to ``path`` (see ``AuditExport``)."""
        self.export.export_to(path, dict(self.filters))

    def _exported(self, ok: bool, text: str) -> None:
        self._say(text, _GREEN if ok else _RED)
        self.export_finished.emit(ok)

    # -- messages ---------------------------------------------------------------------------

    def _say(self, text: str, colour: str | None) -> None:
        self.status.setText(text)
        weight = "font-weight: 600;" if colour else ""
        self.status.setStyleSheet(f"color: {colour}; {weight}" if colour else "")

    def _error(self, exc: KnownError) -> None:
        self.verify_button.setEnabled(True)
        self._say(str(exc), _RED)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.from_sync:
            self.entries_arrived()
