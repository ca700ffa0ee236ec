"""Eligibility: each criterion of a study evaluated from the entered data, with its reasons.

``evaluate(study, data, forms) -> Eligibility``. ``data`` is the screening data by form OID,
then item path (``{"F.LAB_LIVER": {"I.ALT": "130", "I.ALT_ULN": "40"}}``); derived items (the
Child-Pugh score) are always computed from their inputs: a value that arrived entered (by
import or sync) never overrides the derivation, and a difference is flagged
(:class:`DerivedDiffers`). Each criterion is *met*, *not met* or *unknown* (data missing, or a
result such as ``"<20"`` that cannot decide a cut-off of 10), with the reasons in English and
Chinese. An item that does not apply by its show-when condition (the pregnancy test of a woman
not of childbearing potential) has none of the values a rule asks for; while the answer it
depends on is missing, it may yet apply, so the rule is unknown. A subject can be enrolled only
when every inclusion criterion is met and no exclusion criterion is met (an unknown exclusion
blocks enrolment too).

The criteria themselves are data in the study file (:mod:`forms.criteria`), worded exactly as
the protocol states them.

The study's consistency checks (:class:`forms.criteria.ConsistencyCheck`) compare two records
of one fact across the screening forms; a disagreement (:class:`Inconsistency`) names both
values and blocks enrolment until one of them is corrected.

Public names: :class:`Status`, :class:`CriterionResult`, :class:`DerivedDiffers`,
:class:`Inconsistency`, :class:`Eligibility`, :func:`evaluate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from forms.criteria import (
    AgeRule,
    AllRule,
    AnyRule,
    ChoiceRule,
    CompareRule,
    ConsistencyCheck,
    Criterion,
    Implies,
    IntervalRule,
    Rule,
)
from forms.dates import add_months, parse_date, years_between
from forms.derivations import derive
from forms.errors import DefinitionError, FormsError
from forms.schema import Condition, FormDef, ItemDef, ItemValue
from forms.study import Study
from forms.text import Text
from forms.values import Entry, as_item_value, is_blank, read_quantity, split_codes

VisitData = Mapping[str, Mapping[str, Entry]]
"""Entered data of the screening visit: form OID → item path → entry."""

Outcome = tuple[bool | None, list[Text]]


class Status(StrEnum):
    """What the data says about one criterion."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CriterionResult:
    """One criterion, its status and why."""

    criterion: Criterion
    status: Status
    reasons: tuple[Text, ...]

    @property
    def blocks_enrolment(self) -> bool:
        """True when this result alone prevents enrolment."""
        wanted = Status.MET if self.criterion.kind == "inclusion" else Status.NOT_MET
        return self.status is not wanted


@dataclass(frozen=True)
class DerivedDiffers:
    """A derived item (e.g. the Child-Pugh score) that holds an entered value (by import or
    from another computer) other than what its derivation computes. The derivation decides;
    ``derived`` is None when its inputs are missing, so the item counts as not entered."""

    ref: str
    entered: str
    derived: str | None
    message: Text


@dataclass(frozen=True)
class Inconsistency:
    """A consistency check of the study that the screening data fail, with both records."""

    check: ConsistencyCheck
    reasons: tuple[Text, ...]


@dataclass(frozen=True)
class Eligibility:
    """Every criterion's result, whether the subject can be enrolled, the screening records
    that disagree, and the derived items whose entered value was overruled by their
    derivation."""

    results: tuple[CriterionResult, ...]
    derived_differs: tuple[DerivedDiffers, ...] = ()
    inconsistencies: tuple[Inconsistency, ...] = ()

    @property
    def enrollable(self) -> bool:
        """Every inclusion criterion met, no exclusion criterion met (none unknown), and no
        two screening records of one fact in disagreement."""
        return not self.blocking and not self.inconsistencies

    @property
    def blocking(self) -> tuple[CriterionResult, ...]:
        """The results that prevent enrolment, in protocol order."""
        return tuple(r for r in self.results if r.blocks_enrolment)


class _Evaluator:
    def __init__(self, data: VisitData, forms: Mapping[str, FormDef]) -> None:
        self.data, self.forms = data, forms
        self._derived: dict[str, dict[str, str]] = {}
        self.differs: dict[str, DerivedDiffers] = {}
        self._items: dict[str, tuple[ItemDef, FormDef]] = {}  # the rules name each ref often

    def item(self, ref: str) -> tuple[ItemDef, FormDef]:
        known = self._items.get(ref)
        if known is not None:
            return known
        form_oid, item_oid = ref.split("/")
        form = self.forms.get(form_oid)
        if form is None or item_oid not in form.items():
            raise DefinitionError(f"an eligibility rule refers to {ref}, which no form defines")
        known = self._items[ref] = (form.items()[item_oid], form)
        return known

    def entry(self, ref: str) -> Entry | None:
        item, form = self.item(ref)
        values = self.data.get(form.oid, {})
        entry = values.get(item.oid)
        if item.derivation is not None:
            if form.oid not in self._derived:
                self._derived[form.oid] = derive(form, values)
            derived = self._derived[form.oid].get(item.oid)
            if entry is not None and not is_blank(entry):
                self.flag_if_differs(ref, item, as_item_value(entry).text.strip(), derived)
            entry = derived
        return None if entry is None or is_blank(entry) else entry

    def flag_if_differs(self, ref: str, item: ItemDef, entered: str, derived: str | None) -> None:
        """Keep a derived item's entered value that its derivation does not confirm."""
        if entered == derived or ref in self.differs:
            return
        label = item.label
        if derived is None:
            text = Text(
                en=f"{label.en}: {entered} was entered but cannot be computed from its inputs, "
                "which are missing; it is not used",
                zh=f"{label.zh}：录入值为{entered}，但因输入项缺失无法计算，不予采用",
            )
        else:
            text = Text(
                en=f"{label.en}: {entered} was entered but its inputs give {derived}; "
                f"{derived} is used",
                zh=f"{label.zh}：录入值为{entered}，但按输入项计算为{derived}；采用{derived}",
            )
        self.differs[ref] = DerivedDiffers(ref, entered, derived, text)

    def applies(self, ref: str, depth: int = 0) -> bool | None:
        """Whether an item applies, by its show-when conditions and the answers they depend
        on: False once those answers rule it out, None while one of them is not entered."""
        item, form = self.item(ref)
        conditions = [c for c in (form.group_of(item.oid).show_when, item.show_when) if c]
        if not conditions or depth > 8:
            return True
        held = [self.holds(form, c, depth) for c in conditions]
        if False in held:
            return False
        return None if None in held else True

    def holds(self, form: FormDef, condition: Condition, depth: int) -> bool | None:
        ref = f"{form.oid}/{condition.item}"
        applies = self.applies(ref, depth + 1)
        entry = self.data.get(form.oid, {}).get(condition.item)
        if applies is False:
            return condition.filled is False
        if entry is None or is_blank(entry):
            return None
        if condition.filled is not None:
            return condition.filled
        return bool(set(split_codes(as_item_value(entry).text)) & set(condition.any_of))

    def not_applicable(self, ref: str) -> Outcome | None:
        """The outcome of a rule on an item that does not apply: it has none of the values a
        rule could ask for (e.g. no positive pregnancy test for a woman who is not of
        childbearing potential). None when the item applies or may yet apply."""
        if self.applies(ref) is not False:
            return None
        label = self.item(ref)[0].label
        return False, [Text(en=f"{label.en}: does not apply", zh=f"{label.zh}：不适用")]

    def disagreement(self, check: ConsistencyCheck) -> Inconsistency | None:
        """The check's disagreement, or None when the records agree or cannot be compared."""
        if isinstance(check.check, Implies):
            when, when_reasons = self.rule(check.check.when)
            then, then_reasons = self.rule(check.check.then)
            if when is True and then is False:
                return Inconsistency(check, (*when_reasons, *then_reasons))
            return None
        first, second = check.check.items
        shown = [self.shown(ref) for ref in (first, second)]
        if None in shown or self.same(first, second) is not False:
            return None
        return Inconsistency(
            check,
            (
                Text(
                    en=" ≠ ".join(s.en for s in shown if s is not None),
                    zh=" ≠ ".join(s.zh for s in shown if s is not None),
                ),
            ),
        )

    def shown(self, ref: str) -> Text | None:
        """An entered value with its form and item, e.g. "Child-Pugh, INR 1.10"."""
        entry = self.entry(ref)
        if entry is None:
            return None
        item, form = self.item(ref)
        text = as_item_value(entry).text.strip()
        return Text(
            en=f"{form.label.en}, {item.label.en} {text}",
            zh=f"{form.label.zh}，{item.label.zh} {text}",
        )

    def same(self, first: str, second: str) -> bool | None:
        """Whether two entered values are the same (numbers exactly, in their items' units);
        None when a bound such as "<10" cannot tell."""
        one, other = self.entry(first), self.entry(second)
        if one is None or other is None:
            return None
        try:
            a = read_quantity(self.item(first)[0], one)
            b = read_quantity(self.item(second)[0], other)
        except FormsError:
            return as_item_value(one).text.strip() == as_item_value(other).text.strip()
        if b.is_exact and b.value is not None:
            return a.compare("==", b.value)
        if a.is_exact and a.value is not None:
            return b.compare("==", a.value)
        return None

    def rule(self, rule: Rule) -> Outcome:
        if isinstance(rule, AnyRule | AllRule):
            return self.combine(rule)
        if isinstance(rule, CompareRule):
            return self.compare(rule)
        if isinstance(rule, AgeRule):
            return self.age(rule)
        if isinstance(rule, IntervalRule):
            return self.interval(rule)
        return self.choice(rule)

    def combine(self, rule: AnyRule | AllRule) -> Outcome:
        outcomes = [self.rule(sub) for sub in rule.rules]
        answers = [answer for answer, _ in outcomes]
        decisive = isinstance(rule, AnyRule)  # any: one True decides; all: one False decides
        if decisive in answers:
            reasons = [r for answer, rs in outcomes if answer is decisive for r in rs]
            return decisive, reasons
        reasons = [r for _, rs in outcomes for r in rs]
        return (None if None in answers else not decisive), reasons

    def missing(self, ref: str) -> Outcome:
        label = self.item(ref)[0].label
        return None, [Text(en=f"{label.en}: not entered", zh=f"{label.zh}：未录入")]

    def compare(self, rule: CompareRule) -> Outcome:
        item, form = self.item(rule.item)
        if (outcome := self.not_applicable(rule.item)) is not None:
            return outcome
        entry = self.entry(rule.item)
        if entry is None:
            return self.missing(rule.item)
        limit_ref = self.limit_ref(rule, item, form)
        if rule.times is not None and (limit_ref is None or self.entry(limit_ref) is None):
            return self.missing(limit_ref) if limit_ref else (None, [])
        threshold = self.threshold(rule, item, limit_ref)
        answer = None
        if threshold is not None:
            try:
                answer = read_quantity(item, entry).compare(rule.op, threshold[0])
            except FormsError:
                answer = None
        text = as_item_value(entry).text
        cut = threshold[1] if threshold is not None else rule.value
        en, zh = {True: ("yes", "是"), False: ("no", "否"), None: ("cannot tell", "无法判断")}[
            answer
        ]
        return answer, [
            Text(
                en=f"{item.label.en} {text} {rule.op} {cut}: {en}",
                zh=f"{item.label.zh} {text} {rule.op} {cut}：{zh}",
            )
        ]

    def limit_ref(self, rule: CompareRule, item: ItemDef, form: FormDef) -> str | None:
        """The item holding the lab's LLN/ULN for a "× ULN" rule, or None."""
        if rule.times is None:
            return None
        if rule.limit is not None:
            return rule.limit
        limit = form.limits_of(item.oid).get(rule.times)
        return None if limit is None else f"{form.oid}/{limit}"

    def threshold(
        self, rule: CompareRule, item: ItemDef, limit_ref: str | None
    ) -> tuple[Decimal, str] | None:
        """The cut-off in the item's unit and how it reads (e.g. "3 × ULN (40) = 120 U/L");
        None when a needed limit cannot be read as an exact number."""
        unit = rule.unit or item.unit or ""
        try:
            value = read_quantity(item, ItemValue(text=rule.value, unit=unit or None)).value
        except FormsError:
            return None
        if value is None:
            return None
        if limit_ref is None:
            return value, f"{rule.value} {unit}".strip()
        limit_entry = self.entry(limit_ref)
        try:
            limit = read_quantity(self.item(limit_ref)[0], limit_entry or "")
        except FormsError:
            return None
        if not limit.is_exact or limit.value is None:
            return None
        cut = value * limit.value
        given = as_item_value(limit_entry or "").text
        return cut, f"{rule.value} × {rule.times} ({given}) = {cut} {item.unit or ''}".strip()

    def dates(self, *refs: str) -> list[date] | Outcome:
        found: list[date] = []
        for ref in refs:
            entry = self.entry(ref)
            if entry is None:
                return self.missing(ref)
            try:
                found.append(parse_date(as_item_value(entry).text))
            except FormsError:
                return self.missing(ref)
        return found

    def age(self, rule: AgeRule) -> Outcome:
        found = self.dates(rule.birth_date, rule.on)
        if isinstance(found, tuple):
            return found
        years = years_between(found[0], found[1])
        low = rule.min_years if rule.min_years is not None else 0
        high = rule.max_years if rule.max_years is not None else 200
        answer = low <= years <= high
        return answer, [
            Text(
                en=f"age {years} years (allowed {low}–{high})",
                zh=f"年龄{years}岁（允许{low}–{high}岁）",
            )
        ]

    def interval(self, rule: IntervalRule) -> Outcome:
        found = self.dates(rule.start, rule.end)
        if isinstance(found, tuple):
            return found
        start, end = found
        if rule.unit == "months":
            first, last = add_months(start, rule.min), add_months(start, rule.max)
        else:
            first, last = start + timedelta(days=rule.min), start + timedelta(days=rule.max)
        answer = first <= end <= last
        span = f"{first.isoformat()} – {last.isoformat()}"
        label = self.item(rule.end)[0].label
        return answer, [
            Text(
                en=f"{label.en} {end.isoformat()} (allowed {span})",
                zh=f"{label.zh} {end.isoformat()}（允许{span}）",
            )
        ]

    def choice(self, rule: ChoiceRule) -> Outcome:
        item = self.item(rule.item)[0]
        if (outcome := self.not_applicable(rule.item)) is not None:
            return outcome
        entry = self.entry(rule.item)
        if entry is None:
            return self.missing(rule.item)
        code = as_item_value(entry).text.strip()
        chosen = item.choice(code)
        shown = chosen.label if chosen is not None else Text(en=code, zh=code)
        return code in rule.any_of, [
            Text(en=f"{item.label.en}: {shown.en}", zh=f"{item.label.zh}：{shown.zh}")
        ]


def evaluate(study: Study, data: VisitData, forms: Mapping[str, FormDef]) -> Eligibility:
    """Evaluate every eligibility criterion of ``study`` from the screening ``data``.

    Args:
        study: the study version the subject is screened under.
        data: form OID → item path → entry (text as entered, or ``ItemValue``).
        forms: the form definitions by OID (``desktop_crf.studies.bundled_forms()``).

    Raises:
        DefinitionError: a criterion refers to an item that no form defines.
    """
    evaluator = _Evaluator(data, forms)
    results = []
    for criterion in study.eligibility:
        answer, reasons = evaluator.rule(criterion.rule)
        status = {True: Status.MET, False: Status.NOT_MET, None: Status.UNKNOWN}[answer]
        results.append(CriterionResult(criterion, status, tuple(reasons)))
    found = (evaluator.disagreement(check) for check in study.consistency)
    inconsistencies = tuple(i for i in found if i is not None)
    return Eligibility(tuple(results), tuple(evaluator.differs.values()), inconsistencies)
