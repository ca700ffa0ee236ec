"""Pure domain of desktop-crf: study protocols, form schemas, validation and instruments.

Imports no package of ours and does no Qt, database or network work.
"""
