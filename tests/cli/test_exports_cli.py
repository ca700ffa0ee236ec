"""``crf export odm``, ``crf odm verify`` and ``crf odm import`` as a person runs them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import etree

from odm.references import check_references
from odm.schema import problems
from tests.cli.test_site_cli import crf
from tests.helpers.exported import SUBJECTS, make_export_site
from tests.helpers.fonts import fonts_without_chinese
from tests.helpers.sites import PASSWORDS, copy_site


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


def print_casebook(site: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``crf casebook`` of DEMO-001 as its investigator runs it."""
    return crf(
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


def test_casebook_prints_a_pdf_without_a_display(
    site_template: tuple[Path, str], tmp_path: Path
) -> None:
    site = make_export_site(site_template[0], tmp_path / "site")
    out = tmp_path / "casebook.pdf"
    made = print_casebook(site, out)
    assert made.returncode == 0, made.stderr
    assert out.read_bytes().startswith(b"%PDF-1.6")


def test_export_a_date_range_names_it_in_the_file_and_refuses_it_backwards(
    site_template: tuple[Path, str], tmp_path: Path
) -> None:
    site = make_export_site(site_template[0], tmp_path / "site")
    out = tmp_path / "range.xml"

    def export(*more: str) -> subprocess.CompletedProcess[str]:
        return crf(
            "export",
            "odm",
            str(site),
            "--user",
            "monitor",
            "--out",
            str(out),
            *more,
            "--password-stdin",
            stdin=PASSWORDS["monitor"] + "\n",
        )

    made = export("--from", "2026-01-01", "--to", "2026-12-31")
    assert made.returncode == 0, made.stderr
    root = etree.parse(str(out)).getroot()
    assert "visits dated 2026-01-01 to 2026-12-31" in root.get("Description")
    assert problems(etree.parse(str(out))) == []
    assert check_references(out) == []
    out.unlink()
    backwards = export("--from", "2026-12-31", "--to", "2026-01-01")
    assert backwards.returncode != 0
    assert "give the earlier date first" in backwards.stderr
    assert not out.exists()
    not_a_day = export("--from", "31/12/2026")
    assert not_a_day.returncode == 2
    assert "is not a date like 2026-03-31" in not_a_day.stderr


def import_as_admin(site: Path, file: Path) -> subprocess.CompletedProcess[str]:
    """``crf odm import SITE FILE`` as the site's admin."""
    return crf(
        "odm", "import", str(site), str(file), "--user", "admin", "--password-stdin",
        stdin=PASSWORDS["admin"] + "\n",
    )  # fmt: skip


def test_import_a_transactional_file_into_an_empty_site_and_refuse_a_full_one(
    site_template: tuple[Path, str], tmp_path: Path
) -> None:
    site = make_export_site(site_template[0], tmp_path / "site")
    out = tmp_path / "site.xml"
    made = crf(
        "export", "odm", str(site), "--user", "investigator", "--out", str(out),
        "--transactional", "--password-stdin", stdin=PASSWORDS["investigator"] + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    empty = copy_site(site_template[0], tmp_path / "empty")
    imported = import_as_admin(empty, out)
    assert imported.returncode == 0, imported.stderr
    assert f"Imported {SUBJECTS} subjects" in imported.stdout
    assert "Transactional" in imported.stdout
    again = import_as_admin(empty, out)
    assert again.returncode == 2
    assert "only into an empty site" in again.stderr


def test_import_refuses_a_broken_file_naming_its_line(
    site_template: tuple[Path, str], tmp_path: Path
) -> None:
    site = make_export_site(site_template[0], tmp_path / "site")
    out = tmp_path / "site.xml"
    made = crf(
        "export", "odm", str(site), "--user", "monitor", "--out", str(out),
        "--password-stdin", stdin=PASSWORDS["monitor"] + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    text = out.read_text(encoding="utf-8")
    line = text[: text.index("<ItemData ")].count("\n") + 1
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace("<ItemData ", '<ItemData Colour="red" ', 1), encoding="utf-8")
    empty = copy_site(site_template[0], tmp_path / "empty")
    refused = import_as_admin(empty, broken)
    assert refused.returncode == 2
    assert f"line {line}:" in refused.stderr
    assert "Colour" in refused.stderr
    assert "Nothing was written" in refused.stderr


def test_a_casebook_is_not_printed_without_its_chinese_labels(
    site_template: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a computer with no Chinese font Qt leaves the casebook's Chinese labels out of the
    PDF without a word: the casebook is refused with what to install, and nothing is written."""
    site = make_export_site(site_template[0], tmp_path / "site")
    monkeypatch.setenv("FONTCONFIG_FILE", str(fonts_without_chinese(tmp_path)))
    out = tmp_path / "casebook.pdf"
    refused = print_casebook(site, out)
    assert refused.returncode != 0
    assert "no Chinese font" in refused.stderr
    assert "fonts-noto-cjk" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert list(tmp_path.rglob("*casebook*")) == []  # nor its temporary file
