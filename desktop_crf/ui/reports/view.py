"""The "Study dashboard" tab: the site's study at a glance for an investigator, a monitor or a
nurse (who reads it; only those who may export save its charts).

Everything shown comes from one service call (``services.reports.site_summary``) run on the
store worker, where the statistics are computed too; the GUI thread only lays out the result.
The tab reads again after any change the app announces (a save here, a sync round), a moment
later so that a burst of changes costs one read, and only while it is shown: a hidden
dashboard reads when it is shown again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError
from desktop_crf.model import Changes
from desktop_crf.printing.nones import NoneKeeper
from desktop_crf.services.permissions import Permission
from desktop_crf.services.reports import StudySummary, site_summary
from desktop_crf.ui.common.inputs import ComboBox
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.reports.build import (
    enrolment_chart,
    marker_chart,
    queries_chart,
    survival_chart,
    visits_chart,
)
from desktop_crf.ui.reports.charts import ChartWidget, save_pdf
from desktop_crf.ui.reports.specs import BarChart, ChartSpec
from desktop_crf.ui.reports.tables import (
    SummaryTable,
    TableData,
    aes_table,
    landmarks_table,
    overdue_table,
    saes_table,
    screening_table,
)
from desktop_crf.ui.reports.tiles import Tiles

#: A change is followed by a read this much later, so that a burst of changes costs one.
REFRESH_DELAY_MS = 400


def _render(chart: ChartWidget) -> Iterator[None]:
    chart.render_now()
    yield


def _placeholder() -> BarChart:
    return BarChart("", (), ())


class ReportsView(QWidget):
    """Emits ``loaded`` each time a summary is shown and ``exported(path)`` after a PDF."""

    loaded = Signal()
    exported = Signal(str)

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReportsView")
        self.ctx = ctx
        self.summary: StudySummary | None = None
        self.may_export = ctx.may(Permission.EXPORT)
        self._request = 0
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.load)
        # What a summary changes on screen is done a piece at a time (a chart, a slice of a
        # table), one piece per turn of the event loop: the window keeps painting meanwhile.
        self._jobs: deque[Iterator[None]] = deque()
        self._work = QTimer(self)
        self._work.setInterval(0)
        self._work.timeout.connect(self._next_job)
        outer = QVBoxLayout(self)
        outer.addLayout(self._build_header())
        self.status = QLabel()
        self.status.setObjectName("reportsStatus")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        scroll = QScrollArea()
        scroll.setObjectName("reportsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.tiles = Tiles()
        self.body.addWidget(self.tiles)
        self.curves_grid = QGridLayout()
        self.body.addLayout(self.curves_grid)
        self.curve_charts: list[ChartWidget] = []
        self._build_charts()
        self._build_tables()
        self.body.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        ctx.ops.changed.connect(self._changed)

    # -- building -------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title = QLabel(self.tr("Study dashboard"))
        self.title.setObjectName("reportsTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        row.addWidget(self.title)
        self.as_of = QLabel()
        self.as_of.setObjectName("reportsAsOf")
        self.as_of.setStyleSheet("color: #5f6368;")
        row.addWidget(self.as_of)
        row.addStretch(1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("reportsRefresh")
        self.refresh_button.clicked.connect(self.load)
        row.addWidget(self.refresh_button)
        self.pdf_button = QPushButton(self.tr("Save charts as PDF…"))
        self.pdf_button.setObjectName("reportsPdf")
        self.pdf_button.setVisible(self.may_export)
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self.ask_pdf)
        row.addWidget(self.pdf_button)
        return row

    def _chart(self) -> ChartWidget:
        return ChartWidget(_placeholder(), may_export=self.may_export)

    def _build_charts(self) -> None:
        grid = QGridLayout()
        self.marker_box = ComboBox()
        self.marker_box.setObjectName("markerChoice")
        self.marker_box.currentIndexChanged.connect(self._show_marker)
        self.marker_chart = self._chart()
        marker = QVBoxLayout()
        marker.addWidget(self.marker_box)
        marker.addWidget(self.marker_chart, 1)
        grid.addLayout(marker, 0, 0)
        self.enrolment_chart = self._chart()
        grid.addWidget(self.enrolment_chart, 0, 1)
        self.visits_chart = self._chart()
        grid.addWidget(self.visits_chart, 1, 0)
        self.queries_chart = self._chart()
        grid.addWidget(self.queries_chart, 1, 1)
        self.body.addLayout(grid)

    def _section(self, title: str, table: SummaryTable) -> QLabel:
        label = QLabel(title)
        label.setStyleSheet("font-size: 12pt; font-weight: 600; margin-top: 8px;")
        self.body.addWidget(label)
        self.body.addWidget(table)
        return label

    def _build_tables(self) -> None:
        self.landmarks = SummaryTable("landmarkTable", max_rows=16)
        self._section(self.tr("Estimates at the protocol's landmarks"), self.landmarks)
        self.aes = SummaryTable("aeTable", max_rows=20)
        self.ae_title = self._section(self.tr("Adverse events by term and arm"), self.aes)
        self.saes = SummaryTable("saeTable")
        self._section(self.tr("Serious adverse events and their 24-hour clock"), self.saes)
        self.overdue = SummaryTable("overdueTable")
        self._section(self.tr("Overdue visits"), self.overdue)
        self.screening = SummaryTable("screeningTable")
        self._section(self.tr("Screen failures by criterion"), self.screening)

    # -- reading --------------------------------------------------------------------------

    def load(self) -> None:
        """Read the summary again (on the store worker); an older answer is dropped."""
        self._timer.stop()
        self._stale = False
        self._request += 1
        request = self._request
        self.status.setText(self.tr("Computing…") if self.summary is None else "")
        self.ctx.ops.read(
            lambda s: site_summary(s, today=date.today(), now=datetime.now().astimezone()),
            lambda summary: self._loaded(request, summary),
            owner=self,
            on_error=self._failed,
        )

    def _changed(self, _changes: Changes, _initiator: object) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and not self._timer.isActive():
            self._timer.start(0)

    def _failed(self, exc: KnownError) -> None:
        self.status.setText(str(exc))
        self.status.setStyleSheet("color: #b00020;")

    def _loaded(self, request: int, summary: StudySummary) -> None:
        if request != self._request:
            return
        keeper = NoneKeeper()  # what laying out a summary's figures loses of None
        try:
            self.summary = summary
            self.status.setText("")
            self.show_summary(summary)
        finally:
            keeper.settle()

    def _next_job(self) -> None:
        if self._jobs:
            keeper = NoneKeeper()  # the tables' setters too drop references to None
            try:
                next(self._jobs[0])
            except StopIteration:
                self._jobs.popleft()
            finally:
                keeper.settle()
            return
        self._work.stop()
        self.loaded.emit()

    # -- showing --------------------------------------------------------------------------

    def show_summary(self, summary: StudySummary) -> None:
        """Lay out ``summary``: the figures now, then the charts and the tables a piece at a
        time; ``loaded`` once all is shown."""
        language = self.ctx.language
        self._jobs.clear()
        study = summary.study
        self.title.setText(
            self.tr("Study dashboard — {0} · {1}").format(self.ctx.site.site_code, study.id)
        )
        self.as_of.setText(self.tr("as of {0}").format(summary.now.strftime("%Y-%m-%d %H:%M")))
        self.tiles.show_summary(summary)
        self._show_curves(summary)
        self.marker_box.blockSignals(True)
        current = self.marker_box.currentIndex()
        self.marker_box.clear()
        for marker in summary.markers:
            self.marker_box.addItem(marker.label.get(language), marker.id)
        self.marker_box.setCurrentIndex(max(0, min(current, self.marker_box.count() - 1)))
        self.marker_box.blockSignals(False)
        self._show_marker()
        self.enrolment_chart.set_spec(enrolment_chart(summary, language), render=False)
        self.visits_chart.set_spec(visits_chart(summary, language), render=False)
        self.queries_chart.set_spec(queries_chart(summary), render=False)
        charts = [*self.curve_charts, self.marker_chart, self.enrolment_chart]
        charts += [self.visits_chart, self.queries_chart]
        self._jobs.extend(_render(chart) for chart in charts if chart.isVisibleTo(self))
        self.ae_title.setText(self._ae_title(summary))
        tables: list[tuple[SummaryTable, TableData]] = [
            (self.landmarks, landmarks_table(summary, language)),
            (self.aes, aes_table(summary, language)),
            (self.saes, saes_table(summary, language)),
            (self.overdue, overdue_table(summary, language)),
            (self.screening, screening_table(summary, language)),
        ]
        self._jobs.extend(table.fill_in_slices(data) for table, data in tables)
        self.pdf_button.setEnabled(True)
        self._work.start()

    def _ae_title(self, summary: StudySummary) -> str:
        safety = summary.safety
        if safety.min_grade <= 1:
            return self.tr("Adverse events by term and arm (every grade)")
        return self.tr(
            "Adverse events by term and arm (grade {0} and above; {1} below not counted)"
        ).format(safety.min_grade, safety.below_threshold)

    def _show_curves(self, summary: StudySummary) -> None:
        while len(self.curve_charts) < len(summary.curves):
            chart = self._chart()
            chart.setMinimumHeight(380)
            index = len(self.curve_charts)
            self.curves_grid.addWidget(chart, index // 2, index % 2)
            self.curve_charts.append(chart)
        for chart, curves in zip(self.curve_charts, summary.curves, strict=False):
            chart.set_spec(survival_chart(curves, summary, self.ctx.language), render=False)
        for extra in self.curve_charts[len(summary.curves) :]:
            extra.hide()

    def _show_marker(self) -> None:
        summary = self.summary
        if summary is None or not summary.markers:
            return
        index = max(0, self.marker_box.currentIndex())
        spec = marker_chart(summary.markers[index], summary, self.ctx.language)
        self.marker_chart.set_spec(spec, render=not self._work.isActive())

    # -- exporting ------------------------------------------------------------------------

    def charts(self) -> list[ChartSpec]:
        """Every chart shown, in reading order (each marker once)."""
        summary = self.summary
        if summary is None:
            return []
        language = self.ctx.language
        specs: list[ChartSpec] = [survival_chart(c, summary, language) for c in summary.curves]
        specs += [marker_chart(m, summary, language) for m in summary.markers]
        specs += [
            enrolment_chart(summary, language),
            visits_chart(summary, language),
            queries_chart(summary),
        ]
        return specs

    def ask_pdf(self) -> None:
        """Ask where, then write every chart to one PDF."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"dashboard-{self.ctx.site.site_code}-{date.today().isoformat()}.pdf"
        path, _kind = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the charts"),
            str(Path(folder or Path.home()) / name),
            self.tr("PDF files (*.pdf)"),
        )
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> bool:
        """Write the charts to ``path``; say so, or say why not."""
        if not self.may_export or self.summary is None:
            return False
        if not path.suffix:
            path = path.with_suffix(".pdf")
        try:
            written = save_pdf(self.charts(), path, title=self.title.text())
        except KnownError as exc:  # no font for its Chinese
            self.status.setStyleSheet("color: #b00020;")
            self.status.setText(str(exc))
            return False
        if written:
            self.status.setStyleSheet("color: #188038;")
            self.status.setText(self.tr("Charts saved to {0}").format(str(path)))
            self.exported.emit(str(path))
        else:
            self.status.setStyleSheet("color: #b00020;")
            self.status.setText(
                self.tr("The charts could not be written to {0}.").format(str(path))
            )
        return written
