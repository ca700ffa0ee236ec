"""Enrolment against the protocol's target, and screen failures by criterion.

Sources: the study file's ``target_enrollment`` (NCT07553767: 156; the recurrence study: 332)
and its eligibility criteria, evaluated by :func:`forms.eligibility.evaluate` from the saved
screening forms. A subject recorded as a screen failure (status ``screen_failed``) is one; a
subject still screening counts as one too once a criterion is definitely failed (an inclusion
criterion not met, or an exclusion criterion met); while the data only leave criteria unknown,
the subject is still being screened. A discarded screening (opened by mistake) is none.

Public names: :class:`ArmCount`, :class:`Enrolment`, :class:`CriterionFailures`,
:class:`Screening`, :func:`enrolment`, :func:`screening`, :class:`EnrolmentTally`,
:class:`ScreeningTally`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from forms.eligibility import CriterionResult, Status, evaluate
from forms.errors import FormsError
from forms.schema import FormDef
from forms.study import Study
from forms.summary.facts import SubjectDigest, SubjectFacts, digest_of, screening_records
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


class EnrolmentTally:
    """Enrolment counted one subject at a time (``add``), then summed up (``result``)."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.per_arm: Counter[str] = Counter()
        self.months: Counter[date] = Counter()  # by the month's first day
        self.screening = 0

    def add(self, subject: SubjectDigest) -> None:
        if subject.enrolled and subject.arm is not None:
            self.per_arm[subject.arm] += 1
            if subject.enrolled_on is not None:
                self.months[subject.enrolled_on.replace(day=1)] += 1
        if subject.status == "screening":
            self.screening += 1

    def result(self) -> Enrolment:
        study = self.study
        arms = tuple(ArmCount(a.code, a.label, self.per_arm.get(a.code, 0)) for a in study.arms)
        months = Counter({on.strftime("%Y-%m"): n for on, n in self.months.items()})
        running, by_month = 0, []
        for month in sorted(months):
            running += months[month]
            by_month.append((month, running))
        return Enrolment(study.target_enrollment, arms, self.screening, tuple(by_month))


def enrolment(study: Study, subjects: Iterable[SubjectFacts]) -> Enrolment:
    """Count the enrolled subjects per arm (in the study's arm order) and by month."""
    tally = EnrolmentTally(study)
    for subject in subjects:
        tally.add(digest_of(subject))
    return tally.result()


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


class ScreeningTally:
    """Screening judged one subject at a time (``read`` its data, ``add`` its digest), then
    summed up (``result``)."""

    def __init__(self, study: Study, forms: Mapping[str, FormDef]) -> None:
        self.study, self.forms = study, forms
        self.failed: set[tuple[str, str]] = set()
        self.pending = 0
        self.fails: Counter[str] = Counter()
        self.unknown: Counter[str] = Counter()

    def read(self, subject: SubjectFacts) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The criteria a subject in screening (or a screen failure) definitely fails, and
        those still unknown; None for any other subject."""
        if subject.status not in ("screening", "screen_failed"):
            return None
        study = self.study
        records = screening_records(study, subject.data)
        if not records:  # nothing entered: every criterion is unknown
            return (), tuple(c.id for c in study.eligibility)
        try:
            result = evaluate(study, records, self.forms)
        except FormsError:
            return (), ()
        failing = tuple(r.criterion.id for r in result.results if _fails(r))
        unknown = tuple(r.criterion.id for r in result.results if r.status is Status.UNKNOWN)
        return failing, unknown

    def add(self, subject: SubjectDigest) -> None:
        if subject.status not in ("screening", "screen_failed") or subject.screening is None:
            return
        recorded = subject.status == "screen_failed"  # decided by the site, with its reason
        failing, unknown = subject.screening
        self.fails.update(failing)
        if not recorded:
            self.unknown.update(unknown)
        if failing or recorded:
            self.failed.add((subject.site, subject.subject_id))
        else:
            self.pending += 1

    def result(self) -> Screening:
        criteria = tuple(
            CriterionFailures(
                c.id, c.kind, c.text, self.fails.get(c.id, 0), self.unknown.get(c.id, 0)
            )
            for c in self.study.eligibility
        )
        return Screening(frozenset(self.failed), self.pending, criteria)


def screening(
    study: Study, forms: Mapping[str, FormDef], subjects: Iterable[SubjectFacts]
) -> Screening:
    """Evaluate the eligibility of every subject still in screening from its saved screening
    forms; a subject whose data a criterion cannot read counts as pending."""
    tally = ScreeningTally(study, forms)
    for subject in subjects:
        tally.add(digest_of(subject, screening=tally.read(subject)))
    return tally.result()
