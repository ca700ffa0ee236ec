"""Reading ODM files back (:mod:`odm.reading`): generated Snapshots give back each subject's
values as written, generated Transactional files each entry exactly as chained; a file that
breaks the schema or whose chain was altered stops the read, naming its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odm.model import AdminInfo, FormRecord, SubjectRecord, UserInfo, ValueRow
from odm.reading import ClinicalHeader, InvalidOdm, read_header, read_odm
from odm.snapshot import write_snapshot
from odm.transactional import write_transactional
from sync.entries import ENTRY_FIELDS
from tests.odm.test_generated import (
    DEFINITIONS,
    INFO,
    MEANINGS,
    PLACES,
    admin_for,
    chained,
    entries,
    texts,
    units,
    write_to,
)

FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _transactional(path: Path, bodies: list[dict[str, Any]]) -> tuple[Path, list[dict[str, Any]]]:
    chain = chained("NB02-A1", bodies)
    out = write_to(
        path,
        lambda buffer: write_transactional(buffer, INFO, DEFINITIONS, admin_for(chain), [chain]),
    )
    return out, chain


@FAST
@given(bodies=st.lists(entries(), min_size=1, max_size=25))
def test_a_transactional_file_gives_back_every_entry_as_chained(
    tmp_path: Path, bodies: list[dict[str, Any]]
) -> None:
    out, chain = _transactional(tmp_path / "tx.xml", bodies)
    pieces = list(read_odm(out))
    headers = [p for p in pieces if isinstance(p, ClinicalHeader)]
    assert headers
    assert {(h.study_oid, h.mdv_oid) for h in headers} == {
        (f"S.{DEFINITIONS.study.id}", f"MDV.{DEFINITIONS.study.version}")
    }
    assert [p for p in pieces if isinstance(p, dict)] == chain
    header = read_header(out)
    assert (header.file_type, header.file_oid) == ("Transactional", INFO.file_oid)


values = st.tuples(st.sampled_from(PLACES), st.integers(1, 3), texts, units)


@FAST
@given(rows=st.lists(values, min_size=1, max_size=30))
def test_a_snapshot_gives_back_each_subjects_values_as_written(
    tmp_path: Path, rows: list[Any]
) -> None:
    forms: dict[tuple[str, str], dict[tuple[str, int, str], ValueRow]] = {}
    for (event, form, group, repeating, item), repeat, text, unit in rows:
        place = (group, repeat if repeating else 1, item)
        forms.setdefault((event, form), {})[place] = ValueRow(*place, text, unit)
    fields = {"status": "enrolled", "arm": "PEG_NA"}
    written = SubjectRecord(
        "NB02-0001",
        fields,
        tuple(
            FormRecord(event, 1, form, "complete", tuple(found.values()))
            for (event, form), found in forms.items()
        ),
    )
    admin = AdminInfo(
        "NB02",
        "Site NB02",
        (UserInfo("nurse"),),
        MEANINGS,
        tuple(sorted({u for *_rest, u in rows if u})),
    )
    out = write_to(
        tmp_path / "snapshot.xml",
        lambda buffer: write_snapshot(buffer, INFO, DEFINITIONS, admin, [written]),
    )
    (subject,) = [p for p in read_odm(out) if isinstance(p, SubjectRecord)]
    assert subject.subject_id == written.subject_id
    assert dict(subject.fields) == fields

    def by_place(record: SubjectRecord) -> dict[Any, Any]:
        return {
            (f.event, f.form, v.item_group, v.group_repeat, v.item): (v.value, v.unit, f.status)
            for f in record.forms
            for v in f.values
        }

    assert by_place(subject) == by_place(written)


def _broken(path: Path, text: str, needle: str, replacement: str) -> tuple[Path, int]:
    at = text.rindex(needle)
    path.write_text(text[:at] + replacement + text[at + len(needle) :], encoding="utf-8")
    return path, text.count("\n", 0, at) + 1


def test_a_file_broken_near_its_end_stops_the_read_at_that_line(tmp_path: Path) -> None:
    out, _chain = _transactional(tmp_path / "tx.xml", _value_changes(40))
    text = out.read_text(encoding="utf-8")
    broken, line = _broken(tmp_path / "broken.xml", text, "<ItemData ", '<ItemData Colour="x" ')
    with pytest.raises(InvalidOdm) as stopped:
        list(read_odm(broken))
    assert stopped.value.line == line
    assert "Colour" in stopped.value.message


def test_an_altered_record_stops_the_read_as_a_chain_that_does_not_verify(
    tmp_path: Path,
) -> None:
    out, _chain = _transactional(tmp_path / "tx.xml", _value_changes(10))
    text = out.read_text(encoding="utf-8")
    altered, line = _broken(tmp_path / "altered.xml", text, 'Value="v3"', 'Value="v4"')
    with pytest.raises(InvalidOdm, match="does not verify") as stopped:
        list(read_odm(altered))
    assert stopped.value.line == line


def _value_changes(count: int) -> list[dict[str, Any]]:
    event, form, group, _repeating, item = PLACES[0]
    found = []
    for n in range(count):
        entry: dict[str, Any] = dict.fromkeys(ENTRY_FIELDS)
        entry.update(
            ts=f"2026-10-01T08:00:{n:02d}.000000Z",
            user="nurse",
            role="nurse",
            action="item.set",
            subject="NB02-0001",
            event=event,
            event_repeat=1,
            form=form,
            item_group=group,
            group_repeat=1,
            item=item,
            old=None if n == 0 else f"v{n - 1}",
            new=f"v{n}",
            reason=None if n == 0 else "corrected",
            base_rev=n,
        )
        found.append(entry)
    return found
