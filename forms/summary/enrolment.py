"""Enrolment against the protocol's target, and screen failures by criterion.

Sources: the study file's ``target_enrollment`` (NCT07553767: 156; the recurrence study: 332)
and its eligibility criteria, evaluated by :func:`forms.eligibility.evaluate` from the saved
screening forms. A subject still screening counts as a screen failure once a criterion is
definitely failed (an inclusion criterion not met, or an exclusion criterion met); while the
data only leave criteria unknown, the subject is still being screened.

Public names: :class:`ArmCount`, :class:`Enrolment`, :class:`CriterionFailures`,
:class:`Screening`, :func:`enrolment`, :func:`screening`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from forms.eligibility import CriterionResult, Status, evaluate
from forms.errors import FormsError
from forms.schema import FormDef
from forms.study import Study
from forms.summary.facts import SubjectFacts, screening_records
from forms.text import Text


@dataclass(frozen=True)
class ArmCount:
    """Subjects enrolled in one arm."""

    arm: str
    label: Text
    enrolled: int


@dataclass(frozen=True)
class Enrolment:
    """Enrolled subjects per arm against the study's target, with the cumulative count by month
    of enrolment (``YYYY-MM``) and the subjects in screening."""

    target: int
    arms: tuple[ArmCount, ...]
    screening: int
    by_month: tuple[tuple[str, int], ...]

    @property
    def enrolled(self) -> int:
        """Every enrolled subject."""
        return sum(a.enrolled for a in self.arms)


def enrolment(study: Study, subjects: Sequence[SubjectFacts]) -> Enrolment:
    """Count the enrolled subjects per arm (in the study's arm order) and by month."""
    per_arm = Counter(s.arm for s in subjects if s.enrolled)
    arms = tuple(ArmCount(a.code, a.label, per_arm.get(a.code, 0)) for a in study.arms)
    months = Counter(
        s.enrolled_on.strftime("%Y-%m") for s in subjects if s.enrolled_on and s.enrolled
    )
    running, by_month = 0, []
    for month in sorted(months):
        running += months[month]
        by_month.append((month, running))
    screening = sum(1 for s in subjects if s.status == "screening")
    return Enrolment(study.target_enrollment, arms, screening, tuple(by_month))


@dataclass(frozen=True)
class CriterionFailures:
    """One criterion: subjects in screening who definitely fail it, and those for whom it is
    still unknown."""

    id: str
    kind: str
    text: Text
    failed: int
    unknown: int


@dataclass(frozen=True)
class Screening:
    """Subjects in screening: screen failures (as (site, subject id)) and those still being
    screened, and each criterion's failures."""

    failed: frozenset[tuple[str, str]]
    pending: int
    criteria: tuple[CriterionFailures, ...]


def _fails(result: CriterionResult) -> bool:
    wanted = Status.MET if result.criterion.kind == "inclusion" else Status.NOT_MET
    return result.status not in (wanted, Status.UNKNOWN)


def screening(
    study: Study, forms: Mapping[str, FormDef], subjects: Sequence[SubjectFacts]
) -> Screening:
    """Evaluate the eligibility of every subject still in screening from its saved screening
    forms; a subject whose data a criterion cannot read counts as pending."""
    failed: set[tuple[str, str]] = set()
    pending = 0
    fails: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    for subject in subjects:
        if subject.status != "screening":
            continue
        records = screening_records(study, subject.data)
        if not records:  # nothing entered yet: every criterion is unknown
            pending += 1
            unknown.update(c.id for c in study.eligibility)
            continue
        try:
            result = evaluate(study, records, forms)
        except FormsError:
            pending += 1
            continue
        failing = [r.criterion.id for r in result.results if _fails(r)]
        fails.update(failing)
        unknown.update(r.criterion.id for r in result.results if r.status is Status.UNKNOWN)
        if failing:
            failed.add((subject.site, subject.subject_id))
        else:
            pending += 1
    criteria = tuple(
        CriterionFailures(c.id, c.kind, c.text, fails.get(c.id, 0), unknown.get(c.id, 0))
        for c in study.eligibility
    )
    return Screening(frozenset(failed), pending, criteria)
