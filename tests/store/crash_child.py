"""Child process for the crash-safety test: saves forms in a loop and reports each committed save
on stdout, so the parent knows exactly what must survive a SIGKILL."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop_crf.model import FormKey
from desktop_crf.services import site
from desktop_crf.services.data_entry import ItemInput, save_form


def main() -> None:
    root, subject, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    session = site.unlock(root, "nurse", sys.argv[4])
    print("ready", flush=True)
    n = start
    while True:
        key = FormKey(subject, f"SE.V{n}", "F.LAB_LIVER")
        items = [ItemInput("IG.LIVER", f"I.ITEM{i}", f"{n}.{i}", "U/L") for i in range(30)]
        save_form(session, key, items, complete=True)
        print(f"saved {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
