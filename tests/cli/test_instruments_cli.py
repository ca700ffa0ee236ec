"""``crf instruments import-wording`` as a data manager runs it: imported, listed, refused with
the reason when the file is malformed."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_crf.resources import resource_path
from tests.cli.test_site_cli import crf
from tests.helpers.sites import PASSWORDS


def test_import_then_list_a_wording(site_dir: Path) -> None:
    wording = resource_path("demo", "qlq_c30_zh-CN.json")
    done = crf(
        "instruments",
        "import-wording",
        str(site_dir),
        str(wording),
        "--user",
        "admin",
        "--password-stdin",
        stdin=PASSWORDS["admin"] + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert "zh-CN (NOT an official translation)" in done.stdout
    listed = crf(
        "instruments",
        "wordings",
        str(site_dir),
        "--user",
        "nurse",
        "--password-stdin",
        stdin=PASSWORDS["nurse"] + "\n",
    )
    assert listed.returncode == 0, listed.stderr
    lines = [line.split("\t")[:3] for line in listed.stdout.splitlines()]
    assert lines == [["en", "official", "bundled"], ["zh-CN", "not official", "imported"]]


def test_a_malformed_file_is_refused_with_the_reason(site_dir: Path, tmp_path: Path) -> None:
    content = json.loads(resource_path("demo", "qlq_c30_zh-CN.json").read_text("utf-8"))
    del content["answers"]["1-7"]
    broken = tmp_path / "zh.json"
    broken.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    refused = crf(
        "instruments",
        "import-wording",
        str(site_dir),
        str(broken),
        "--user",
        "admin",
        "--password-stdin",
        stdin=PASSWORDS["admin"] + "\n",
    )
    assert refused.returncode == 2
    assert "zh.json was not imported" in refused.stderr
    assert "1-7" in refused.stderr
    nurse = crf(
        "instruments",
        "import-wording",
        str(site_dir),
        str(resource_path("demo", "qlq_c30_zh-CN.json")),
        "--user",
        "nurse",
        "--password-stdin",
        stdin=PASSWORDS["nurse"] + "\n",
    )
    assert nurse.returncode == 2
    assert "may not install questionnaire wordings" in nurse.stderr
