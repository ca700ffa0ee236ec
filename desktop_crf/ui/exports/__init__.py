"""Taking data out: ODM, CSV for analysis and the subject casebook, chosen in a dialog and
written on the store worker with progress and cancel."""
