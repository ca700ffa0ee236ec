"""Exporting the visits done between two dates: only the visits whose recorded visit date is
in the range, in a file that still validates and defines every OID it references, and the
export's audit entry names the range."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from desktop_crf.services.csv_export import export_csv
from desktop_crf.services.odm_export import EXPORT_ACTION, RangeNotValid, export_odm
from desktop_crf.services.session import Session
from desktop_crf.store import exports as store
from desktop_crf.store.audit import trail
from odm.names import ODM_NS
from odm.references import check_references
from odm.schema import problems
from odm.verify import verify_file
from tests.helpers.exported import make_export_site
from tests.helpers.sites import copy_site, login

NS = {"odm": ODM_NS}


@pytest.fixture(scope="module")
def range_template(
    site_template: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return make_export_site(site_template[0], tmp_path_factory.mktemp("ranges") / "site")


@pytest.fixture
def monitor(range_template: Path, tmp_path: Path) -> Iterator[Session]:
    session = login(copy_site(range_template, tmp_path / "site"), "monitor")
    yield session
    session.close()


def split(session: Session) -> tuple[date, date, set[tuple[str, str, int]], set[tuple[str, ...]]]:
    """A range holding the later half of the site's visit dates: (from, to, visits in it,
    visits outside it)."""
    dated = [(s, e, r, d) for s, e, r, d in store.visit_dates(session.db) if d]
    days = sorted({date.fromisoformat(str(d)) for *_rest, d in dated})
    assert len(days) >= 4, days
    start, end = days[len(days) // 2], days[-2]
    inside = {(s, e, r) for s, e, r, d in dated if start <= date.fromisoformat(str(d)) <= end}
    outside = {(s, e, r) for s, e, r, _d in dated} - inside
    assert inside
    assert outside
    return start, end, inside, outside


def file_visits(path: Path) -> set[tuple[str, str, int]]:
    tree = etree.parse(str(path))
    found = set()
    for event in tree.iterfind(".//odm:StudyEventData", NS):
        subject = event.getparent().get("SubjectKey")
        found.add((subject, event.get("StudyEventOID"), int(event.get("StudyEventRepeatKey", 1))))
    return found


def test_a_snapshot_of_a_date_range_holds_exactly_the_visits_dated_in_it(
    monitor: Session, tmp_path: Path
) -> None:
    start, end, inside, _outside = split(monitor)
    out = tmp_path / "range.xml"
    export_odm(monitor, out, visits_from=start, visits_to=end)
    assert problems(etree.parse(str(out))) == []
    assert check_references(out) == []
    assert file_visits(out) == inside
    description = etree.parse(str(out)).getroot().get("Description")
    assert f"visits dated {start} to {end}" in description
    entry = trail(monitor.db, user="monitor")[-1]
    assert entry["action"] == EXPORT_ACTION
    detail = json.loads(entry["detail"])
    assert (detail["visits_from"], detail["visits_to"]) == (start.isoformat(), end.isoformat())


def test_a_transactional_file_of_a_range_holds_only_its_visits_and_verifies(
    monitor: Session, tmp_path: Path
) -> None:
    start, end, inside, _outside = split(monitor)
    out = tmp_path / "range-tx.xml"
    result = export_odm(monitor, out, transactional=True, visits_from=start, visits_to=end)
    assert result.count > 0
    assert problems(etree.parse(str(out))) == []
    assert check_references(out) == []
    assert file_visits(out) <= inside
    assert verify_file(out).ok, str(verify_file(out))
    detail = json.loads(trail(monitor.db, user="monitor")[-1]["detail"])
    assert detail["visits_from"] == start.isoformat()


def test_the_csv_of_a_range_holds_only_its_visits(monitor: Session, tmp_path: Path) -> None:
    start, end, inside, _outside = split(monitor)
    out = tmp_path / "range.zip"
    export_csv(monitor, out, visits_from=start, visits_to=end)
    with zipfile.ZipFile(out) as archive:
        text = archive.read("forms/F.VISIT.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(inside)
    detail = json.loads(trail(monitor.db, user="monitor")[-1]["detail"])
    assert detail["visits_to"] == end.isoformat()


def test_a_range_that_ends_before_it_starts_is_refused_and_writes_nothing(
    monitor: Session, tmp_path: Path
) -> None:
    out = tmp_path / "never.xml"
    with pytest.raises(RangeNotValid, match="give the earlier date first"):
        export_odm(monitor, out, visits_from=date(2026, 5, 1), visits_to=date(2026, 4, 1))
    assert not out.exists()
