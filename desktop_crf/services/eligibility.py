"""Eligibility of a screened subject from the data entered at screening, and enrolment that
refuses a subject who is not eligible.

Public API:

- :func:`screening_eligibility` ``(session, subject_id) -> Eligibility``
- :func:`enrol_eligible` ``(session, subject_id, enrolment) -> Changes`` (raises
  :class:`NotEligible`)
"""

from __future__ import annotations

from collections.abc import Mapping

from desktop_crf.errors import InvalidInput, NotFound
from desktop_crf.model import Changes
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import Session
from desktop_crf.services.subjects import Enrolment, enroll_subject
from desktop_crf.store import repository as repo
from desktop_crf.studies import bundled_forms, load_study
from forms.eligibility import Eligibility, evaluate
from forms.schema import ItemValue, item_path
from forms.values import Entry


class NotEligible(InvalidInput):
    """Enrolment refused: the screening data do not show the subject eligible, or two of its
    records of one fact disagree."""

    def __init__(
        self, subject_id: str, criteria: list[str], disagreements: list[str] | None = None
    ) -> None:
        parts = []
        if criteria:
            parts.append(f"criteria {', '.join(criteria)} are not satisfied or not known yet")
        if disagreements:
            parts.append(f"the screening records disagree ({', '.join(disagreements)})")
        super().__init__(
            f"Subject {subject_id} cannot be enrolled: {'; '.join(parts)}. Complete or correct "
            "the screening forms first."
        )


def screening_data(session: Session, subject_id: str) -> dict[str, dict[str, Entry]]:
    """The screening visit's values by form OID, then item path (as ``forms`` reads them)."""
    session.require(Permission.VIEW_DATA)
    subject = repo.get_subject(session.db, subject_id)
    if subject is None:
        raise NotFound(f"There is no subject {subject_id}.")
    study = load_study(subject["study_id"], subject["study_version"])
    forms = bundled_forms()
    screening = study.visits[0].oid
    data: dict[str, dict[str, Entry]] = {}
    for event, ev_rep, form, group, rep, item, value, unit, _rev, _c in repo.subject_values(
        session.db, subject_id
    ):
        if event != screening or ev_rep != 1 or value is None or form not in forms:
            continue
        repeating = any(g.oid == group and g.repeating for g in forms[form].item_groups)
        path = item_path(item, group_oid=group, repeat=rep) if repeating else item
        data.setdefault(form, {})[path] = ItemValue(text=value, unit=unit) if unit else value
    return data


def evaluate_data(
    study_id: str, version: str, data: Mapping[str, Mapping[str, Entry]]
) -> Eligibility:
    """Evaluate eligibility from data not yet saved (the live view while screening)."""
    return evaluate(load_study(study_id, version), data, bundled_forms())


def screening_eligibility(session: Session, subject_id: str) -> Eligibility:
    """Each criterion met / not met / unknown, with its reasons, from the saved screening."""
    data = screening_data(session, subject_id)
    subject = repo.get_subject(session.db, subject_id)
    assert subject is not None
    return evaluate_data(subject["study_id"], subject["study_version"], data)


def enrol_eligible(session: Session, subject_id: str, enrolment: Enrolment) -> Changes:
    """Enrol the subject only when the saved screening data show every criterion satisfied.

    Raises:
        NotEligible: a criterion blocks enrolment (not met, or unknown).
    """
    session.require(Permission.ENROLL)
    result = screening_eligibility(session, subject_id)
    if not result.enrollable:
        raise NotEligible(
            subject_id,
            [r.criterion.id for r in result.blocking],
            [i.check.id for i in result.inconsistencies],
        )
    subject = repo.get_subject(session.db, subject_id)
    assert subject is not None
    arms = {a.code for a in load_study(subject["study_id"], subject["study_version"]).arms}
    if enrolment.arm not in arms:
        raise InvalidInput(f"Choose the arm: one of {', '.join(sorted(arms))}.")
    return enroll_subject(session, subject_id, enrolment)
