"""What the app reads of a site before it is unlocked, without its key and without the rest
of the services (the unlock window comes up first): whether a folder holds a site, and the
site's public label."""

from __future__ import annotations

from pathlib import Path

from desktop_crf.model import SiteLabel
from desktop_crf.store.site_paths import SitePaths, read_label


def site_label(root: Path) -> SiteLabel | None:
    """The site's public label for the unlock window (no key needed)."""
    return read_label(SitePaths(root))


def site_exists(root: Path) -> bool:
    """Whether ``root`` holds a site (its database and key file)."""
    return SitePaths(root).exists()
