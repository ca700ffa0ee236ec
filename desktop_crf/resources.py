"""Where the bundled data (studies, forms, dictionaries, translations) lives.

In a wheel the ``resources/`` folder is installed as ``desktop_crf/resources``; in a source
checkout (editable install) it is the ``resources/`` folder at the top of the repository.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the desktop-crf resources folder is missing from this installation")


def resource_path(*parts: str) -> Path:
    """Return the path of a bundled resource, e.g. ``resource_path("studies")``."""
    return resources_dir().joinpath(*parts)


def read_json(*parts: str) -> Any:
    """Read and parse a bundled JSON resource."""
    with resource_path(*parts).open(encoding="utf-8") as fh:
        return json.load(fh)
