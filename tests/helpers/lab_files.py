"""A site with two enrolled subjects and a laboratory's export of their results, as a hospital
laboratory system writes it: good rows and the bad rows such exports really hold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop_crf.model import FormKey
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.lab_ranges import import_range_file
from desktop_crf.services.signatures import sign_form
from desktop_crf.services.subjects import Enrolment, enroll_subject, screen_subject
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import PASSWORDS, login

LAB = "Ningbo No.2 central lab"
RANGES = (
    "laboratory,analyte,unit,sex,age_from,age_to,lln,uln,valid_from\n"
    f"{LAB},ALT,U/L,M,,,9,50,2026-01-01\n"
    f"{LAB},ALT,U/L,F,,,7,40,2026-01-01\n"
    f"{LAB},AST,U/L,,,,13,35,2026-01-01\n"
    f"{LAB},TBIL,umol/L,,,,3.4,20.5,2026-01-01\n"
    f"{LAB},PLT,10^9/L,,,,125,350,2026-01-01\n"
)


@dataclass(frozen=True)
class LabSite:
    """Subject ``a`` (a woman; week 12 due 2026-04-14) and ``b`` (a man, whose week-12 liver
    panel is signed and whose week-12 blood count has a platelet count saved)."""

    root: Path
    a: str
    b: str


def lab_site(root: Path) -> LabSite:
    admin = login(root, "admin")
    try:
        ranges = root.parent / "ranges.csv"
        ranges.write_text(RANGES, encoding="utf-8")
        import_range_file(admin, ranges)
    finally:
        admin.close()
    nurse = login(root, "nurse")
    try:
        a, b = _enrolled(nurse, "F"), _enrolled(nurse, "M")
        liver = FormKey(b, "SE.W12", "F.LAB_LIVER")
        save_confirmed(
            nurse,
            liver,
            [
                ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-04-15"),
                ItemInput("IG.SAMPLE", "I.LAB_NAME", LAB),
                ItemInput("IG.LIVER", "I.ALT", "38", "U/L"),
            ],
        )
        blood = FormKey(b, "SE.W12", "F.LAB_BLOOD")
        save_confirmed(
            nurse,
            blood,
            [
                ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-04-15"),
                ItemInput("IG.CBC", "I.PLT", "150", "10^9/L"),
            ],
        )
    finally:
        nurse.close()
    investigator = login(root, "investigator")
    try:
        sign_form(investigator, liver, PASSWORDS["investigator"])
    finally:
        investigator.close()
    return LabSite(root, a, b)


def _enrolled(nurse, sex: str) -> str:  # type: ignore[no-untyped-def]
    sid = screen_subject(nurse, study_version="1.0", screened_on="2026-01-02").subject_id
    assert sid is not None
    save_confirmed(
        nurse,
        FormKey(sid, "SE.SCREENING", "F.DEMOGRAPHICS"),
        [ItemInput("IG.DM", "I.SEX", sex), ItemInput("IG.DM", "I.BRTHDTC", "1968-09-30")],
    )
    enrolment = Enrolment(arm="PEG_NA", anchor_date="2026-01-20", consent_date="2026-01-02")
    enroll_subject(nurse, sid, enrolment)
    return sid


def lis_export(site: LabSite) -> str:
    """A laboratory system's export: rows 2–7 import, the others are refused or changes."""
    a, b = site.a, site.b
    return (
        "subject,sample_date,test,result,unit,laboratory,report_no\n"
        f"{a},2026-04-14 08:10,ALT,45,U/L,{LAB},R1\n"  # 2 new, H (women's ULN 40)
        f"{a},2026-04-14 08:10,AST,<5,U/L,{LAB},R1\n"  # 3 new, L
        f"{a},2026-04-14 08:10,TBIL,1.2,mg/dL,{LAB},R1\n"  # 4 new, = 20.52 umol/L
        f"{a},2026-04-14 08:10,PLT,1500,10^9/L,{LAB},R1\n"  # 5 new, unusual (confirmed)
        f"{a},2026-04-14 08:10,HBV_DNA,target not detected,IU/mL,{LAB},R1\n"  # 6 new
        f"{a},2026/4/14,GGT,30,U/L,{LAB},R1\n"  # 7 new
        f"{a},2026-04-14 08:10,ALB,haemolysed,g/L,{LAB},R1\n"  # 8 value not parseable
        f"{a},2026-04-14 08:10,CREAT,80,mmol/L,{LAB},R1\n"  # 9 unit not convertible
        f"{a},2026-04-14 08:10,FERRITIN,80,ng/mL,{LAB},R1\n"  # 10 unknown test
        f"NB02-ZZZZZZ-0099,2026-04-14,ALT,40,U/L,{LAB},R2\n"  # 11 unknown subject
        f"{a},2026-05-30,ALT,50,U/L,{LAB},R3\n"  # 12 out of window
        f"{b},2026-04-15,AST,60,U/L,{LAB},R4\n"  # 13 form signed
        f"{a},2026-04-16,ALP,90,U/L,{LAB},R5\n"  # 14 another sample in the form's window
        f"{b},2026-04-15,PLT,160,10^9/L,{LAB},R4\n"  # 15 changes the saved 150
        f"{a},2026-04-14,WBC,5000,10^9/L,{LAB},R1\n"  # 16 impossible (hard range)
    )
