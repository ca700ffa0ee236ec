"""The monitor's room: source data verification, item marks in the form, each role's tasks,
the monitoring visit and its reports."""
