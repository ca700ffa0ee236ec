from desktop_crf.cli import main

raise SystemExit(main())
