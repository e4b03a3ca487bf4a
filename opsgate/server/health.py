"""`GET /healthz` and `GET /metrics`."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from opsgate.server.problems import Problem
from opsgate.server.state import ServerState

router = APIRouter()


@router.get("/healthz", responses={503: {"description": "The store does not answer."}})
async def healthz(request: Request) -> dict[str, str]:
    """Answer 200 when the store answers a query."""
    state: ServerState = request.app.state.opsgate

    def probe() -> None:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await asyncio.to_thread(probe)
    except Exception as exc:
        raise Problem(
            503,
            "store-unavailable",
            "Store unavailable",
            f"The store did not answer: {type(exc).__name__}.",
        ) from None
    return {"status": "ok", "database": "ok"}


@router.get("/metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Return the Prometheus metrics."""
    state: ServerState = request.app.state.opsgate
    body = await asyncio.to_thread(generate_latest, state.metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
