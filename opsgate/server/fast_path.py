"""An ASGI shortcut for `POST /webhooks/{source}`, the one hot path.

It wraps the whole FastAPI app. The same handler serves the request; only
FastAPI's middleware, routing and dependency resolution are skipped, which is
most of the per-request cost at thousands of webhooks a second. Every other
request, and the lifespan, go to the app unchanged.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from opsgate.server.state import ServerState
from opsgate.server.webhooks import handle_webhook

_PREFIX = "/webhooks/"


class WebhookFastPath:
    """ASGI middleware that answers webhook posts directly."""

    def __init__(self, app: ASGIApp, *, state: ServerState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a webhook post, or hand the request on."""
        path: str = scope.get("path", "")
        source = path[len(_PREFIX) :]
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and path.startswith(_PREFIX)
            and source
            and "/" not in source
        ):
            response = await handle_webhook(self.state, source, Request(scope, receive))
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
