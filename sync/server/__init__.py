"""The central server: an ASGI app that verifies and stores change sets."""
