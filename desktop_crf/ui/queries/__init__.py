"""The queries room: a monitor's queries and conflicts, answered, resolved, raised, closed and
reopened."""
