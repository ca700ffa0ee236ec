"""The analysis zip: one CSV per form with values as entered and, for values beyond
quantification, a flag and the bound; text guarded against spreadsheet formulas; a data
dictionary in both languages; R and SPSS (PSPP) scripts that read it; a manifest whose hashes
match; and an audit entry for the export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_crf.errors import PermissionDenied
from desktop_crf.model import FormKey
from desktop_crf.services.csv_export import export_csv
from desktop_crf.services.data_entry import ItemInput
from desktop_crf.services.odm_export import EXPORT_ACTION
from desktop_crf.services.session import Session
from desktop_crf.store.audit import trail
from odm.tabular import guard
from tests.helpers.exported import SUBJECT, SUBJECTS, VIROLOGY, make_export_site
from tests.helpers.saving import save_confirmed
from tests.helpers.sites import copy_site, login


@pytest.fixture(scope="module")
def csv_template(site_template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_export_site(site_template[0], tmp_path_factory.mktemp("csv") / "site")
    nurse = login(root, "nurse")
    try:
        save_confirmed(
            nurse,
            FormKey(SUBJECT, "SE.W0", "F.LAB_LIVER"),
            [ItemInput("IG.SAMPLE", "I.LAB_NAME", '=HYPERLINK("http://x","y")', reason="typo")],
        )
    finally:
        nurse.close()
    return root


@pytest.fixture
def monitor(csv_template: Path, tmp_path: Path) -> Iterator[Session]:
    session = login(copy_site(csv_template, tmp_path / "site"), "monitor")
    yield session
    session.close()


@pytest.fixture
def exported(monitor: Session, tmp_path: Path) -> Path:
    out = tmp_path / "analysis.zip"
    export_csv(monitor, out)
    return out


def rows(archive: Path, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(archive) as z:
        return list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8"))))


def _virology(archive: Path) -> dict[str, str]:
    return next(
        r
        for r in rows(archive, "forms/F.LAB_VIROLOGY.csv")
        if r["SUBJECT_ID"] == SUBJECT and r["EVENT"] == VIROLOGY.event
    )


def test_values_beyond_quantification_keep_their_text_flag_and_bound(exported: Path) -> None:
    row = _virology(exported)
    assert (row["HBSAG"], row["HBSAG_FLAG"], row["HBSAG_BOUND"], row["HBSAG_NUM"]) == (
        "<0.05",
        "<",
        "0.05",
        "",
    )
    assert (row["HBV_DNA"], row["HBV_DNA_FLAG"], row["HBV_DNA_BOUND"]) == (">500", ">", "500")
    assert row["HBSAG_UNIT"] == "IU/mL"
    exact = next(r for r in rows(exported, "forms/F.LAB_LIVER.csv") if r["ALT"])
    assert exact["ALT_NUM"] == exact["ALT"]


def test_text_that_a_spreadsheet_would_run_is_guarded_numbers_never_are(exported: Path) -> None:
    liver = rows(exported, "forms/F.LAB_LIVER.csv")
    names = {r["LAB_NAME"] for r in liver}
    assert '\'=HYPERLINK("http://x","y")' in names
    assert not any(name.startswith("=") for name in names)
    assert guard("-5") == "-5"
    assert guard("+3.2") == "+3.2"
    assert guard("@SUM(A1)") == "'@SUM(A1)"
    assert guard("-cmd") == "'-cmd"


def test_rows_are_subject_visit_repeat_with_columns_in_form_order(exported: Path) -> None:
    with zipfile.ZipFile(exported) as z:
        header = z.read("forms/F.LAB_VIROLOGY.csv").decode("utf-8").splitlines()[0].split(",")
    assert header[:5] == ["SUBJECT_ID", "EVENT", "EVENT_REPEAT", "REPEAT", "FORM_STATUS"]
    assert header.index("SAMPLE_DATE") < header.index("HBSAG") < header.index("HBV_DNA")
    keys = [
        (r["SUBJECT_ID"], r["EVENT"], r["EVENT_REPEAT"], r["REPEAT"])
        for r in rows(exported, "forms/F.LAB_VIROLOGY.csv")
    ]
    assert len(keys) == len(set(keys))


def test_the_dictionary_names_every_column_in_both_languages(exported: Path) -> None:
    dictionary = {(r["FORM"], r["COLUMN"]): r for r in rows(exported, "dictionary.csv")}
    hbsag = dictionary[("F.LAB_VIROLOGY", "HBSAG")]
    assert (hbsag["LABEL_EN"], hbsag["LABEL_ZH"], hbsag["TYPE"]) == (
        "Quantitative HBsAg",
        "HBsAg定量",
        "quantity",
    )
    assert dictionary[("F.LAB_VIROLOGY", "HBSAG_BOUND")]["UNIT"] == "IU/mL"
    assert "NEG=" in dictionary[("F.LAB_VIROLOGY", "HBEAG_STATUS")]["CODES_EN"]
    with zipfile.ZipFile(exported) as z:
        for name in z.namelist():
            if name.startswith("forms/"):
                form = name.removeprefix("forms/").removesuffix(".csv")
                header = z.read(name).decode("utf-8").splitlines()[0].split(",")[5:]
                assert all((form, column) in dictionary for column in header)


def test_the_manifest_holds_each_files_sha256(exported: Path) -> None:
    with zipfile.ZipFile(exported) as z:
        manifest = json.loads(z.read("manifest.json"))
        listed = {f["name"]: f["sha256"] for f in manifest["files"]}
        assert set(listed) == set(z.namelist()) - {"manifest.json"}
        for name, digest in listed.items():
            assert hashlib.sha256(z.read(name)).hexdigest() == digest
    assert manifest["subjects"] == SUBJECTS


def test_the_export_is_an_audit_entry(monitor: Session, exported: Path) -> None:
    entry = trail(monitor.db, user="monitor")[-1]
    assert entry["action"] == EXPORT_ACTION
    detail = json.loads(entry["detail"])
    assert detail["format"] == "csv"
    assert detail["sha256"] == hashlib.sha256(exported.read_bytes()).hexdigest()


def test_a_nurse_may_not_export(csv_template: Path, tmp_path: Path) -> None:
    nurse = login(copy_site(csv_template, tmp_path / "site"), "nurse")
    try:
        with pytest.raises(PermissionDenied):
            export_csv(nurse, tmp_path / "x.zip")
    finally:
        nurse.close()


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is installed by system-deps.sh")
def test_r_reads_it_with_numbers_labels_and_factors(exported: Path, tmp_path: Path) -> None:
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(exported).extractall(folder)
    script = (
        'source("read_data.R"); v <- F_LAB_VIROLOGY[F_LAB_VIROLOGY$HBSAG == "<0.05", ]; '
        "cat(class(v$HBSAG_BOUND), v$HBSAG_BOUND[1], v$HBSAG_FLAG[1], "
        'attr(F_LAB_VIROLOGY$HBSAG, "label"), levels(F_LAB_VIROLOGY$HBEAG_STATUS), sep = "|")'
    )
    done = subprocess.run(
        ["Rscript", "-e", script],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("|")[:4] == ["numeric", "0.05", "<", "Quantitative HBsAg"]
    assert "Negative" in done.stdout


@pytest.mark.skipif(shutil.which("pspp") is None, reason="PSPP is installed by system-deps.sh")
def test_the_spss_syntax_runs_in_pspp(exported: Path, tmp_path: Path) -> None:
    folder = tmp_path / "unzipped"
    zipfile.ZipFile(exported).extractall(folder)
    check = folder / "check.sps"
    check.write_text(
        (folder / "read_data.sps").read_text(encoding="utf-8")
        + "GET FILE='F_LAB_VIROLOGY.sav'.\nSELECT IF HBSAG = '<0.05'.\n"
        "LIST VARIABLES=HBSAG HBSAG_FLAG HBSAG_BOUND.\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        ["pspp", "-o", "out.txt", "check.sps"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    listed = (folder / "out.txt").read_text(encoding="utf-8")
    assert "<0.05" in listed
    assert ".0500" in listed
    assert (folder / "F_LAB_LIVER.sav").exists()


def test_the_sas_program_reads_every_column_of_every_form(exported: Path) -> None:
    with zipfile.ZipFile(exported) as z:
        program = z.read("read_data.sas").decode("utf-8")
        for name in z.namelist():
            if name.startswith("forms/"):
                header = z.read(name).decode("utf-8").splitlines()[0].split(",")
                step = program.split(f'infile "{name}"', 1)[1].split("run;", 1)[0]
                inputs = step.split("input ", 1)[1].split(";", 1)[0].replace(" $", "").split()
                assert inputs == header, name
