"""Small widgets and helpers every room uses: OK/Cancel dialogs, the reason for change, the
e-signature dialog, thin table models."""
