"""The main window: the site's subjects, with search, and the session's user and lock."""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QTableView,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.model import SiteInfo
from desktop_crf.services.overview import SubjectList
from desktop_crf.ui.common.inputs import ComboBox
from desktop_crf.ui.common.labels import labels_for
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
    lab_import_requested = Signal()
    lab_ranges_requested = Signal()
    export_requested = Signal()
    import_requested = Signal()
    reports_requested = Signal()
    tasks_requested = Signal()
    sdv_requested = Signal()
    monitoring_visit_requested = Signal()

    def __init__(
        self,
        site: SiteInfo,
        *,
        user: str,
        role: str,
        language: Language = "en",
        can_enrol: bool = False,
        can_review_audit: bool = False,
        can_import_labs: bool = False,
        can_see_lab_ranges: bool = False,
        can_export: bool = False,
        can_import_data: bool = False,
        can_view_reports: bool = False,
        has_tasks: bool = False,
        can_monitor: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("desktop-crf — {0}").format(site.display_name))
        self.resize(1280, 800)

        self._tab_keys: dict[Hashable, QWidget] = {}
        self._asked_to_close = False
        self.unsaved_box: QMessageBox | None = None
        self.labels = labels_for(site.study_id, language)
        self.model = SubjectTableModel(language, self.labels)
        self.can_enrol = can_enrol
        self.can_review_audit = can_review_audit
        self.can_import_labs = can_import_labs
        self.can_see_lab_ranges = can_see_lab_ranges
        self.can_export = can_export
        self.can_import_data = can_import_data
        self.can_view_reports = can_view_reports
        self.has_tasks = has_tasks
        self.can_monitor = can_monitor
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
        # Each column fits its contents, but the sync counts (a few digits, changed at every
        # save) are as wide as their titles: a save then does not make the header measure
        # every column again. (Set column by column: with the header-wide mode any change
        # anywhere measures them all.)
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            if column in (9, 10):
                header.resizeSection(column, header.sectionSizeHint(column))
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # Size columns from the first rows only: measuring 1,000 rows stalls the GUI thread.
        header.setResizeContentsPrecision(50)
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
        # What the user is told once (an update required or recommended): it stays in the
        # status bar, apart from the passing messages, and never takes the focus from a form.
        self.notice = QLabel()
        self.notice.setObjectName("syncNotice")
        self.notice.setStyleSheet("color: #b00020;")
        self.notice.hide()
        self.statusBar().addWidget(self.notice, 1)
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
        self.arm_filter = ComboBox()
        self.arm_filter.setObjectName("armFilter")
        self.arm_filter.addItem(self.tr("All arms"), None)
        self.status_filter = ComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        for code in ("screening", "enrolled", "withdrawn", "screen_failed", "discarded"):
            self.status_filter.addItem(self.labels.status(code), code)
        self.due_filter = QCheckBox(self.tr("Visits open or overdue"))
        self.due_filter.setObjectName("dueFilter")
        for combo in (self.arm_filter, self.status_filter):
            combo.currentIndexChanged.connect(self._filter)
            bar.addWidget(combo)
        self.due_filter.toggled.connect(self._filter)
        bar.addWidget(self.due_filter)
        self.language_box = ComboBox()
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
        self._build_lab_menu(bar)
        self._build_monitor_actions(bar)
        if self.can_export:
            export = QAction(self.tr("Export data"), self)
            export.setObjectName("exportAction")
            export.setToolTip(self.tr("CDISC ODM, CSV for analysis or a subject's casebook (PDF)"))
            export.triggered.connect(self.export_requested)
            bar.addAction(export)
        if self.can_import_data:
            data_in = QAction(self.tr("Import study data…"), self)
            data_in.setObjectName("importDataAction")
            data_in.setToolTip(
                self.tr("Set up this empty site from a CDISC ODM file of the same study")
            )
            data_in.triggered.connect(self.import_requested)
            bar.addAction(data_in)
        refresh = QAction(self.tr("Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_requested)
        bar.addAction(refresh)
        self.lock_action = QAction(self.tr("Lock"), self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested)
        bar.addAction(self.lock_action)
        close_tab = QAction(self.tr("Close tab"), self)
        keys = [QKeySequence("Ctrl+W"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Close)]
        unique = {key.toString(): key for key in keys}  # a key given twice would be ambiguous
        close_tab.setShortcuts(list(unique.values()))  # Ctrl+W everywhere, and the platform's
        close_tab.triggered.connect(self.close_current_tab)
        self.addAction(close_tab)
        bar.addWidget(self.language_box)

    def _build_monitor_actions(self, bar: QToolBar) -> None:
        """Each role's tasks; the monitor's source data verification and visit."""
        if self.has_tasks:
            tasks = QAction(self.tr("My tasks"), self)
            tasks.setObjectName("tasksAction")
            tasks.setToolTip(self.tr("What waits for you, oldest first"))
            tasks.triggered.connect(self.tasks_requested)
            bar.addAction(tasks)
        if self.can_monitor:
            menu = QMenu(self)
            menu.setObjectName("monitoringMenu")
            sdv = menu.addAction(self.tr("Source data verification"))
            sdv.setObjectName("sdvAction")
            sdv.setToolTip(self.tr("Verify data against the source; progress and changes"))
            sdv.triggered.connect(self.sdv_requested)
            visit = menu.addAction(self.tr("Monitoring visit"))
            visit.setObjectName("monitoringVisitAction")
            visit.setToolTip(self.tr("Start, close and sign a monitoring visit and its report"))
            visit.triggered.connect(self.monitoring_visit_requested)
            button = QToolButton()
            button.setObjectName("monitoringButton")
            button.setText(self.tr("Monitoring"))
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            bar.addWidget(button)
            self.monitoring_menu = menu

    def _build_lab_menu(self, bar: QToolBar) -> None:
        """ "Laboratory": results from a laboratory's file, and each laboratory's ranges."""
        if not (self.can_import_labs or self.can_see_lab_ranges):
            return
        menu = QMenu(self)
        if self.can_import_labs:
            results = menu.addAction(self.tr("Import lab results…"))
            results.setObjectName("labImportAction")
            results.triggered.connect(self.lab_import_requested)
        if self.can_see_lab_ranges:
            ranges = menu.addAction(self.tr("Reference ranges"))
            ranges.setObjectName("labRangesAction")
            ranges.triggered.connect(self.lab_ranges_requested)
        button = QToolButton()
        button.setObjectName("labMenuButton")
        button.setText(self.tr("Laboratory"))
        button.setToolTip(self.tr("Lab results from a laboratory's file; reference ranges"))
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bar.addWidget(button)
        self.lab_menu = menu

    def _filter(self) -> None:
        self.proxy.set_filters(
            self.arm_filter.currentData(),
            self.status_filter.currentData(),
            self.due_filter.isChecked(),
        )

    def _activated(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        self.subject_activated.emit(self.model.row_at(source.row()).subject_id)

    def open_tab(self, widget: QWidget, title: str, key: Hashable) -> None:
        """Show a subject, a form or a panel in its own tab, known by ``key`` (or bring its
        tab forward); the title is for the person, in words."""
        existing = self.find_tab(key)
        if existing is not None:
            self.tabs.setCurrentWidget(existing)
            return
        self._tab_keys[key] = widget
        widget.destroyed.connect(lambda _o=None, k=key: self._tab_keys.pop(k, None))
        self.tabs.addTab(widget, title)
        self.tabs.setTabToolTip(self.tabs.indexOf(widget), title)
        self.tabs.setCurrentWidget(widget)

    def find_tab(self, key: Hashable) -> QWidget | None:
        widget = self._tab_keys.get(key)
        return widget if widget is not None and self.tabs.indexOf(widget) >= 0 else None

    def close_tab(self, index: int) -> None:
        """Close a tab; a form with typing not saved yet asks first (save it, or close and
        keep the typing to finish later)."""
        widget = self.tabs.widget(index)
        if index == 0 or widget is None:
            return
        if _unsaved(widget):
            self._ask_before_closing(widget)
            return
        self._close(widget)

    def close_current_tab(self) -> None:
        self.close_tab(self.tabs.currentIndex())

    def _close(self, widget: QWidget) -> None:
        close = getattr(widget, "close_form", None)  # a form keeps what is typed
        if close is not None:
            close()
        self.tabs.removeTab(self.tabs.indexOf(widget))
        widget.deleteLater()

    def _ask_before_closing(self, widget: QWidget) -> None:
        box = QMessageBox(self)
        box.setObjectName("unsavedBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved typing"))
        box.setText(
            self.tr(
                "This form has typing that is not saved yet. Save it now, or close the form "
                "and finish later (the typing is kept on this computer)?"
            )
        )
        save = box.addButton(self.tr("Save"), QMessageBox.ButtonRole.AcceptRole)
        later = box.addButton(
            self.tr("Close, finish later"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)

        def chosen(_result: int) -> None:
            if box.clickedButton() is later:
                self._close(widget)
            elif box.clickedButton() is save:
                saved = getattr(widget, "saved", None)
                if saved is not None:
                    saved.connect(lambda _c: self._close(widget))
                widget.save()  # type: ignore[attr-defined]

        box.finished.connect(chosen)
        self.unsaved_box = box
        box.open()

    def open_keys(self) -> list[Hashable]:
        """What the tabs show, in order (kept across a lock or a language switch)."""
        by_widget = {id(w): k for k, w in self._tab_keys.items()}
        found = (by_widget.get(id(self.tabs.widget(i))) for i in range(1, self.tabs.count()))
        return [key for key in found if key is not None]

    def close_now(self) -> None:
        """Close without asking (the site locks: the typing is autosaved first)."""
        self._asked_to_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quitting with typing not saved asks first; it is kept on this computer anyway."""
        unsaved = [w for w in self._views() if _unsaved(w)]
        if self._asked_to_close or not unsaved:
            super().closeEvent(event)
            return
        event.ignore()
        box = QMessageBox(self)
        box.setObjectName("unsavedOnQuitBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved typing"))
        box.setText(
            self.tr(
                "{0} open forms have typing that is not saved yet. It is kept on this computer "
                "and comes back when you open them again. Quit anyway?"
            ).format(len(unsaved))
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.accepted.connect(self.close_now)
        self.unsaved_box = box
        box.open()

    def _views(self) -> list[QWidget]:
        found = (self.tabs.widget(i) for i in range(1, self.tabs.count()))
        return [w for w in found if w is not None]

    def set_subjects(self, subjects: SubjectList) -> None:
        rows = subjects.rows
        arms = sorted({r.arm for r in rows if r.arm})
        if [self.arm_filter.itemData(i) for i in range(1, self.arm_filter.count())] != arms:
            self.arm_filter.blockSignals(True)
            while self.arm_filter.count() > 1:
                self.arm_filter.removeItem(1)
            for arm in arms:
                self.arm_filter.addItem(self.labels.arm(arm), arm)
            self.arm_filter.blockSignals(False)
        self.model.set_rows(rows, subjects.aes, subjects.counts)
        count = (
            self.tr("1 subject") if len(rows) == 1 else self.tr("{0} subjects").format(len(rows))
        )
        self.statusBar().showMessage(count, 5000)

    def show_notice(self, text: str) -> None:
        """Show ``text`` in the status bar until the window closes (no dialog, no focus)."""
        self.notice.setText(text)
        self.notice.setToolTip(text)
        self.notice.show()

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


def _unsaved(widget: QWidget) -> bool:
    unsaved = getattr(widget, "unsaved", None)
    return bool(unsaved()) if callable(unsaved) else False
