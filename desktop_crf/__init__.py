"""desktop-crf: an offline-first electronic case report form for clinical trials."""

__version__ = "0.1.0"
