"""The marks beside a form's items: a query on the item (its question, state and age in the
tooltip) and, for a monitor, its source data verification (verified, or changed since
verified); and the monitor's "Mark verified" on an item or the whole form.

Read on the store worker when the form opens and again when a query, a verification, a save or
a sync concerns the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop_crf.model import Changes, FormKey
from desktop_crf.services import sdv
from desktop_crf.services.permissions import Permission
from desktop_crf.services.queries import Query, server_queries
from desktop_crf.services.session import Session
from desktop_crf.ui.context import UiContext
from desktop_crf.ui.form.fields import ItemField
from desktop_crf.ui.monitor.words import MonitorWording

_QUERY_COLOURS = {"open": "#b00020", "answered": "#8a5a00", "closed": "#5f6368"}
_VERIFIED, _CHANGED = "#188038", "#b06000"


@dataclass(frozen=True)
class FormMarks:
    """What the marks of one form show: its items' queries and verifications."""

    queries: list[Query]
    verified: Mapping[tuple[str, int, str], sdv.ItemSdv]


class ItemMarks(QObject):
    """The marks of one form view. ``loaded`` once they show what the store holds."""

    loaded = Signal()

    def __init__(
        self, ctx: UiContext, key: FormKey, fields: Mapping[str, ItemField], *, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ctx, self.key, self.fields, self._parent = ctx, key, fields, parent
        self.words = MonitorWording(self)
        self.shows_sdv = ctx.may(Permission.VERIFY_SOURCE)
        self.marks: FormMarks | None = None

    def load(self) -> None:
        key, shows_sdv = self.key, self.shows_sdv

        def read(session: Session) -> FormMarks:
            queries = [
                q
                for q in server_queries(session, key.subject_id)
                if q.item is not None
                and (q.event, q.event_repeat or 1, q.form)
                == (key.event, key.event_repeat, key.form)
            ]
            return FormMarks(queries, sdv.form_sdv(session, key) if shows_sdv else {})

        self.ctx.ops.read(read, self._show, owner=self)

    def concerns(self, changes: Changes) -> bool:
        return changes.kind in ("query", "sdv", "sync", "data") and changes.concerns_form(self.key)

    def _show(self, marks: FormMarks) -> None:
        self.marks = marks
        by_item: dict[tuple[str, int, str], list[Query]] = {}
        for query in marks.queries:
            place = (str(query.item_group), query.group_repeat or 1, str(query.item))
            by_item.setdefault(place, []).append(query)
        for field in self.fields.values():
            place = (field.group, field.repeat, field.item.oid)
            self._mark(field, by_item.get(place, []), marks.verified.get(place))
        self.loaded.emit()

    def _mark(self, field: ItemField, queries: list[Query], verified: sdv.ItemSdv | None) -> None:
        texts, tips, colour = [], [], _VERIFIED
        if queries:
            worst = min(queries, key=lambda q: ("open", "answered", "closed").index(q.status))
            texts.append("?")
            colour = _QUERY_COLOURS.get(worst.status, _QUERY_COLOURS["open"])
            tips += [self._query_tip(q) for q in queries]
        if verified is not None:
            if verified.changed:
                texts.append("✎")
                colour = _CHANGED if not queries else colour
                tips.append(
                    self.tr("Changed since verified by {0} ({1} ago): verify it again.").format(
                        verified.verified_by, self.words.age(verified.verified_at)
                    )
                )
            else:
                texts.append("✓")
                tips.append(
                    self.tr("Verified against the source by {0}, {1} ago.").format(
                        verified.verified_by, self.words.age(verified.verified_at)
                    )
                )
        field.show_mark(" ".join(texts), "\n".join(tips), colour)

    def _query_tip(self, query: Query) -> str:
        number = f"#{query.id}" if query.id is not None else self.tr("(not sent yet)")
        return self.tr("Query {0} · {1} · {2} old: {3}").format(
            number,
            self.words.query_status(query.status, query.is_pending),
            self.words.age(query.opened_at),
            query.text or "",
        )

    # -- the monitor marks values verified ----------------------------------------------------

    def verify_item(self, field: ItemField) -> None:
        key, group, repeat, item = self.key, field.group, field.repeat, field.item.oid
        self.ctx.ops.write(
            lambda s: sdv.verify_item(s, key, item_group=group, group_repeat=repeat, item=item),
            initiator=self._parent,
        )

    def verify_form(self) -> None:
        key = self.key
        self.ctx.ops.write(lambda s: sdv.verify_form(s, key), initiator=self._parent)
