"""Printing with Qt's paint system (QPdfWriter, QPainter): documents drawn from plain values a
service gathered. It needs Qt's GUI module, never its widgets, the store or sync: the CLI and
the app both print through it.
"""
