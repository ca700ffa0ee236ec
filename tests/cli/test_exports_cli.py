"""``crf export odm`` and ``crf odm verify`` as a person runs them."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_site_cli import crf
from tests.helpers.exported import SUBJECTS, make_export_site
from tests.helpers.sites import PASSWORDS


def test_export_then_verify_then_find_the_altered_record(
    site_template: tuple[Path, str], tmp_path: Path
) -> None:
    site = make_export_site(site_template[0], tmp_path / "site")
    out = tmp_path / "site.xml"
    made = crf(
        "export",
        "odm",
        str(site),
        "--user",
        "monitor",
        "--out",
        str(out),
        "--transactional",
        "--password-stdin",
        stdin=PASSWORDS["monitor"] + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert "SHA-256" in made.stdout
    verified = crf("odm", "verify", str(out))
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("ODM audit chain OK")
    altered = tmp_path / "altered.xml"
    altered.write_text(out.read_text(encoding="utf-8").replace('Value="&lt;0.05"', 'Value="0.05"'))
    broken = crf("odm", "verify", str(altered))
    assert broken.returncode == 1
    assert "content does not match its hash" in broken.stderr


def test_a_nurse_may_not_export(site_template: tuple[Path, str], tmp_path: Path) -> None:
    site = make_export_site(site_template[0], tmp_path / "site")
    refused = crf(
        "export",
        "odm",
        str(site),
        "--user",
        "nurse",
        "--out",
        str(tmp_path / "x.xml"),
        "--password-stdin",
        stdin=PASSWORDS["nurse"] + "\n",
    )
    assert refused.returncode != 0
    assert not (tmp_path / "x.xml").exists()


def test_export_csv_writes_the_analysis_zip(
    site_template: tuple[Path, str], tmp_path: Path
) -> None:
    site = make_export_site(site_template[0], tmp_path / "site")
    out = tmp_path / "analysis.zip"
    made = crf(
        "export",
        "csv",
        str(site),
        "--user",
        "investigator",
        "--out",
        str(out),
        "--password-stdin",
        stdin=PASSWORDS["investigator"] + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert f"Wrote {SUBJECTS} subjects" in made.stdout
    assert out.stat().st_size > 0


def test_casebook_prints_a_pdf_without_a_display(
    site_template: tuple[Path, str], tmp_path: Path
) -> None:
    site = make_export_site(site_template[0], tmp_path / "site")
    out = tmp_path / "casebook.pdf"
    made = crf(
        "casebook",
        str(site),
        "DEMO-001",
        "--user",
        "investigator",
        "--out",
        str(out),
        "--password-stdin",
        stdin=PASSWORDS["investigator"] + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert out.read_bytes().startswith(b"%PDF-1.6")
