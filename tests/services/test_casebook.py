"""The subject casebook: every visit and form with values, units, signatures and queries, the
audit trail as an appendix, "printed by … at …" and "page x of y" on every page, CJK fonts
embedded, the subject's ODM attached; rendered to PNG with pdftoppm to be looked at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_crf.errors import PermissionDenied
from desktop_crf.services.casebook import casebook, export_casebook
from desktop_crf.services.session import Session
from odm.verify import verify_file
from tests.helpers.exported import SUBJECT, make_export_site
from tests.helpers.sites import copy_site, login

pytestmark = pytest.mark.gui
POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None


@pytest.fixture(scope="module")
def casebook_template(
    site_template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return make_export_site(site_template[0], tmp_path_factory.mktemp("casebook") / "site")


@pytest.fixture
def monitor(casebook_template: Path, tmp_path: Path) -> Iterator[Session]:
    session = login(copy_site(casebook_template, tmp_path / "site"), "monitor")
    yield session
    session.close()


def test_the_casebook_gathers_visits_values_signatures_queries_and_the_trail(
    monitor: Session,
) -> None:
    book = casebook(monitor, SUBJECT)
    assert book.visits[0].event == "SE.W0"
    virology = next(f for f in book.visits[0].forms if f.form == "F.LAB_VIROLOGY")
    hbsag = next(v for v in virology.values if v.label.en == "Quantitative HBsAg")
    assert (hbsag.value, hbsag.unit) == ("<0.05", "IU/mL")
    assert virology.signature is not None
    assert virology.signature["state"] == "valid"
    assert virology.queries[0].text.startswith("Please confirm the HBsAg")
    assert any(entry["action"] == "item.set" for entry in book.trail)


@pytest.fixture
def printed(qapp: object, monitor: Session, tmp_path: Path) -> Path:
    from desktop_crf.printing.casebook_pdf import render_casebook

    out = tmp_path / "casebook.pdf"
    export_casebook(monitor, SUBJECT, out, render=render_casebook)
    return out


@pytest.mark.skipif(not POPPLER, reason="poppler-utils is installed by system-deps.sh")
def test_every_page_says_who_printed_it_and_its_number(printed: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert re.search(r"Printed by .* \(monitor, monitor\) at \d{4}-\d{2}-\d{2}T", page)
        assert f"— {SUBJECT}" in page
    words = " ".join(text.split())
    assert "Quantitative HBsAg" in words
    assert "HBsAg定量" in words
    assert "<0.05" in words
    assert "Signed by" in words
    assert "Please confirm the HBsAg" in words
    assert "Appendix: audit trail" in words


@pytest.mark.skipif(not POPPLER, reason="poppler-utils is installed by system-deps.sh")
def test_fonts_are_embedded_and_the_subjects_odm_is_attached(printed: Path, tmp_path: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(printed)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    assert all(" yes " in line for line in fonts), fonts
    subprocess.run(["pdfdetach", "-saveall", "-o", str(tmp_path), str(printed)], check=True)
    attached = tmp_path / f"{SUBJECT}-odm.xml"
    report = verify_file(attached)
    assert report.ok, str(report)
    assert not report.complete


@pytest.mark.skipif(not POPPLER, reason="poppler-utils is installed by system-deps.sh")
def test_the_first_page_renders_to_png(printed: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(printed), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p-*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 5000


def test_a_nurse_may_not_print_a_casebook(casebook_template: Path, tmp_path: Path) -> None:
    nurse = login(copy_site(casebook_template, tmp_path / "site"), "nurse")
    try:
        with pytest.raises(PermissionDenied):
            export_casebook(nurse, SUBJECT, tmp_path / "x.pdf", render=_no_render)
    finally:
        nurse.close()


def _no_render(_book: object, _odm: bytes, out: io.BufferedIOBase) -> None:
    out.write(b"%PDF-1.6\n")
