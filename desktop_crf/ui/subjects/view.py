"""One subject: header, SAE clock, visit timeline with each form's status, eligibility and
enrolment while screening, and the AE log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_crf.errors import KnownError, WrongPassword
from desktop_crf.model import Changes, FormKey
from desktop_crf.services.adverse_events import AdverseEvent, ae_key
from desktop_crf.services.overview import SubjectOverview, subject_overview
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import PATIENT_FORM
from desktop_crf.services.signatures import sign_visit
from desktop_crf.services.visits import UNSCHEDULED_EVENT, Timeline
from desktop_crf.studies import load_form
from desktop_crf.ui.common.dialogs import SignDialog
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.errors import show_error
from desktop_crf.ui.queries.query_list import QueryList
from desktop_crf.ui.subjects.ae_panel import AeLogPanel
from desktop_crf.ui.subjects.course import SubjectCourse
from desktop_crf.ui.subjects.eligibility_panel import EligibilityPanel
from desktop_crf.ui.subjects.enrol_dialog import EnrolDialog
from desktop_crf.ui.subjects.questionnaires import QuestionnairePanel
from forms.eligibility import Eligibility

_STATE_COLOURS = {
    "overdue": "#b00020",
    "open": "#1a73e8",
    "done": "#188038",
    "missed": "#8a5a00",
    "signed": "#188038",
    "signature_broken": "#b00020",
    "complete": "#188038",
    "draft": "#8a5a00",
}


@dataclass(frozen=True)
class VisitKey:
    """Which visit a row of the timeline is."""

    event: str
    event_repeat: int


@dataclass(frozen=True)
class _Row:
    """What one row of the timeline shows: a visit, or a form under its visit."""

    key: VisitKey | FormKey
    texts: tuple[str, str, str, str]
    colour: str  # the state whose colour the state column takes


class SubjectView(QWidget):
    """Emits ``open_form(FormKey)`` when a form is chosen; redraws itself whenever a change
    concerns its subject (``Ops.changed``)."""

    open_form = Signal(object)
    hand_to_patient = Signal(object, bool)  # FormKey, show the initials on the tablet
    loaded = Signal()

    def __init__(self, ctx: UiContext, subject_id: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("SubjectView")
        self.ctx, self.subject_id = ctx, subject_id
        self.timeline: Timeline | None = None
        self.eligibility: Eligibility | None = None
        self.events: list[AdverseEvent] = []
        self.unsaved: frozenset[FormKey] = frozenset()
        self.enrol_dialog: EnrolDialog | None = None
        self.sign_dialog: SignDialog | None = None
        self._state_texts = self._translated_states()
        # the timeline as shown: each visit's row and its forms' rows, and their items
        self._shown: list[tuple[_Row, tuple[_Row, ...]]] = []
        self._items: dict[VisitKey | FormKey, QTreeWidgetItem] = {}

        outer = QVBoxLayout(self)
        self.header = QLabel(subject_id)
        self.header.setObjectName("subjectHeader")
        self.header.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.header.setWordWrap(True)
        outer.addWidget(self.header)
        self.sae_label = QLabel()
        self.sae_label.setObjectName("saeClock")
        self.sae_label.setStyleSheet("background: #fde7e9; padding: 6px; font-weight: 600;")
        self.sae_label.hide()
        outer.addWidget(self.sae_label)
        self.course = SubjectCourse(
            ctx.ops, subject_id, ctx.language, may=ctx.may(Permission.ENROLL), parent=self
        )
        outer.addWidget(self.course)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Visits and forms (double-click a form to open it)")))
        self.tree = QTreeWidget()
        self.tree.setObjectName("timeline")
        self.tree.setHeaderLabels(
            [self.tr("Visit / form"), self.tr("Target"), self.tr("Window"), self.tr("State")]
        )
        self.tree.itemActivated.connect(self._activated)
        left_layout.addWidget(self.tree, 3)
        self.questionnaires_title = QLabel(self.tr("Quality of life (EORTC QLQ-C30)"))
        left_layout.addWidget(self.questionnaires_title)
        self.questionnaires = QuestionnairePanel(ctx)
        self.questionnaires.hand_to_patient.connect(self.hand_to_patient)
        self.questionnaires.open_form.connect(self.open_form)
        left_layout.addWidget(self.questionnaires, 2)
        buttons = QHBoxLayout()
        self.unscheduled_button = QPushButton(self.tr("Add unscheduled visit"))
        self.unscheduled_button.clicked.connect(self._add_unscheduled)
        self.unscheduled_button.setVisible(ctx.may(Permission.ENTER_DATA))
        buttons.addWidget(self.unscheduled_button)
        self.sign_visit_button = QPushButton(self.tr("Sign visit…"))
        self.sign_visit_button.setObjectName("signVisitButton")
        self.sign_visit_button.clicked.connect(self._sign_visit)
        self.sign_visit_button.setVisible(ctx.may(Permission.SIGN))
        buttons.addWidget(self.sign_visit_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        split.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.eligibility_panel = EligibilityPanel(
            ctx.language, may_enrol=ctx.may(Permission.ENROLL)
        )
        self.criteria = self.eligibility_panel.criteria
        self.enrol_button = self.eligibility_panel.enrol_button
        self.enrol_button.clicked.connect(self._enrol)
        right_layout.addWidget(self.eligibility_panel, 1)
        self.ae_panel = AeLogPanel(
            ctx.ops, subject_id, ctx.language, may_review=ctx.may(Permission.ENTER_DATA)
        )
        self.ae_panel.open_log.connect(lambda: self.open_form.emit(ae_key(subject_id)))
        self.ae_tree, self.ae_button = self.ae_panel.tree, self.ae_panel.open_button
        right_layout.addWidget(self.ae_panel, 1)
        right_layout.addWidget(QLabel(self.tr("Queries (from the monitor, and conflicts)")))
        self.queries = QueryList(ctx, subject_id)
        self.queries.setObjectName("subjectQueries")
        self.queries.open_form.connect(self.open_form)
        right_layout.addWidget(self.queries, 1)
        split.addWidget(right)
        split.setSizes([700, 560])
        outer.addWidget(split, 1)
        ctx.ops.changed.connect(self._changed)

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        subject = self.subject_id
        self.ctx.ops.read(
            lambda s: subject_overview(
                s, subject, today=date.today(), now=datetime.now().astimezone()
            ),
            self._loaded,
            owner=self,
            on_error=self._failed,
        )

    def _loaded(self, overview: SubjectOverview) -> None:
        self.timeline, self.eligibility = overview.timeline, overview.eligibility
        self.events = overview.events
        self.unsaved = overview.unsaved
        self.queries.show_queries(overview.queries)
        self._show_header()
        self.course.show_status(str(self.timeline.subject["status"]), self.eligibility)
        self._show_timeline()
        self._show_eligibility()
        self._show_events()
        self._show_questionnaires(overview)
        self.loaded.emit()

    def _show_questionnaires(self, overview: SubjectOverview) -> None:
        timeline = overview.timeline
        shown = any(PATIENT_FORM in v.forms for v in timeline.study.visits)
        self.questionnaires_title.setVisible(shown)
        self.questionnaires.setVisible(shown)
        if shown:
            self.questionnaires.show_questionnaires(timeline, overview.questionnaires, date.today())

    def _show_header(self) -> None:
        assert self.timeline is not None
        s, lang = self.timeline.subject, self.ctx.language
        arm = ""
        if s.get("arm"):
            try:
                arm = self.timeline.study.arm(s["arm"]).label.get(lang)
            except KeyError:
                arm = s["arm"]
        status = self._status_text(s["status"])
        if s.get("status_reason"):
            status = f"{status} ({s['status_reason']})"
        parts = [s["subject_id"], s.get("initials") or "", status, arm]
        if s.get("na_drug"):
            parts.append(self.tr("NA: {0}").format(s["na_drug"]))
        if s.get("consent_date"):
            parts.append(
                self.tr("consent {0} (version {1})").format(
                    s["consent_date"], s.get("consent_version") or "?"
                )
            )
        self.header.setText(" · ".join(p for p in parts if p))

    def _status_text(self, status: str) -> str:
        return self.ctx.labels.status(status)

    def state_text(self, state: str) -> str:
        return self._state_texts.get(state, state)

    def _translated_states(self) -> dict[str, str]:
        return {
            "not_started": self.tr("not started"),
            "draft": self.tr("draft"),
            "complete": self.tr("complete"),
            "signed": self.tr("signed"),
            "signature_broken": self.tr("signature broken — re-sign required"),
            "upcoming": self.tr("upcoming"),
            "open": self.tr("open"),
            "overdue": self.tr("overdue"),
            "done": self.tr("done"),
            "missed": self.tr("missed"),
            "unscheduled": self.tr("unscheduled"),
            "screening": self.tr("screening"),
        }

    def _timeline_rows(self) -> list[tuple[_Row, tuple[_Row, ...]]]:
        """Each visit's row and its forms' rows, as the timeline read says."""
        assert self.timeline is not None
        lang, rows = self.ctx.language, []
        for visit in self.timeline.visits:
            window = f"{visit.earliest} – {visit.latest}" if visit.earliest else ""
            label = visit.label.get(lang)
            if visit.event == UNSCHEDULED_EVENT:
                label = f"{label} {visit.event_repeat}"
            texts = (label, visit.target or "", window, self.state_text(visit.state))
            forms = []
            for form in visit.forms:
                state, colour = self.state_text(form.status), form.status
                if form.key in self.unsaved:  # typing kept by autosave, restored when opened
                    state = self.tr("{0} · unsaved typing").format(state)
                    colour = "draft"
                name = load_form(form.key.form).label.get(lang)
                forms.append(_Row(form.key, (name, "", "", state), colour))
            rows.append(
                (_Row(VisitKey(visit.event, visit.event_repeat), texts, visit.state), tuple(forms))
            )
        return rows

    def _show_timeline(self) -> None:
        """The timeline: a change redraws only the rows that show something new (a save
        changes a form's state, perhaps its visit's); the tree is built again only when its
        visits or forms are others (enrolment, an unscheduled visit)."""
        rows = self._timeline_rows()
        shape = [(top.key, [row.key for row in forms]) for top, forms in rows]
        if shape != [(top.key, [row.key for row in forms]) for top, forms in self._shown]:
            self._build_timeline(rows)
            return
        changed = False
        for (top, forms), (old_top, old_forms) in zip(rows, self._shown, strict=True):
            for row, before in zip((top, *forms), (old_top, *old_forms), strict=True):
                if row != before:
                    self._fill(self._items[row.key], row)
                    changed = True
        self._shown = rows
        if changed:
            for column in range(4):
                self.tree.resizeColumnToContents(column)

    def _build_timeline(self, rows: list[tuple[_Row, tuple[_Row, ...]]]) -> None:
        self.tree.clear()
        self._items = {}
        for top, forms in rows:
            item = self._item(top)
            for form in forms:
                item.addChild(self._item(form))
            self.tree.addTopLevelItem(item)
            if top.colour in ("open", "overdue", "screening", "unscheduled"):
                item.setExpanded(True)
        self._shown = rows
        for column in range(4):
            self.tree.resizeColumnToContents(column)

    def _item(self, row: _Row) -> QTreeWidgetItem:
        item = QTreeWidgetItem(list(row.texts))
        item.setData(0, Qt.ItemDataRole.UserRole, row.key)
        self._colour(item, row.colour)
        self._items[row.key] = item
        return item

    def _fill(self, item: QTreeWidgetItem, row: _Row) -> None:
        for column, text in enumerate(row.texts):
            if item.text(column) != text:
                item.setText(column, text)
        self._colour(item, row.colour)

    def _colour(self, item: QTreeWidgetItem, state: str) -> None:
        colour = _STATE_COLOURS.get(state)
        if colour:
            item.setForeground(3, QBrush(QColor(colour)))
        else:  # the view's own text colour
            item.setData(3, Qt.ItemDataRole.ForegroundRole, None)

    def _show_eligibility(self) -> None:
        self.eligibility_panel.show_eligibility(self.eligibility)

    def _show_events(self) -> None:
        self.ae_panel.show_events(self.events)
        pending = [
            e.clock
            for e in self.events
            if e.serious and e.clock is not None and e.clock.reported_at is None
        ]
        if pending:
            clock = min(pending, key=lambda c: c.deadline)
            self.sae_label.setText(
                self.tr("SAE 24-hour clock: {0}").format(clock.describe(self.ctx.language))
            )
            self.sae_label.show()
        else:
            self.sae_label.hide()

    # -- actions ----------------------------------------------------------------------------

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(key, FormKey):
            self.open_form.emit(key)

    def selected_visit(self) -> QTreeWidgetItem | None:
        item = self.tree.currentItem()
        if item is not None and item.parent() is not None:
            item = item.parent()
        return item

    def _sign_visit(self) -> None:
        """Sign every started form of the chosen visit with one password entry (one service
        call: all forms or none)."""
        visit = self.selected_visit()
        where = visit.data(0, Qt.ItemDataRole.UserRole) if visit is not None else None
        if visit is None or not isinstance(where, VisitKey):
            return
        dialog = SignDialog(self.ctx.full_name, visit.text(0), self)
        dialog.meaning_edit.setText(self.tr("I approve the data of this visit"))
        dialog.accepted.connect(
            lambda: self._sign(where, dialog.password_edit.text(), dialog.meaning_edit.text())
        )
        self.sign_dialog = dialog
        dialog.open()

    def _sign(self, where: VisitKey, password: str, meaning: str) -> None:
        subject, event, repeat = self.subject_id, where.event, where.event_repeat
        self.ctx.ops.write(
            lambda s: sign_visit(s, subject, event, repeat, password, meaning=meaning),
            initiator=self,
            on_error=self._sign_failed,
        )

    def _sign_failed(self, exc: KnownError) -> None:
        if isinstance(exc, WrongPassword) and self.sign_dialog is not None:
            self.sign_dialog.show_error(str(exc))
            self.sign_dialog.open()
            return
        show_error(exc, self)

    def _add_unscheduled(self) -> None:
        if self.timeline is None:
            return
        taken = [v.event_repeat for v in self.timeline.visits if v.event == UNSCHEDULED_EVENT]
        forms = self.timeline.study.unscheduled.forms
        if forms:
            key = FormKey(self.subject_id, UNSCHEDULED_EVENT, forms[0], max(taken, default=0) + 1)
            self.open_form.emit(key)

    def _enrol(self) -> None:
        if self.timeline is None or self.eligibility is None or not self.eligibility.enrollable:
            return
        dialog = EnrolDialog(self.ctx, self.subject_id, self.timeline.study, self)
        self.enrol_dialog = dialog
        dialog.open()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.concerns_subject(self.subject_id):
            self.load()

    def _failed(self, exc: Exception) -> None:
        self.header.setText(str(exc))
