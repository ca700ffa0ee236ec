"""The subject list's model after a save: the saved subject's row is replaced in place, and of
the other rows only those whose sync counts changed are announced (announcing every row makes
the sorted, filtered view read the whole list again)."""

from __future__ import annotations

from desktop_crf.services.overview import SubjectList
from desktop_crf.services.subjects import SubjectRow
from desktop_crf.services.sync_overview import SubjectSyncCounts
from desktop_crf.ui.subjects.table import SubjectTableModel


def _row(subject_id: str, status: str = "enrolled") -> SubjectRow:
    return SubjectRow(subject_id, "AB", "A", status, "2026-01-02", None, None, None, None)


def test_only_the_rows_that_changed_are_announced(qapp) -> None:
    model = SubjectTableModel()
    rows = [_row(f"S-{n:03d}") for n in range(200)]
    counts = {"S-005": SubjectSyncCounts(unsynced=2), "S-150": SubjectSyncCounts(open_queries=1)}
    model.set_rows(rows, counts=counts)
    announced: list[tuple[int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=(): announced.append((top.row(), bottom.row()))
    )

    after = {
        "S-005": SubjectSyncCounts(unsynced=3),  # the saved subject
        "S-150": SubjectSyncCounts(open_queries=1),  # unchanged
        "S-020": SubjectSyncCounts(open_queries=1),  # a query came for another subject
    }
    model.update_rows(SubjectList([_row("S-005", "withdrawn")], {}, after), "S-005")

    assert sorted(announced) == [(5, 5), (20, 20)]
    assert model.index(5, 3).data() == "withdrawn"
    assert model.index(5, 10).data() == "3"
    assert model.index(20, 9).data() == "1"
    assert model.index(150, 9).data() == "1"
