"""A small site with realistic data for the export tests: three demo subjects' visits, values
beyond quantification, a corrected value, a signed visit and a query, made once per run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from desktop_crf.model import FormKey
from desktop_crf.services import demo, queries, signatures
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.queries import QueryTarget
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import PASSWORDS, copy_site, login

TODAY = date(2026, 11, 1)
SUBJECT = "DEMO-001"
ENROLLED = 3
# the demo screens one in eight more, at least one: exports hold screened subjects too
SUBJECTS = ENROLLED + 1
VIROLOGY = FormKey(SUBJECT, "SE.W0", "F.LAB_VIROLOGY")


def make_export_site(template: Path, root: Path) -> Path:
    """Copy ``template`` (a site with one user per role) to ``root`` and fill it."""
    copy_site(template, root)
    nurse = login(root, "nurse")
    try:
        demo.fill_subjects(nurse, ENROLLED, today=TODAY, progress=lambda _line: None)
        save_confirmed(
            nurse,
            VIROLOGY,
            [
                ItemInput("IG.HBSAG", "I.HBSAG", "<0.05", "IU/mL", reason="report re-read"),
                ItemInput("IG.HBV_DNA", "I.HBV_DNA", ">500", "IU/mL", reason="report re-read"),
            ],
        )
    finally:
        nurse.close()
    monitor = login(root, "monitor")
    try:
        queries.raise_query(
            monitor,
            QueryTarget(SUBJECT, "SE.W0", 1, "F.LAB_VIROLOGY", "IG.HBSAG", 1, "I.HBSAG"),
            "Please confirm the HBsAg result against the report.",
        )
    finally:
        monitor.close()
    investigator = login(root, "investigator")
    try:
        signatures.sign_visit(investigator, SUBJECT, "SE.W0", 1, PASSWORDS["investigator"])
    finally:
        investigator.close()
    return root
