"""The main window: the site's subjects, with search, and the session's user and lock."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.services.session import SiteInfo
from desktop_crf.services.subjects import SubjectRow
from desktop_crf.ui.subject_table import SubjectTableModel


class MainWindow(QMainWindow):
    lock_requested = Signal()
    refresh_requested = Signal()

    def __init__(self, site: SiteInfo, *, user: str, role: str, language: str = "en") -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("desktop-crf — {0}").format(site.display_name))
        self.resize(1280, 800)

        self.model = SubjectTableModel(language)
        self.proxy = QSortFilterProxyModel(self)
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
        layout.addWidget(self.table)
        self.setCentralWidget(central)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
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
        refresh = QAction(self.tr("Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh_requested)
        bar.addAction(refresh)
        self.lock_action = QAction(self.tr("Lock"), self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested)
        bar.addAction(self.lock_action)

    def set_subjects(self, rows: list[SubjectRow]) -> None:
        self.model.set_rows(rows)
        self.statusBar().showMessage(self.tr("{0} subjects").format(len(rows)), 5000)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def clear(self) -> None:
        """Drop every row shown: used when the site locks."""
        self.model.clear()
        self.search.clear()
