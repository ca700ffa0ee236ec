"""The subject list's model after a save: the saved subject's row is replaced in place, and
only the cells that show something new are announced: of the saved subject's row, the cells
that changed (announcing the whole row makes the header measure every column again); of the
other rows, the sync counts that changed (announcing every row makes the sorted, filtered view
read the whole list again)."""

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
    announced: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=(): announced.append(
            (top.row(), top.column(), bottom.row(), bottom.column())
        )
    )

    after = {
        "S-005": SubjectSyncCounts(unsynced=3),  # the saved subject
        "S-150": SubjectSyncCounts(open_queries=1),  # unchanged
        "S-020": SubjectSyncCounts(open_queries=1),  # a query came for another subject
    }
    model.update_rows(SubjectList([_row("S-005", "withdrawn")], {}, after), "S-005")

    # the saved subject's status and unsynced changes; the other subject's open queries
    assert sorted(announced) == [(5, 3, 5, 3), (5, 10, 5, 10), (20, 9, 20, 9)]
    assert model.index(5, 3).data() == "withdrawn"
    assert model.index(5, 10).data() == "3"
    assert model.index(20, 9).data() == "1"
    assert model.index(150, 9).data() == "1"


def test_a_row_saved_again_showing_the_same_is_not_announced(qapp) -> None:
    model = SubjectTableModel()
    counts = {"S-001": SubjectSyncCounts(unsynced=2)}
    model.set_rows([_row("S-000"), _row("S-001")], counts=counts)
    announced: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=(): announced.append(top.column()))

    model.update_rows(SubjectList([_row("S-001")], {}, dict(counts)), "S-001")

    assert announced == []


def test_no_open_ae_reads_the_same_whether_or_not_the_subject_had_one(qapp) -> None:
    """A blank cell for none open, as for a subject who never had an AE: not "0" for some."""
    from desktop_crf.services.adverse_events import AeSummary

    model = SubjectTableModel()
    aes = {"S-001": AeSummary(0, None), "S-002": AeSummary(2, None), "S-003": AeSummary(0, None, 1)}
    model.set_rows([_row(f"S-00{n}") for n in range(4)], aes=aes)
    assert [model.index(n, 7).data() for n in range(4)] == ["", "", "2", "0 (1 to review)"]
