"""The main window: the site's subjects, with search, and the session's user and lock."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.model import SiteInfo
from desktop_crf.services.overview import SubjectList
from desktop_crf.ui.subjects.table import SubjectFilter, SubjectTableModel
from desktop_crf.ui.sync.indicator import SyncIndicator
from forms.text import Language


class MainWindow(QMainWindow):
    lock_requested = Signal()
    refresh_requested = Signal()
    subject_activated = Signal(str)
    new_screening_requested = Signal()
    language_changed = Signal(str)  # "en" or "zh_CN"
    sync_now_requested = Signal()
    sync_panel_requested = Signal()
    audit_requested = Signal()
    reports_requested = Signal()

    def __init__(
        self,
        site: SiteInfo,
        *,
        user: str,
        role: str,
        language: Language = "en",
        can_enrol: bool = False,
        can_review_audit: bool = False,
        can_view_reports: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("desktop-crf — {0}").format(site.display_name))
        self.resize(1280, 800)

        self.model = SubjectTableModel(language)
        self.can_enrol = can_enrol
        self.can_review_audit = can_review_audit
        self.can_view_reports = can_view_reports
        self.language = language
        self.proxy = SubjectFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        self._build_toolbar()
        central = QWidget()
        layout = QVBoxLayout(central)
        if site.demo:
            banner = QLabel(
                self.tr("DEMO SITE — demonstration data only. This site never synchronises.")
            )
            banner.setObjectName("demoBanner")
            banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            banner.setStyleSheet("background: #fff4ce; padding: 6px; font-weight: 600;")
            layout.addWidget(banner)
        self.table = QTableView()
        self.table.setObjectName("subjectTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Size columns from the first rows only: measuring 1,000 rows stalls the GUI thread.
        self.table.horizontalHeader().setResizeContentsPrecision(50)
        self.table.activated.connect(self._activated)
        layout.addWidget(self.table)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.addTab(central, self.tr("Subjects"))
        self.tabs.tabBar().setTabButton(0, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.setCentralWidget(self.tabs)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.sync_indicator = SyncIndicator()
        self.sync_indicator.clicked.connect(self.sync_panel_requested)
        self.statusBar().addPermanentWidget(self.sync_indicator)
        self.statusBar().addPermanentWidget(QLabel(self.tr("{0} ({1})").format(user, role)))

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Subjects"))
        bar.setMovable(False)
        self.addToolBar(bar)
        self.search = QLineEdit()
        self.search.setObjectName("searchEdit")
        self.search.setPlaceholderText(self.tr("Search subject id or initials"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(360)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        bar.addWidget(self.search)
        self.arm_filter = QComboBox()
        self.arm_filter.setObjectName("armFilter")
        self.arm_filter.addItem(self.tr("All arms"), None)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        for code, text in (
            ("screening", self.tr("screening")),
            ("enrolled", self.tr("enrolled")),
            ("withdrawn", self.tr("withdrawn")),
        ):
            self.status_filter.addItem(text, code)
        self.due_filter = QCheckBox(self.tr("Visits open or overdue"))
        self.due_filter.setObjectName("dueFilter")
        for combo in (self.arm_filter, self.status_filter):
            combo.currentIndexChanged.connect(self._filter)
            bar.addWidget(combo)
        self.due_filter.toggled.connect(self._filter)
        bar.addWidget(self.due_filter)
        self.language_box = QComboBox()
        self.language_box.setObjectName("languageBox")
        self.language_box.setToolTip(self.tr("Language"))
        self.language_box.addItem("English", "en")
        self.language_box.addItem("中文", "zh_CN")
        self.language_box.setCurrentIndex(1 if self.language.startswith("zh") else 0)
        self.language_box.currentIndexChanged.connect(
            lambda: self.language_changed.emit(str(self.language_box.currentData()))
        )
        if self.can_enrol:
            screen = QAction(self.tr("New screening"), self)
            screen.setObjectName("newScreening")
            screen.setShortcut(QKeySequence("Ctrl+N"))
            screen.triggered.connect(self.new_screening_requested)
            bar.addAction(screen)
        self.sync_action = QAction(self.tr("Sync now"), self)
        self.sync_action.setObjectName("syncNowAction")
        self.sync_action.setToolTip(self.tr("Send pending changes and fetch queries now"))
        self.sync_action.triggered.connect(self.sync_now_requested)
        bar.addAction(self.sync_action)
        if self.can_view_reports:
            reports = QAction(self.tr("Study dashboard"), self)
            reports.setObjectName("reportsAction")
            reports.setToolTip(
                self.tr("Enrolment, visits, safety, queries and the curves per arm, at a glance")
            )
            reports.triggered.connect(self.reports_requested)
            bar.addAction(reports)
        if self.can_review_audit:
            audit = QAction(self.tr("Audit trail"), self)
            audit.setObjectName("auditAction")
            audit.setToolTip(self.tr("Review, verify and export the audit trail"))
            audit.triggered.connect(self.audit_requested)
            bar.addAction(audit)
        refresh = QAction(self.tr("Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_requested)
        bar.addAction(refresh)
        self.lock_action = QAction(self.tr("Lock"), self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested)
        bar.addAction(self.lock_action)
        bar.addWidget(self.language_box)

    def _filter(self) -> None:
        self.proxy.set_filters(
            self.arm_filter.currentData(),
            self.status_filter.currentData(),
            self.due_filter.isChecked(),
        )

    def _activated(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        self.subject_activated.emit(self.model.row_at(source.row()).subject_id)

    def open_tab(self, widget: QWidget, title: str) -> None:
        """Show a subject or a form in its own tab (or bring its tab forward)."""
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                self.tabs.setCurrentIndex(index)
                return
        self.tabs.addTab(widget, title)
        self.tabs.setCurrentWidget(widget)

    def find_tab(self, title: str) -> QWidget | None:
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                return self.tabs.widget(index)
        return None

    def close_tab(self, index: int) -> None:
        if index == 0:
            return
        widget = self.tabs.widget(index)
        close = getattr(widget, "close_form", None)  # a form keeps what is typed
        if close is not None:
            close()
        self.tabs.removeTab(index)
        if widget is not None:
            widget.deleteLater()

    def set_subjects(self, subjects: SubjectList) -> None:
        rows = subjects.rows
        arms = sorted({r.arm for r in rows if r.arm})
        if [self.arm_filter.itemData(i) for i in range(1, self.arm_filter.count())] != arms:
            self.arm_filter.blockSignals(True)
            while self.arm_filter.count() > 1:
                self.arm_filter.removeItem(1)
            for arm in arms:
                self.arm_filter.addItem(arm, arm)
            self.arm_filter.blockSignals(False)
        self.model.set_rows(rows, subjects.aes, subjects.counts)
        self.statusBar().showMessage(self.tr("{0} subjects").format(len(rows)), 5000)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def clear(self) -> None:
        """Drop every row shown: used when the site locks."""
        while self.tabs.count() > 1:
            widget = self.tabs.widget(1)
            self.tabs.removeTab(1)
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.model.clear()
        self.search.clear()
