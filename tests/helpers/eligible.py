"""Screening data of an eligible subject of NCT07553767: the reference subject of the
eligibility tests (pure data, shared by the forms, services and UI tests)."""

from __future__ import annotations

from typing import Any

ELIGIBLE: dict[str, dict[str, Any]] = {
    "F.CONSENT": {"I.CONSENT_SIGNED": "Y", "I.CONSENT_DATE": "2026-03-20"},
    "F.DEMOGRAPHICS": {"I.BRTHDTC": "1970-05-01", "I.SEX": "F"},
    "F.HCC_HISTORY": {
        "I.HBV_RELATED": "Y",
        "I.DIAG_METHOD": "PATHOLOGY",
        "I.RADICAL_TYPE": "RESECTION",
        "I.RADICAL_DATE": "2026-01-15",
        "I.CNLC_STAGE": "IB",
    },
    "F.SCREENING": {
        "I.NO_RESIDUAL_TUMOUR": "Y",
        "I.RESIDUAL_IMAGING_DATE": "2026-03-01",
        "I.PRIOR_SYSTEMIC_THERAPY": "N",
        "I.ABLE_TO_COMPLY": "Y",
        "I.CHILDBEARING_POTENTIAL": "Y",
        "I.PREGNANCY_TEST": "NEG",
        "I.CONTRACEPTION": "Y",
        "I.BREASTFEEDING": "N",
        "I.RECURRENT_OR_METASTATIC": "N",
        "I.PEG_CONTRAINDICATION": "N",
        "I.TRANSPLANT": "N",
        "I.HYPERSENSITIVITY": "N",
        "I.OTHER_TRIAL": "N",
    },
    "F.LAB_VIROLOGY": {"I.HBSAG": "350.2"},
    "F.LAB_BLOOD": {"I.WBC": "5.1", "I.PLT": "180"},
    "F.LAB_LIVER": {
        "I.ALT": "35",
        "I.ALT_ULN": "40",
        "I.TBIL": "12",
        "I.TBIL_ULN": "21",
        "I.INR": "0.98",
    },
    "F.CHILD_PUGH": {
        "I.CP_TBIL": "12",
        "I.CP_ALB": "42",
        "I.CP_INR": "0.98",
        "I.CP_ASCITES": "none",
        "I.CP_ENCEPHALOPATHY": "none",
    },
}
