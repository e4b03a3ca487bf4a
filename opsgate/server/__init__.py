"""The HTTP server: webhooks in, events and health out (FastAPI)."""

from opsgate.server.app import create_app, serving_app

__all__ = ["create_app", "serving_app"]
