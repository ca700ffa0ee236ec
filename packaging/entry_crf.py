"""The bundle's ``crf`` command-line executable."""

from desktop_crf.cli import main

raise SystemExit(main())
