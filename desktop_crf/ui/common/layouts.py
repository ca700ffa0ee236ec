"""Many widgets shown at once in a window on screen, laid out once.

Each time a widget is shown in a window already on screen, Qt lays out every layout above it
there and then (``QWidget.show`` activates its ancestors' layouts). A form that shows twenty
message lines after a save would lay its eighty rows out twenty times, the rows below each
line moved twenty times. Inside ``LayoutBatch.batch()``, ``hold(widget)`` (called before
something is shown in ``widget``) disables the layouts from ``widget`` up to the batch's top
widget; when the batch ends they are enabled again and each laid out once, the innermost first,
before ``batch()`` returns: whoever looks next finds every widget where it belongs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QLayout, QWidget


class LayoutBatch:
    """The layouts held under ``top`` while a batch of widgets is shown."""

    def __init__(self, top: QWidget) -> None:
        self._top = top
        self._open = 0  # batches open (a batch may run inside another)
        self._held: list[tuple[int, QLayout]] = []  # (how deep under the top, the layout)
        self._depths: dict[int, int] = {}  # the same, by the held layout's id

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Show what needs showing inside; the layouts held meanwhile do their work at the end."""
        self._open += 1
        try:
            yield
        finally:
            self._open -= 1
            if self._open == 0:
                self._release()

    def hold(self, widget: QWidget | None) -> None:
        """Something is about to be shown in ``widget``: inside a batch, hold its layout and
        every layout above it up to the top widget (outside a batch, nothing)."""
        if not self._open:
            return
        chain: list[QLayout] = []  # from ``widget`` up
        first = 0  # the chain's depth: right under a layout held already, or the top's
        while widget is not None:
            layout = widget.layout()
            if layout is not None:
                held = self._depths.get(id(layout))
                if held is not None and not layout.isEnabled():  # held already, and above it
                    first = held + 1
                    break
                if layout.isEnabled():  # one disabled by someone else is left as it is
                    chain.append(layout)
            if widget is self._top:
                break
            widget = widget.parentWidget()
        for depth, layout in enumerate(reversed(chain), start=first):
            layout.setEnabled(False)
            self._held.append((depth, layout))
            self._depths[id(layout)] = depth

    def _release(self) -> None:
        held = [layout for _, layout in sorted(self._held, key=lambda h: h[0])]  # top first
        self._held, self._depths = [], {}
        for layout in held:
            layout.setEnabled(True)
        # Each layout caches what its widgets ask for: let the ones above know, from below,
        # that what changed asks for more (a layout says so itself only when it lays out).
        for layout in reversed(held):
            widget = layout.parentWidget()
            if widget is not None:
                widget.updateGeometry()
        # Then the outermost first: each lays its widget out in its final size, once (the
        # layouts below, not laid out yet, do not lay out again as they are resized).
        for layout in held:
            layout.activate()
