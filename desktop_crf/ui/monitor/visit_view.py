"""The "Monitoring visit" tab: the monitor starts a visit, sees what it has done so far
(verified, queried, closed, found changed), closes it with remarks, signs its report with the
password again, and saves it as PDF; the site's earlier visits are listed below. Every read and
write runs on the store worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError, WrongPassword
from desktop_crf.model import Changes
from desktop_crf.services import monitoring
from desktop_crf.services.monitoring import VisitRecord, VisitSummary
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.ui.common.dialogs import SignDialog
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.monitor.reports import ReportPrinter
from desktop_crf.ui.monitor.words import MonitorWording
from desktop_crf.ui.sync.indicator import local_time


@dataclass(frozen=True)
class Visits:
    """The monitor's open visit (with its summary so far) and every visit of the site."""

    current: VisitRecord | None
    summary: VisitSummary | None
    visits: list[VisitRecord]


class MonitoringVisitView(QWidget):
    """Emits ``loaded`` after each read; ``shown_summary`` once a visit's summary is shown."""

    loaded = Signal()
    shown_summary = Signal()

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("MonitoringVisitView")
        self.ctx = ctx
        self.words = MonitorWording(self)
        self.may_run = ctx.may(Permission.MONITORING_VISIT)
        self.current: VisitRecord | None = None
        self.shown: VisitRecord | None = None
        self.sign_dialog: SignDialog | None = None
        self.printer = ReportPrinter(ctx, parent=self)
        self.printer.finished.connect(self._say)
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setObjectName("visitState")
        self.state.setWordWrap(True)
        self.state.setStyleSheet("font-size: 12pt; font-weight: 600;")
        layout.addWidget(self.state)
        layout.addLayout(self._build_start())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_summary())
        splitter.addWidget(self._build_visits())
        splitter.setSizes([520, 200])
        layout.addWidget(splitter, 1)
        self.status = QLabel()
        self.status.setObjectName("visitStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        ctx.ops.changed.connect(self._changed)

    def _build_start(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.purpose = QLineEdit()
        self.purpose.setObjectName("visitPurpose")
        self.purpose.setPlaceholderText(self.tr("Purpose of the visit (optional)"))
        self.start_button = QPushButton(self.tr("Start a monitoring visit"))
        self.start_button.setObjectName("startVisitButton")
        self.start_button.clicked.connect(self.start)
        for widget in (self.purpose, self.start_button):
            widget.setVisible(self.may_run)
            row.addWidget(widget)
        return row

    def _build_summary(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_title = QLabel()
        self.summary_title.setObjectName("summaryTitle")
        layout.addWidget(self.summary_title)
        self.summary = QTreeWidget()
        self.summary.setObjectName("visitSummary")
        self.summary.setHeaderLabels([self.tr("What"), self.tr("Details")])
        self.summary.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.summary, 1)
        self.remarks = QPlainTextEdit()
        self.remarks.setObjectName("visitRemarks")
        self.remarks.setPlaceholderText(self.tr("Your remarks for the report"))
        self.remarks.setMaximumHeight(90)
        layout.addWidget(self.remarks)
        buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Close the visit"))
        self.close_button.setObjectName("closeVisitButton")
        self.close_button.clicked.connect(self.close_visit)
        self.sign_button = QPushButton(self.tr("Sign the report…"))
        self.sign_button.setObjectName("signReportButton")
        self.sign_button.clicked.connect(self.request_signature)
        self.pdf_button = QPushButton(self.tr("Save the report as PDF…"))
        self.pdf_button.setObjectName("reportPdfButton")
        self.pdf_button.clicked.connect(self._save_pdf)
        for button in (self.close_button, self.sign_button, self.pdf_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return pane

    def _build_visits(self) -> QWidget:
        self.visits = QTreeWidget()
        self.visits.setObjectName("visitList")
        self.visits.setHeaderLabels(
            [self.tr("Started"), self.tr("Monitor"), self.tr("Closed"), self.tr("Report")]
        )
        self.visits.currentItemChanged.connect(self._chosen)
        return self.visits

    # -- reading ------------------------------------------------------------------------------

    def load(self) -> None:
        def read(session: Session) -> Visits:
            current = monitoring.current_visit(session)
            summary = monitoring.visit_summary(session, current.visit) if current else None
            return Visits(current, summary, monitoring.monitoring_visits(session))

        self.ctx.ops.read(read, self._show, owner=self)

    def _show(self, data: Visits) -> None:
        self.current = data.current
        if data.current is None:
            self.state.setText(self.tr("No monitoring visit of yours is open."))
        else:
            self.state.setText(
                self.tr("Monitoring visit open since {0} ({1} ago).").format(
                    _local(data.current.started_at), self.words.age(data.current.started_at)
                )
            )
        self.purpose.setEnabled(data.current is None)
        self.start_button.setEnabled(data.current is None)
        self.visits.clear()
        for visit in data.visits:
            item = QTreeWidgetItem(
                self.visits,
                [
                    _local(visit.started_at),
                    visit.started_by,
                    _local(visit.closed_at) if visit.closed_at else self.tr("open"),
                    self._report_state(visit),
                ],
            )
            item.setData(0, Qt.ItemDataRole.UserRole, visit)
        shown = data.current or (self.shown and self._find(self.shown.visit, data.visits))
        if data.current is not None and data.summary is not None:
            self._show_summary(data.current, data.summary)
        elif shown is not None:
            self._read_summary(shown)
        elif data.visits:
            self._read_summary(data.visits[0])
        else:
            self._show_nothing()
        self.loaded.emit()

    def _find(self, visit: str, visits: list[VisitRecord]) -> VisitRecord | None:
        return next((v for v in visits if v.visit == visit), None)

    def _report_state(self, visit: VisitRecord) -> str:
        if visit.signature is not None:
            return self.tr("signed by {0}").format(visit.signature.get("signer_name"))
        return self.tr("to sign") if visit.closed_at else ""

    def _chosen(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self._read_summary(item.data(0, Qt.ItemDataRole.UserRole))

    def _read_summary(self, visit: VisitRecord) -> None:
        self.ctx.ops.read(
            lambda s: monitoring.visit_summary(s, visit.visit),
            lambda summary: self._show_summary(visit, summary),
            owner=self,
        )

    def _show_nothing(self) -> None:
        self.shown = None
        self.summary.clear()
        self.summary_title.setText("")
        self._update_buttons()

    def _show_summary(self, visit: VisitRecord, summary: VisitSummary) -> None:
        self.shown = visit
        labels = self.ctx.labels
        title = (
            self.tr("What this visit has done so far")
            if visit.is_open
            else self.tr("Visit of {0}: closed {1}").format(
                _local(visit.started_at), _local(visit.closed_at)
            )
        )
        self.summary_title.setText(title)
        self.summary.clear()
        verified = QTreeWidgetItem(
            self.summary,
            [
                self.tr("Verified against the source"),
                self.tr("{0} values in {1} forms").format(
                    summary.values_verified, len(summary.verified)
                ),
            ],
        )
        for subject, event, repeat, form, count in summary.verified:
            where = f"{subject} · {labels.visit(event, repeat)} · {labels.form(form)}"
            QTreeWidgetItem(verified, [where, self.tr("{0} values").format(count)])
        for text, steps in (
            (self.tr("Queries raised"), summary.raised),
            (self.tr("Queries closed"), summary.closed),
            (self.tr("Queries reopened"), summary.reopened),
        ):
            node = QTreeWidgetItem(self.summary, [text, str(len(steps))])
            for step in steps:
                where = " · ".join(p for p in (step.subject, labels.place(step.place)) if p)
                QTreeWidgetItem(node, [where, step.text])
        changed = QTreeWidgetItem(
            self.summary, [self.tr("Changed since verified"), str(len(summary.changed))]
        )
        for subject, event, repeat, form, item in summary.changed:
            where = f"{subject} · {labels.visit(event, repeat)} · {labels.form(form)}"
            QTreeWidgetItem(changed, [where, labels.item(form, item)])
        QTreeWidgetItem(
            self.summary,
            [
                self.tr("Queries at the site"),
                self.tr("{0} open, {1} answered and waiting for you").format(
                    summary.open_queries, summary.answered_waiting
                ),
            ],
        )
        self.summary.expandAll()
        if not visit.is_open:
            self.remarks.setPlainText(visit.remarks or "")
        self.remarks.setReadOnly(not visit.is_open)
        self._update_buttons()
        self.shown_summary.emit()

    def _update_buttons(self) -> None:
        visit, me = self.shown, self.ctx.user
        mine = visit is not None and visit.started_by == me and self.may_run
        self.close_button.setVisible(mine and visit is not None and visit.is_open)
        self.remarks.setVisible(visit is not None)
        closed = visit is not None and not visit.is_open
        self.sign_button.setVisible(
            mine and closed and visit is not None and visit.signature is None
        )
        self.pdf_button.setVisible(closed and self.ctx.may(Permission.EXPORT))

    # -- the visit's steps --------------------------------------------------------------------

    def start(self) -> None:
        purpose = self.purpose.text()
        self.ctx.ops.write(
            lambda s: monitoring.start_visit(s, purpose),
            initiator=self,
            on_done=lambda _c: self._started(),
            on_error=lambda exc: self._say(False, str(exc)),
        )

    def _started(self) -> None:
        self.purpose.clear()
        self.remarks.clear()
        self._say(True, self.tr("The visit has started. Verify, query and follow up as usual."))
        self.load()

    def close_visit(self) -> None:
        visit, remarks = self.current, self.remarks.toPlainText()
        if visit is None:
            return
        self.ctx.ops.write(
            lambda s: monitoring.close_visit(s, visit.visit, remarks),
            initiator=self,
            on_done=lambda _c: self._closed(visit),
            on_error=lambda exc: self._say(False, str(exc)),
        )

    def _closed(self, visit: VisitRecord) -> None:
        self.shown = visit
        self._say(True, self.tr("The visit is closed. Sign its report."))
        self.load()

    def request_signature(self) -> None:
        visit = self.shown
        if visit is None:
            return
        dialog = SignDialog(self.ctx.full_name or self.ctx.user, self.tr("this visit report"), self)
        dialog.meaning_edit.setText(self.tr("I confirm this monitoring visit report"))
        dialog.accepted.connect(
            lambda: self.sign(visit, dialog.password_edit.text(), dialog.meaning_edit.text())
        )
        self.sign_dialog = dialog
        dialog.open()

    def sign(self, visit: VisitRecord, password: str, meaning: str) -> None:
        self.ctx.ops.write(
            lambda s: monitoring.sign_visit_report(s, visit.visit, password, meaning=meaning),
            initiator=self,
            on_done=lambda _c: self._signed(),
            on_error=self._sign_failed,
        )

    def _signed(self) -> None:
        self._say(True, self.tr("The report is signed."))
        self.load()

    def _sign_failed(self, exc: KnownError) -> None:
        if isinstance(exc, WrongPassword) and self.sign_dialog is not None:
            self.sign_dialog.show_error(str(exc))
            self.sign_dialog.open()
            return
        self._say(False, str(exc))

    def _save_pdf(self) -> None:
        if self.shown is not None:
            self.printer.choose_file("visit-report", visit=self.shown.visit)

    def _say(self, ok: bool, text: str) -> None:
        self.status.setStyleSheet("" if ok else "color: #b00020;")
        self.status.setText(text)

    def _changed(self, changes: Changes, initiator: object) -> None:
        if initiator is not self and self.isVisible() and self.current is not None:
            self.load()  # the open visit's summary follows what the monitor does elsewhere


def _local(stamp: str | None) -> str:
    return local_time(stamp)
