"""The "Source data verification" tab: the site's SDV progress (critical data from the study
file, changed since verified), a row per subject, and the selected subject's forms by visit,
where the monitor marks a form or a whole visit verified; double-click a form to open it (and
mark single items there). Every read runs on the store worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.model import Changes, FormKey
from desktop_crf.services import sdv
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.ui.common.table_model import Index, RowsTableModel
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.monitor.reports import ReportPrinter
from desktop_crf.ui.monitor.words import MonitorWording

_CHANGED = QColor("#b06000")
_DUE = QColor("#b00020")


class SubjectSdvTableModel(RowsTableModel):
    """One row per subject: values, verified, critical verified, changed since verified."""

    def __init__(self, words: MonitorWording) -> None:
        super().__init__()
        self.words = words
        self._headers = [
            QCoreApplication.translate("SubjectSdvTableModel", "Subject"),
            QCoreApplication.translate("SubjectSdvTableModel", "Values"),
            QCoreApplication.translate("SubjectSdvTableModel", "Verified"),
            QCoreApplication.translate("SubjectSdvTableModel", "Critical verified"),
            QCoreApplication.translate("SubjectSdvTableModel", "Changed since verified"),
        ]

    def set_progress(self, subjects: dict[str, sdv.Counts]) -> None:
        self.beginResetModel()
        self._rows = sorted(subjects.items())
        self.endResetModel()

    def subject(self, row: int) -> str:
        return str(self._rows[row][0])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        subject, counts = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 4 and counts.changed:
                return _CHANGED
            if column == 3 and counts.critical_verified < counts.critical:
                return _DUE
            return None
        if role == Qt.ItemDataRole.UserRole:  # sorting: the numbers, not their words
            return (
                (subject, counts.values, counts.verified, counts.critical_verified)[column]
                if column < 4
                else counts.changed
            )
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return subject
        if column == 1:
            return str(counts.values)
        if column == 2:
            return f"{counts.verified} ({self.words.percent(counts.verified, counts.values)})"
        if column == 3:
            pct = self.words.percent(counts.critical_verified, counts.critical)
            return f"{counts.critical_verified} / {counts.critical} ({pct})"
        return str(counts.changed) if counts.changed else ""


class _ChangedOnly(QSortFilterProxyModel):
    """Only the subjects with values changed since verified, when asked."""

    def __init__(self) -> None:
        super().__init__()
        self.only_changed = False

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if not self.only_changed:
            return True
        model = self.sourceModel()
        assert isinstance(model, SubjectSdvTableModel)
        return bool(model.data(model.index(row, 4), Qt.ItemDataRole.UserRole))


@dataclass(frozen=True)
class SubjectSdv:
    """The selected subject's counts per form and its values changed since verified."""

    subject: str
    forms: dict[tuple[str, int, str], sdv.Counts]
    changed: list[sdv.ChangedValue]


class SdvView(QWidget):
    """Emits ``open_form(FormKey)`` on a form's double-click; ``loaded`` after each read."""

    open_form = Signal(object)
    loaded = Signal()
    subject_loaded = Signal()

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("SdvView")
        self.ctx = ctx
        self.words = MonitorWording(self)
        self.may_verify = ctx.may(Permission.VERIFY_SOURCE)
        self.subject: str | None = None
        self.printer = ReportPrinter(ctx, parent=self)
        self.printer.finished.connect(self._say)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("sdvSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600;")
        layout.addWidget(self.summary)
        layout.addLayout(self._build_bar())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_subjects())
        splitter.addWidget(self._build_subject_pane())
        splitter.setSizes([600, 680])
        layout.addWidget(splitter, 1)
        self.status = QLabel()
        self.status.setObjectName("sdvStatus")
        layout.addWidget(self.status)
        ctx.ops.changed.connect(self._changed)

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.changed_only = QCheckBox(self.tr("Only subjects with values changed since verified"))
        self.changed_only.setObjectName("changedOnly")
        self.changed_only.toggled.connect(self._filter)
        bar.addWidget(self.changed_only)
        bar.addStretch(1)
        for name, text, kind in (
            ("sdvReportButton", self.tr("SDV report (PDF)…"), "sdv-report"),
            ("queryReportButton", self.tr("Query report (PDF)…"), "query-report"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, k=kind: self.printer.choose_file(k))
            button.setVisible(self.ctx.may(Permission.EXPORT))
            bar.addWidget(button)
        return bar

    def _build_subjects(self) -> QWidget:
        self.model = SubjectSdvTableModel(self.words)
        self.proxy = _ChangedOnly()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView()
        self.table.setObjectName("sdvSubjects")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(50)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        return self.table

    def _build_subject_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        self.subject_title = QLabel(self.tr("Choose a subject."))
        self.subject_title.setObjectName("sdvSubjectTitle")
        layout.addWidget(self.subject_title)
        self.forms = QTreeWidget()
        self.forms.setObjectName("sdvForms")
        self.forms.setHeaderLabels(
            [
                self.tr("Visit · form"),
                self.tr("Values"),
                self.tr("Verified"),
                self.tr("Critical"),
                self.tr("Changed"),
            ]
        )
        self.forms.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.forms.itemActivated.connect(self._form_activated)
        self.forms.currentItemChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.forms, 2)
        buttons = QHBoxLayout()
        self.verify_visit_button = QPushButton(self.tr("Mark the visit verified"))
        self.verify_visit_button.setObjectName("verifyVisitButton")
        self.verify_visit_button.clicked.connect(self.verify_visit)
        self.verify_form_button = QPushButton(self.tr("Mark the form verified"))
        self.verify_form_button.setObjectName("verifyFormButton")
        self.verify_form_button.clicked.connect(self.verify_form)
        for button in (self.verify_visit_button, self.verify_form_button):
            button.setVisible(self.may_verify)
            button.setEnabled(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(self.tr("Changed since verified")))
        self.changed = QTreeWidget()
        self.changed.setObjectName("sdvChanged")
        self.changed.setHeaderLabels(
            [self.tr("Where"), self.tr("Value now"), self.tr("Changed by"), self.tr("Age")]
        )
        self.changed.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.changed.itemActivated.connect(self._form_activated)
        layout.addWidget(self.changed, 1)
        return pane

    # -- reading ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the site's progress (off the GUI thread), then the selected subject's."""
        self.ctx.ops.read(sdv.site_progress, self._show, owner=self)

    def _show(self, progress: sdv.SiteProgress) -> None:
        self.summary.setText(self.words.progress(progress.total, progress.sample_percent))
        self.model.set_progress(progress.subjects)
        if self.subject is not None:
            self.load_subject(self.subject)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        self.loaded.emit()

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            source = self.proxy.mapToSource(current)
            self.load_subject(self.model.subject(source.row()))

    def load_subject(self, subject: str) -> None:
        self.subject = subject

        def read(session: Session) -> SubjectSdv:
            return SubjectSdv(
                subject,
                sdv.subject_progress(session, subject),
                sdv.changed_since_verified(session, subject),
            )

        self.ctx.ops.read(read, self._show_subject, owner=self)

    def _show_subject(self, data: SubjectSdv) -> None:
        if data.subject != self.subject:
            return
        labels = self.ctx.labels
        self.subject_title.setText(self.tr("Subject {0}").format(data.subject))
        chosen = self._chosen()
        self.forms.clear()
        visits: dict[tuple[str, int], QTreeWidgetItem] = {}
        for (event, repeat, form), counts in sorted(data.forms.items()):
            parent = visits.get((event, repeat))
            if parent is None:
                parent = visits[(event, repeat)] = QTreeWidgetItem(
                    self.forms, [labels.visit(event, repeat)]
                )
                parent.setData(0, Qt.ItemDataRole.UserRole, (event, repeat, None))
                parent.setExpanded(True)
            row = QTreeWidgetItem(parent, [labels.form(form), *self._cells(counts)])
            row.setData(0, Qt.ItemDataRole.UserRole, (event, repeat, form))
            self._colour(row, counts)
        for (event, repeat), parent in visits.items():
            total = sum(
                (c for (e, r, _f), c in data.forms.items() if (e, r) == (event, repeat)),
                sdv.Counts(),
            )
            for column, text in enumerate(self._cells(total), start=1):
                parent.setText(column, text)
            self._colour(parent, total)
        self._restore(chosen)
        self.changed.clear()
        for value in data.changed:
            where = labels.place(
                {**value.key.audit_place(), "item": value.item, "group_repeat": value.group_repeat}
            )
            shown = labels.value(value.key.form, value.item, value.value)
            row = QTreeWidgetItem(
                self.changed, [where, shown, value.changed_by, self.words.age(value.changed_at)]
            )
            key = value.key
            row.setData(0, Qt.ItemDataRole.UserRole, (key.event, key.event_repeat, key.form))
        self._update_buttons()
        self.subject_loaded.emit()

    def _cells(self, counts: sdv.Counts) -> list[str]:
        critical = f"{counts.critical_verified} / {counts.critical}" if counts.critical else ""
        return [
            str(counts.values),
            f"{counts.verified} ({self.words.percent(counts.verified, counts.values)})",
            critical,
            str(counts.changed) if counts.changed else "",
        ]

    def _colour(self, row: QTreeWidgetItem, counts: sdv.Counts) -> None:
        if counts.changed:
            row.setForeground(4, _CHANGED)
        if counts.critical_verified < counts.critical:
            row.setForeground(3, _DUE)

    def _chosen(self) -> tuple[str, int, str | None] | None:
        item = self.forms.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _restore(self, chosen: tuple[str, int, str | None] | None) -> None:
        if chosen is None:
            return
        items = [self.forms.topLevelItem(i) for i in range(self.forms.topLevelItemCount())]
        while items:
            item = items.pop()
            if item is None:
                continue
            if item.data(0, Qt.ItemDataRole.UserRole) == chosen:
                self.forms.setCurrentItem(item)
                return
            items.extend(item.child(i) for i in range(item.childCount()))

    def _update_buttons(self) -> None:
        chosen = self._chosen()
        self.verify_visit_button.setEnabled(chosen is not None)
        self.verify_form_button.setEnabled(chosen is not None and chosen[2] is not None)

    def _filter(self, on: bool) -> None:
        self.proxy.only_changed = on
        self.proxy.invalidate()

    # -- the monitor's marks ------------------------------------------------------------------

    def verify_visit(self) -> None:
        chosen, subject = self._chosen(), self.subject
        if chosen is None or subject is None:
            return
        event, repeat, _form = chosen
        self.ctx.ops.write(
            lambda s: sdv.verify_visit(s, subject, event, repeat),
            initiator=self,
            on_done=lambda _c: self._say(True, self.tr("The visit is marked verified.")),
            on_error=lambda exc: self._say(False, str(exc)),
        )

    def verify_form(self) -> None:
        chosen, subject = self._chosen(), self.subject
        if chosen is None or subject is None or chosen[2] is None:
            return
        key = FormKey(subject, chosen[0], chosen[2], chosen[1])
        self.ctx.ops.write(
            lambda s: sdv.verify_form(s, key),
            initiator=self,
            on_done=lambda _c: self._say(True, self.tr("The form is marked verified.")),
            on_error=lambda exc: self._say(False, str(exc)),
        )

    def _say(self, ok: bool, text: str) -> None:
        self.status.setStyleSheet("" if ok else "color: #b00020;")
        self.status.setText(text)

    def _form_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        place = item.data(0, Qt.ItemDataRole.UserRole)
        if self.subject is not None and place is not None and place[2] is not None:
            self.open_form.emit(FormKey(self.subject, place[0], place[2], place[1]))

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.kind in ("sdv", "data", "sync") and self.isVisible():
            self.load()
