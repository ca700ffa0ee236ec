"""The study dashboard: the site's study at a glance, with charts drawn by QPainter."""
