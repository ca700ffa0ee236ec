"""Child process for the crash-safety test: saves forms in a loop and reports each committed save
on stdout, so the parent knows exactly what must survive a SIGKILL."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import ItemInput, save_form
from desktop_crf.studies import load_form

# analyte → (value, LLN, ULN): a complete liver panel, every value inside its expected range
PANEL = {
    "I.ALT": ("30", "7", "40"),
    "I.AST": ("28", "13", "35"),
    "I.TBIL": ("12", "3.4", "20.5"),
    "I.ALB": ("42", "40", "55"),
    "I.ALP": ("80", "45", "125"),
    "I.GGT": ("35", "10", "60"),
    "I.INR": ("1.0", "0.8", "1.2"),
}


def liver_items(n: int) -> list[ItemInput]:
    """A 23-item liver form; the laboratory's name carries ``n``."""
    units = {oid: item.unit for oid, item in load_form("F.LAB_LIVER").items().items()}
    items = [
        ItemInput("IG.SAMPLE", "I.SAMPLE_DATE", "2026-10-01"),
        ItemInput("IG.SAMPLE", "I.LAB_NAME", f"run {n}"),
    ]
    for oid, values in PANEL.items():
        for suffix, value in zip(("", "_LLN", "_ULN"), values, strict=True):
            items.append(ItemInput("IG.LIVER", oid + suffix, value, units[oid + suffix]))
    return items


def main() -> None:
    root, subject, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    session = site.unlock(root, "nurse", sys.argv[4])
    print("ready", flush=True)
    n = start
    while True:
        key = FormKey(subject, f"SE.V{n}", "F.LAB_LIVER")
        save_form(session, key, liver_items(n), complete=True)
        print(f"saved {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
