"""The patient tablet: the kiosk a patient completes the QLQ-C30 in, and the hand-over."""
