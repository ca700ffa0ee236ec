"""The form room: one form of one visit rendered from its definition, what was read and typed
(``draft``), saving, signing, values arriving by sync, and a monitor's query on an item."""
