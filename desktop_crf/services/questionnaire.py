"""The QLQ-C30 as the patient answers it on the tablet, and as staff see it on the subject.

The patient's calls take only the patient session of a hand-over (``services.kiosk``): it is
bound to one visit's questionnaire. Each answer is saved when given, through ``save_form`` and
so under the form's rules, one transaction with its audit entry as ``patient:<subject>``.
The kiosk fills the form's administration items (date, language, official wording, the
wording's fingerprint); nobody types them. Finishing completes the form, which stores the
scores (``qlq_c30.score`` through the form's stored derivations).

Public API: :func:`kiosk_state`, :func:`choose_language`, :func:`answer_question`,
:func:`finish_questionnaire` (the patient); :func:`questionnaire_summaries` (staff);
:class:`KioskState`, :class:`Answered`, :class:`QuestionnaireSummary`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from desktop_crf.errors import InvalidInput, KnownError
from desktop_crf.model import Changes, FormKey, StoredValue
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.services.kiosk import require_handover
from desktop_crf.services.permissions import Permission
from desktop_crf.services.session import PATIENT_FORM, Session
from desktop_crf.services.wordings import load_wording
from desktop_crf.store import repository as repo
from desktop_crf.store import tablet
from forms.instruments import qlq_c30
from forms.instruments.qlq_c30_wording import Wording

ADMIN, ANSWERS, SCORES = "IG.QLQ_ADMIN", "IG.QLQ_ITEMS", "IG.QLQ_SCORES"
#: The reason recorded when the patient changes an answer before finishing.
PATIENT_CHANGED = "changed by the patient before finishing the questionnaire"
LANGUAGE_CHANGED = "the patient chose another language"


class QuestionnaireFinished(KnownError):
    def __init__(self) -> None:
        super().__init__(
            "The questionnaire is finished: answers can no longer be changed on the tablet."
        )


@dataclass(frozen=True)
class KioskState:
    """What the tablet shows for its hand-over: the answers so far, the wording chosen, and
    the initials when staff chose to show them."""

    key: FormKey
    initials: str | None
    language: str | None
    wording: Wording | None
    answers: dict[int, int]
    finished: bool

    @property
    def resume_at(self) -> int:
        """The question to show first: the one after the last answered (31: all answered)."""
        return max(self.answers, default=0) + 1


@dataclass(frozen=True)
class Answered:
    item: int
    answer: int | None
    changes: Changes


def _answers(values: Mapping[tuple[str, int, str], StoredValue]) -> dict[int, int]:
    answers: dict[int, int] = {}
    for item in qlq_c30.ITEMS:
        stored = values.get((ANSWERS, 1, qlq_c30.item_oid(item)))
        if stored is not None and stored.value and stored.value.isdigit():
            answers[item] = int(stored.value)
    return answers


def kiosk_state(session: Session) -> KioskState:
    """The hand-over's questionnaire as it stands (to start, or to resume after a crash): it
    is all the form's own data (the language is the one its answers were given in)."""
    row = require_handover(session)
    subject = repo.get_subject(session.db, row.key.subject_id) or {}
    values = repo.form_values(session.db, row.key)
    stored = values.get((ADMIN, 1, "I.QLQ_LANG"))
    language = stored.value if stored is not None else None
    wording = load_wording(session, language) if language else None
    finished = repo.get_form_status(session.db, row.key) == "complete"
    initials = subject.get("initials") if row.show_initials else None
    return KioskState(row.key, initials, language, wording, _answers(values), finished)


def _open(session: Session) -> FormKey:
    """The hand-over's form, while the patient may still answer it."""
    key = require_handover(session).key
    if repo.get_form_status(session.db, key) == "complete":
        raise QuestionnaireFinished()
    return key


def choose_language(session: Session, language: str, *, today: date) -> KioskState:
    """The patient picked ``language``: the kiosk fills the administration items (date if not
    yet, language, whether the wording is official, its fingerprint) as the patient, in one
    save.

    Raises:
        NotFound: no wording in that language on this device. QuestionnaireFinished.
    """
    key = _open(session)
    wording = load_wording(session, language)
    items = [
        ItemInput(ADMIN, "I.QLQ_LANG", wording.language),
        ItemInput(ADMIN, "I.QLQ_OFFICIAL", "Y" if wording.official else "N"),
        ItemInput(ADMIN, "I.QLQ_WORDING", wording.fingerprint),
    ]
    date_given = repo.form_values(session.db, key).get((ADMIN, 1, "I.QLQ_DATE"))
    if date_given is None or not date_given.value:
        items.append(ItemInput(ADMIN, "I.QLQ_DATE", today.isoformat()))
    save_form(session, key, items, reason=LANGUAGE_CHANGED)
    return kiosk_state(session)


def answer_question(session: Session, item: int, answer: int | None) -> Answered:
    """Save the patient's answer to ``item`` (None clears it), as given.

    Raises:
        InvalidInput: no such item, or an answer outside its scale. QuestionnaireFinished.
    """
    key = _open(session)
    if item not in qlq_c30.ITEMS:
        raise InvalidInput(f"The QLQ-C30 has no question {item}.")
    low, high = qlq_c30.answer_range(item)
    if answer is not None and not low <= answer <= high:
        raise InvalidInput(f"Question {item} is answered {low} to {high}.")
    entry = ItemInput(ANSWERS, qlq_c30.item_oid(item), None if answer is None else str(answer))
    changes = save_form(session, key, [entry], reason=PATIENT_CHANGED)
    return Answered(item, answer, changes)


def finish_questionnaire(session: Session) -> Changes:
    """The patient finished: complete the form, which stores its scores with it.

    Raises:
        FormHasErrors: an administration item is missing (no language was chosen).
        QuestionnaireFinished: it was finished already.
    """
    return save_form(session, _open(session), [], complete=True)


# -- what staff see on the subject -----------------------------------------------------------


@dataclass(frozen=True)
class QuestionnaireSummary:
    """One visit's QLQ-C30 for staff: how far it is, how it was answered, its scores."""

    key: FormKey
    status: str | None  # None: not started; draft; complete
    answered: int
    language: str | None
    official: bool | None
    by_patient: bool  # the answers were given on the tablet
    completed_on: str | None
    scores: dict[str, float | None] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(qlq_c30.ITEMS)


def questionnaire_summaries(session: Session, subject_id: str) -> list[QuestionnaireSummary]:
    """Every started QLQ-C30 of a subject, by visit (the stored scores as saved)."""
    session.require(Permission.VIEW_DATA)
    by_form: dict[tuple[str, int], dict[tuple[str, int, str], StoredValue]] = {}
    for event, ev_rep, form, group, rep, item, value, unit, rev, _c in repo.subject_values(
        session.db, subject_id
    ):
        if form == PATIENT_FORM:
            by_form.setdefault((event, ev_rep), {})[(group, rep, item)] = StoredValue(
                group, rep, item, value, unit, rev
            )
    statuses = {
        (f["event"], f["event_repeat"]): f["status"]
        for f in repo.subject_forms(session.db, subject_id)
        if f["form"] == PATIENT_FORM
    }
    by_patient = tablet.visits_answered_by(
        session.db, subject_id, PATIENT_FORM, f"patient:{subject_id}"
    )
    summaries = []
    for (event, repeat), values in sorted(by_form.items()):
        key = FormKey(subject_id, event, PATIENT_FORM, repeat)
        summaries.append(_summary(key, statuses.get((event, repeat)), values, by_patient))
    return summaries


def _admin(values: Mapping[tuple[str, int, str], StoredValue], item: str) -> str | None:
    stored = values.get((ADMIN, 1, item))
    return stored.value if stored is not None else None


def _summary(
    key: FormKey,
    status: str | None,
    values: Mapping[tuple[str, int, str], StoredValue],
    by_patient: set[tuple[str, int]],
) -> QuestionnaireSummary:
    scores: dict[str, float | None] = {}
    for code in qlq_c30.KEYS:
        stored = values.get((SCORES, 1, f"I.QLQ_{code}"))
        scores[code] = float(stored.value) if stored is not None and stored.value else None
    official = _admin(values, "I.QLQ_OFFICIAL")
    return QuestionnaireSummary(
        key=key,
        status=status,
        answered=len(_answers(values)),
        language=_admin(values, "I.QLQ_LANG"),
        official=None if not official else official == "Y",
        by_patient=(key.event, key.event_repeat) in by_patient,
        completed_on=_admin(values, "I.QLQ_DATE") if status == "complete" else None,
        scores=scores if any(v is not None for v in scores.values()) else {},
    )
