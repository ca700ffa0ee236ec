"""The bundle's ``desktop-crf`` executable."""

from desktop_crf.app import main

raise SystemExit(main())
