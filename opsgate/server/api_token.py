"""The bearer token that guards the read and ask endpoints, when one is set.

`/webhooks/*` is guarded by each sender's signature and `/healthz` and
`/metrics` say nothing private; `GET /events/{id}` returns raw bodies and
`POST /ask` can put proposals to the gate. With `server.api_token` set, those
answer only a request carrying `Authorization: Bearer <token>`. Without it
they are open, which is safe only while the server listens on loopback (the
default); `opsgate run` warns when it listens elsewhere without one.
"""

from __future__ import annotations

import hmac

from fastapi import Request

from opsgate.server.problems import Problem
from opsgate.server.state import ServerState


async def require_api_token(request: Request) -> None:
    """Refuse the request unless it carries the configured bearer token."""
    state: ServerState = request.app.state.opsgate
    token = state.settings.server.api_token
    if token is None:
        return
    given = request.headers.get("authorization", "")
    expected = f"Bearer {token.get_secret_value()}"
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Problem(
            401,
            "api-token-required",
            "API token required",
            "This endpoint needs `Authorization: Bearer <server.api_token>`.",
        )
