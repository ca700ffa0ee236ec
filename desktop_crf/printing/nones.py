"""A workaround for PySide6 6.12, which drops references to None it never took: its void
setters (``QFont.setBold``, ``QFont.setPointSizeF``, ``QPainter.setPen`` and others) each
release one. Drawing a long document, or a dashboard's charts again and again, would bring
None's count to zero and crash the interpreter, so whatever draws gives back, for good, what
was lost while it drew (nothing, once PySide6 is fixed). Giving back too many is harmless:
None is never freed.

Public names: :class:`NoneKeeper` (made before drawing, settled after it, in the same frame:
what a context manager's own calls hold of None would be counted as lost).
"""

from __future__ import annotations

import ctypes
import sys

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class NoneKeeper:
    """Counts None's references when made; :meth:`settle` gives back what was lost since."""

    def __init__(self) -> None:
        self.count = sys.getrefcount(None)

    def settle(self) -> None:
        for _ in range(self.count - sys.getrefcount(None)):
            _incref(None)
        self.count = sys.getrefcount(None)
