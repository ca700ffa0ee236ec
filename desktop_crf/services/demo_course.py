"""The synthetic course of one demo subject and the values its forms hold: labs, virology
whose HBsAg falls faster with peginterferon (some subjects lose HBsAg, most of those
seroconvert), MRI every visit (some recurrences, LI-RADS 5), the treatment form at week 0,
survival contacts, a few deaths, and adverse events (more with peginterferon; a few serious,
on their reporting clock).

No use case of its own and no database: :mod:`desktop_crf.services.demo` decides which visits
happen and saves these values through the same services as real work.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from desktop_crf.services.data_entry import ItemInput
from forms.schedule import PlannedVisit
from forms.study import Arm

LAB = "Demo Hospital central laboratory"

# item → (unit, LLN, ULN, typical low, typical high); values drawn inside the typical range.
_Lab = dict[str, tuple[str | None, str, str, float, float]]
LIVER: _Lab = {
    "I.ALT": ("U/L", "7", "40", 12, 95),
    "I.AST": ("U/L", "13", "35", 15, 80),
    "I.TBIL": ("umol/L", "3.4", "20.5", 6, 30),
    "I.ALB": ("g/L", "40", "55", 33, 50),
    "I.INR": (None, "0.8", "1.2", 0.9, 1.15),
}
BLOOD: _Lab = {
    "I.WBC": ("10^9/L", "3.5", "9.5", 3.2, 8.0),
    "I.PLT": ("10^9/L", "125", "350", 95, 260),
    "I.HGB": ("g/L", "130", "175", 115, 160),
}
# CTCAE v5.0 term → MedDRA code; peginterferon's usual events, and those of NAs alone
_PEG_TERMS = {
    "Fatigue": "10016256",
    "Fever": "10016558",
    "Flu like symptoms": "10016791",
    "Neutrophil count decreased": "10029366",
    "Platelet count decreased": "10035528",
    "Alopecia": "10001760",
    "Depression": "10012378",
    "Hypothyroidism": "10021114",
    "Alanine aminotransferase increased": "10001551",
}
_NA_TERMS = {
    "Fatigue": "10016256",
    "Headache": "10019211",
    "Alanine aminotransferase increased": "10001551",
}
_GRADE_2_AT_MOST = {"Alopecia"}


@dataclass(frozen=True)
class Course:
    """What happens to one synthetic subject (days from the anchor)."""

    arm: Arm
    anchor: date
    hbsag_log10: float  # at baseline
    decline_per_week: float  # log10 IU/mL
    recurrence_day: int | None
    death_day: int | None


def plan_course(arm: Arm, anchor: date, rng: random.Random) -> Course:
    """Draw one subject's course: peginterferon lowers HBsAg faster and halves recurrence."""
    hbsag = rng.uniform(0.8, 3.2)
    decline = rng.uniform(0.03, 0.11) if arm.peg_ifn else rng.uniform(0.0, 0.01)
    yearly_risk = 0.12 if arm.peg_ifn else 0.25
    recurrence = int(rng.expovariate(-math.log(1 - yearly_risk) / 365)) + 60
    death = recurrence + rng.randint(60, 400) if rng.random() < 0.35 else None
    return Course(arm, anchor, hbsag, decline, recurrence, death)


def _lab_items(group: str, table: _Lab, rng: random.Random) -> list[ItemInput]:
    items = []
    for item, (unit, lln, uln, low, high) in table.items():
        value = rng.uniform(low, high)
        text = f"{value:.2f}" if high < 10 else f"{value:.0f}"
        items += [
            ItemInput(group, item, text, unit),
            ItemInput(group, f"{item}_LLN", lln, unit),
            ItemInput(group, f"{item}_ULN", uln, unit),
        ]
    return items


def _sample(when: str) -> list[ItemInput]:
    return [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", when),
        ItemInput("IG.SAMPLE", "I.LAB_NAME", LAB),
    ]


def _virology(course: Course, day: int, when: str, rng: random.Random) -> list[ItemInput]:
    log10 = course.hbsag_log10 - course.decline_per_week * day / 7 + rng.gauss(0, 0.05)
    lost = log10 < math.log10(0.05)
    hbsag = "<0.05" if lost else f"{10**log10:.2f}"
    anti = f"{rng.uniform(12, 300):.1f}" if lost and rng.random() < 0.8 else "<2"
    dna = rng.choices(["target not detected", "<10", f"{rng.randint(10, 900)}"], [6, 3, 1])[0]
    hbeag = "POS" if rng.random() < 0.1 else "NEG"
    return [
        *_sample(when),
        ItemInput("IG.HBSAG", "I.HBSAG", hbsag, "IU/mL"),
        ItemInput("IG.HBSAG", "I.ANTI_HBS", anti, "mIU/mL"),
        ItemInput("IG.HBEAG", "I.HBEAG_STATUS", hbeag),
        ItemInput("IG.HBEAG", "I.ANTI_HBE_STATUS", "NEG" if hbeag == "POS" else "POS"),
        ItemInput("IG.HBV_DNA", "I.HBV_DNA", dna, "IU/mL"),
    ]


def _imaging(course: Course, day: int, when: str) -> list[ItemInput]:
    scan = [
        ItemInput("IG.SCAN", "I.SCAN_DATE", when),
        ItemInput("IG.SCAN", "I.MODALITY", "CE_MRI"),
    ]
    if course.recurrence_day is None or day < course.recurrence_day:
        return [
            *scan,
            ItemInput("IG.SCAN", "I.NEW_LESION", "N"),
            ItemInput("IG.SCAN", "I.RECURRENCE", "N"),
        ]
    lesion = {
        "I.LESION_SEGMENT": "S6",
        "I.LESION_SIZE": "24",
        "I.APHE": "Y",
        "I.WASHOUT": "Y",
        "I.CAPSULE": "Y",
        "I.THRESHOLD_GROWTH": "N",
        "I.LIRADS": "LR5",
        "I.MARGIN_DISTANCE": "3.5",
    }
    return [
        *scan,
        ItemInput("IG.SCAN", "I.NEW_LESION", "Y"),
        ItemInput("IG.SCAN", "I.RECURRENCE", "Y"),
        ItemInput("IG.SCAN", "I.RECURRENCE_TYPE", "INTRAHEPATIC"),
        *(ItemInput("IG.LESION", item, value) for item, value in lesion.items()),
    ]


def _treatment(course: Course, na_drug: str) -> list[ItemInput]:
    first = course.anchor.isoformat()
    items = [
        ItemInput("IG.START", "I.FIRST_DOSE_DATE", first),
        ItemInput("IG.NA", "I.NA_DRUG", na_drug),
        ItemInput("IG.NA", "I.NA_START_DATE", (course.anchor - timedelta(days=90)).isoformat()),
        ItemInput("IG.NA", "I.NA_ADHERENCE", "GE95"),
        ItemInput("IG.PEG", "I.PEG_GIVEN", "Y" if course.arm.peg_ifn else "N"),
    ]
    if course.arm.peg_ifn:
        items += [
            ItemInput("IG.PEG", "I.PEG_START_DATE", first),
            ItemInput("IG.PEG", "I.PEG_DOSE", "180"),
        ]
    return items


def _survival(course: Course, day: int, when: str) -> list[ItemInput]:
    recurred = course.recurrence_day is not None and course.recurrence_day <= day
    items = [
        ItemInput("IG.SURVIVAL", "I.CONTACT_DATE", when),
        ItemInput("IG.SURVIVAL", "I.CONTACT_METHOD", "PHONE"),
        ItemInput("IG.SURVIVAL", "I.VITAL_STATUS", "ALIVE"),
        ItemInput("IG.SURVIVAL", "I.LAST_ALIVE_DATE", when),
        ItemInput("IG.SURVIVAL", "I.RECURRED", "Y" if recurred else "N"),
    ]
    if recurred and course.recurrence_day is not None:
        on = course.anchor + timedelta(days=course.recurrence_day)
        items.append(ItemInput("IG.SURVIVAL", "I.RECURRENCE_DATE", on.isoformat()))
    return items


def visit_forms(
    course: Course, visit: PlannedVisit, day: date, *, na_drug: str, rng: random.Random
) -> list[tuple[str, list[ItemInput]]]:
    """The forms the demo fills at one visit done on ``day``: (form OID, values)."""
    when, since = day.isoformat(), (day - course.anchor).days
    if "F.SURVIVAL" in visit.forms and "F.VISIT" not in visit.forms:
        return [("F.SURVIVAL", _survival(course, since, when))]
    visit_items = [
        ItemInput("IG.VISIT", "I.VISIT_DONE", "Y"),
        ItemInput("IG.VISIT", "I.VISIT_DATE", when),
    ]
    forms: list[tuple[str, list[ItemInput]]] = [
        ("F.VISIT", visit_items),
        ("F.LAB_LIVER", [*_sample(when), *_lab_items("IG.LIVER", LIVER, rng)]),
        ("F.LAB_BLOOD", [*_sample(when), *_lab_items("IG.CBC", BLOOD, rng)]),
        ("F.LAB_VIROLOGY", _virology(course, since, when, rng)),
        ("F.IMAGING", _imaging(course, since, when)),
    ]
    if visit.day == 0:
        forms.append(("F.TREATMENT", _treatment(course, na_drug)))
    return [(form, items) for form, items in forms if form in visit.forms]


def death_items(died: date, today: date) -> list[ItemInput]:
    """The end-of-study form of a subject who died."""
    return [
        ItemInput("IG.EOS", "I.EOS_DATE", min(today, died + timedelta(days=3)).isoformat()),
        ItemInput("IG.EOS", "I.EOS_STATUS", "DEATH"),
        ItemInput("IG.EOS", "I.EOS_DEATH_DATE", died.isoformat()),
        ItemInput("IG.EOS", "I.EOS_LAST_CONTACT", died.isoformat()),
    ]


def adverse_events(course: Course, last_day: date, rng: random.Random) -> list[dict[str, str]]:
    """A few AEs with onset after the first dose (the AE form's values); a grade 3 event is
    sometimes serious, with its awareness and (usually timely) report to the sponsor."""
    found = []
    terms = _PEG_TERMS if course.arm.peg_ifn else _NA_TERMS
    span = (last_day - course.anchor).days
    count = rng.choice([0, 1, 1, 2, 3, 4]) if course.arm.peg_ifn else rng.choice([0, 0, 1, 1, 2])
    for _ in range(count if span > 14 else 0):
        term = rng.choice(sorted(terms))
        grade = rng.choices([1, 2, 3], [5, 4, 2])[0]
        if term in _GRADE_2_AT_MOST:
            grade = min(grade, 2)
        onset = course.anchor + timedelta(days=rng.randint(7, min(span, 330)))
        values = {
            "I.AETERM": term,
            "I.AEMEDDRA": terms[term],
            "I.AEGRADE": str(grade),
            "I.AESTDAT": onset.isoformat(),
            "I.AEONGO": "Y" if rng.random() < 0.3 else "N",
            "I.AESER": "N",
        }
        if values["I.AEONGO"] == "N":
            values["I.AEENDAT"] = min(
                last_day, onset + timedelta(days=rng.randint(3, 40))
            ).isoformat()
        if grade == 3 and rng.random() < 0.6:
            values.update(_serious(onset, last_day, rng))
        found.append(values)
    return found


def _serious(onset: date, last_day: date, rng: random.Random) -> dict[str, str]:
    aware = min(onset + timedelta(days=1), last_day)
    values = {
        "I.AESER": "Y",
        "I.AESCRIT": "hospitalisation",
        "I.AEAWARE_DATE": aware.isoformat(),
        "I.AEAWARE_TIME": "09:15",
    }
    if aware < last_day - timedelta(days=2):
        late = rng.random() < 0.2
        reported = aware + timedelta(days=2 if late else 1)
        values["I.AESREP_DATE"] = reported.isoformat()
        values["I.AESREP_TIME"] = "16:40" if late else "08:05"
    return values
