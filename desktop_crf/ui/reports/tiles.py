"""The row of figures at the top of the dashboard: enrolment against the target, screening,
visits in window, overdue visits, open queries and SAEs.

Public names: :class:`Tiles`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from forms.summary import StudySummary

_ALERT, _GOOD, _PLAIN = "#b00020", "#188038", "#202124"


class _Tile(QFrame):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"QFrame#{name} {{ background: #f8f9fa; border-radius: 6px; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.value = QLabel("—")
        self.value.setObjectName(f"{name}Value")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def show_value(self, value: str, caption: str, colour: str = _PLAIN) -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"font-size: 20pt; font-weight: 600; color: {colour};")
        self.caption.setText(caption)


class Tiles(QWidget):
    """Six figures, each with what it counts."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.enrolled = _Tile("tileEnrolled")
        self.screening = _Tile("tileScreening")
        self.compliance = _Tile("tileCompliance")
        self.overdue = _Tile("tileOverdue")
        self.queries = _Tile("tileQueries")
        self.saes = _Tile("tileSaes")
        for tile in (
            self.enrolled,
            self.screening,
            self.compliance,
            self.overdue,
            self.queries,
            self.saes,
        ):
            row.addWidget(tile, 1)

    def show_summary(self, summary: StudySummary) -> None:
        enrolment, visits = summary.enrolment, summary.visits
        share = 100 * enrolment.enrolled / enrolment.target
        self.enrolled.show_value(
            f"{enrolment.enrolled} / {enrolment.target}",
            self.tr("enrolled of the study's target ({0:.0f}%)").format(share),
        )
        failed = len(summary.screening.failed)
        self.screening.show_value(
            str(enrolment.screening),
            self.tr("in screening, {0} failing a criterion").format(failed),
            _ALERT if failed else _PLAIN,
        )
        rate = visits.rate
        self.compliance.show_value(
            "—" if rate is None else f"{rate * 100:.0f}%",
            self.tr("of visits due done in their window"),
            _GOOD if rate is not None and rate >= 0.9 else _PLAIN,
        )
        overdue = len(visits.overdue)
        self.overdue.show_value(
            str(overdue), self.tr("visits overdue today"), _ALERT if overdue else _GOOD
        )
        ageing = summary.queries
        old = ageing.bands[-1]
        self.queries.show_value(
            str(ageing.open),
            self.tr("open queries, {0} older than 30 days").format(old),
            _ALERT if old else _PLAIN,
        )
        saes = summary.safety.saes
        due = sum(1 for s in saes if s.state in ("pending", "overdue"))
        late = sum(1 for s in saes if s.state == "overdue")
        self.saes.show_value(
            str(len(saes)),
            self.tr("SAEs, {0} to report ({1} overdue)").format(due, late),
            _ALERT if late else _PLAIN,
        )
