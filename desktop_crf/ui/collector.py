"""Python's cyclic garbage collector, run on the GUI thread only.

Left to itself the collector runs on whichever thread allocates when a threshold is crossed:
often the store thread or a sync round's thread. A cycle it frees there may hold a view, and
PySide then deletes that wrapper and disconnects its signals on the wrong thread, under a Qt
lock the GUI thread may hold while it waits for the interpreter lock (the deadlock the store
worker's design avoids for the callables it runs). Anki disables automatic collection and
collects from a timer on the main thread for the same reason; so do we.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_active = 0  # collectors alive: automatic collection stays off while any is


class GuiThreadCollector(QObject):
    """While it runs, automatic collection is off and the generations are collected here, on
    a timer of the GUI thread, by the thresholds Python itself would use."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._running = False

    def start(self) -> None:
        global _active
        if not self._running:
            self._running = True
            _active += 1
            gc.disable()
            self._timer.start()

    def stop(self) -> None:
        """Stop collecting here; the last collector to stop collects what is left first (on
        the GUI thread, while no Qt object is being destroyed) and turns automatic collection
        back on."""
        global _active
        if self._running:
            self._running = False
            self._timer.stop()
            _active -= 1
            if _active == 0:
                gc.collect()
                gc.enable()

    def collect(self) -> int:
        """Collect the generations whose counts crossed their thresholds; the number freed."""
        count0, count1, count2 = gc.get_count()
        threshold0, threshold1, threshold2 = self._thresholds
        if count0 <= threshold0:
            return 0
        if count1 <= threshold1:
            return gc.collect(0)
        if count2 <= threshold2:
            return gc.collect(1)
        return gc.collect(2)
