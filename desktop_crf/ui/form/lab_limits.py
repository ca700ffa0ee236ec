"""A lab form's reference limits beside its results: each value's laboratory range and its H/L
flag as the nurse types, the per-sample LLN/ULN rows folded away while the laboratory's range
applies (shown again to enter the sample's own limits), and why no range applies when none
does.

The limits are read with ``services.lab_limits.form_limits`` when the form opens and again
(as typed) when the laboratory or the sample date changes; a per-sample limit typed on the form
replaces the laboratory's for that bound, as the service decides it.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QCheckBox, QWidget

from desktop_crf.model import FormKey
from desktop_crf.services.lab_limits import AnalyteLimits, FormLimits, Gap, form_limits, limit_text
from desktop_crf.ui.form.draft import FormDraft
from desktop_crf.ui.form.fields import ItemField
from desktop_crf.ui.ops import Ops
from forms.dates import parse_date
from forms.lab_ranges import LAB_NAME_ITEM, LabFlag, flag_value
from forms.schema import FormDef, ItemValue


def is_lab_form(form: FormDef) -> bool:
    return any(item.limit_of is not None for item in form.items().values())


class LabLimits(QObject):
    """The limits of one lab form view (see the module docstring)."""

    def __init__(
        self,
        ops: Ops,
        key: FormKey,
        form: FormDef,
        draft: FormDraft,
        fields: dict[str, ItemField],
        *,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ops, self.key, self.form, self.draft, self.fields = ops, key, form, draft, fields
        self.limits: FormLimits | None = None
        self._limit_items = {
            oid: item.limit_of for oid, item in form.items().items() if item.limit_of is not None
        }
        self.own_limits = QCheckBox(self.tr("Enter this sample's own limits (LLN, ULN)"))
        self.own_limits.setObjectName("ownLimitsBox")
        self.own_limits.setToolTip(
            self.tr(
                "The laboratory's recorded ranges apply to this sample. Enter the sample's own "
                "limits only when the laboratory reported different ones (a reason is asked)."
            )
        )
        self.own_limits.toggled.connect(lambda _on: self.apply())
        self.own_limits.hide()
        self._again = QTimer(self)
        self._again.setSingleShot(True)
        self._again.setInterval(400)  # the nurse finishes typing the laboratory or the date
        self._again.timeout.connect(self._reload_as_typed)

    def load(self) -> None:
        key = self.key
        self.ops.read(lambda s: form_limits(s, key), self._loaded, owner=self)

    def typed(self, path: str) -> None:
        if path in (LAB_NAME_ITEM, self.form.date_item):
            self._again.start()

    def _reload_as_typed(self) -> None:
        key = self.key
        laboratory = self.draft.text(LAB_NAME_ITEM).strip() or None
        day = None
        if self.form.date_item is not None:
            try:
                day = parse_date(self.draft.text(self.form.date_item).strip())
            except ValueError:  # not a date yet (forms' errors are ValueErrors)
                day = None
        self.ops.read(
            lambda s: form_limits(s, key, laboratory=laboratory, sample_date=day),
            self._loaded,
            owner=self,
        )

    def _loaded(self, limits: FormLimits) -> None:
        self.limits = limits
        self.own_limits.setVisible(any(a.laboratory_range for a in limits.analytes.values()))
        self.apply()

    def apply(self) -> None:
        """Each result's limits and flag; the limit rows folded while the laboratory's range
        applies (kept in sight when the sample has its own limits or the nurse asks)."""
        if self.limits is None:
            return
        for field in self.fields.values():
            analyte = self.limits.analytes.get(field.item.oid)
            if analyte is not None:
                field.show_caption(*self._caption(field, analyte))
        check = self.draft.check
        show_own = self.own_limits.isChecked()
        for path, field in self.fields.items():
            limit = self._limit_items.get(field.item.oid)
            if limit is None:
                continue
            analyte = self.limits.analytes.get(limit.item)
            folded = (
                not show_own
                and analyte is not None
                and analyte.laboratory_range is not None
                and not self.draft.text(path).strip()
            )
            field.set_shown(not folded and (check is None or path in check.shown))

    def _caption(self, field: ItemField, analyte: AnalyteLimits) -> tuple[str, str | None]:
        lln, uln = self._bound(field, analyte, "LLN"), self._bound(field, analyte, "ULN")
        if lln is None and uln is None:
            return self._gap(analyte.gap), None
        unit = analyte.unit or ""
        span = f"{'' if lln is None else lln}–{'' if uln is None else uln} {unit}".strip()
        text = self.draft.text(field.path)
        flag = None
        if text.strip():
            entry = ItemValue(text=text, unit=self.draft.unit(field.path))
            low = None if lln is None else Decimal(lln)
            high = None if uln is None else Decimal(uln)
            found = flag_value(field.item, entry, lln=low, uln=high)
            flag = None if found in (None, LabFlag.NORMAL) else str(found)
        return (f"{span} {flag}" if flag else span), flag

    def _bound(self, result: ItemField, analyte: AnalyteLimits, bound: str) -> str | None:
        """The sample's own limit as typed on the form, else the laboratory's."""
        own = self._limit_field(result, bound)
        typed = self.draft.text(own.path).strip() if own is not None else ""
        if own is not None and typed:
            text = limit_text(own.item, typed, self.draft.unit(own.path))
            if text is not None:
                return text
        return analyte.laboratory_lln if bound == "LLN" else analyte.laboratory_uln

    def _limit_field(self, result: ItemField, bound: str) -> ItemField | None:
        """The row holding ``result``'s own ``bound`` on this sample (same group and repeat)."""
        for field in self.fields.values():
            limit = self._limit_items.get(field.item.oid)
            if (
                limit is not None
                and limit.item == result.item.oid
                and limit.bound == bound
                and (field.group, field.repeat) == (result.group, result.repeat)
            ):
                return field
        return None

    def _gap(self, gap: Gap | None) -> str:
        if gap is None:
            return ""
        return {
            Gap.NO_LABORATORY: self.tr("no range: name the laboratory"),
            Gap.NO_SAMPLE_DATE: self.tr("no range: enter the sample date"),
            Gap.NO_RANGE: self.tr("no range recorded for this laboratory"),
            Gap.NEEDS_SEX_OR_AGE: self.tr("no range: the subject's sex or age is not recorded"),
            Gap.UNIT: self.tr("no range in this unit"),
        }[gap]
