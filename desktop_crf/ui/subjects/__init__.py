"""The subjects room: the subject list, a subject's timeline, eligibility, AE log and
enrolment."""
