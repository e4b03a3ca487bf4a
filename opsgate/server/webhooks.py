"""`POST /webhooks/{source}`: check, store, then acknowledge."""

from __future__ import annotations

import time

import orjson
import structlog
from fastapi import APIRouter, Request
from fastapi.responses import Response

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.webhooks.errors import SignatureError
from opsgate.connectors.webhooks.peers import PEER_RECEIVERS
from opsgate.connectors.webhooks.schemes import SCHEMES
from opsgate.rules.accept import AcceptOutcome, AcceptRequest, AcceptResult
from opsgate.rules.catalog.model import SourceEntry
from opsgate.server.intake import committed, configured_secret, keep_refused
from opsgate.server.peer_webhooks import receive_peer
from opsgate.server.problems import Problem, problem_response
from opsgate.server.state import ServerState

log = structlog.get_logger(__name__)

router = APIRouter()

_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "Already accepted: the first event's id."},
    202: {"description": "Accepted and stored: the new event's id."},
    400: {"description": "Signed, but not JSON; kept in quarantine."},
    401: {"description": "Signature missing, invalid, or timestamp stale."},
    404: {"description": "Unknown source."},
    413: {"description": "Body larger than the limit."},
    422: {
        "description": "Signed JSON whose event id or type cannot be read; kept in quarantine."
    },
    503: {"description": "The store could not commit; send again."},
}


@router.post(
    "/webhooks/{source}",
    status_code=202,
    responses=_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def receive_webhook(source: str, request: Request) -> Response:
    """Check the signature, commit the raw body, then answer with the event id."""
    return await handle_webhook(request.app.state.opsgate, source, request)


async def handle_webhook(state: ServerState, source: str, request: Request) -> Response:
    """Answer one webhook request; every refusal is a problem+json response."""
    started = time.perf_counter()
    try:
        response = await _receive(state, source, request)
    except Problem as problem:
        state.metrics.rejects.labels(problem.slug).inc()
        log.warning(
            "webhook.refused", source=source, reason=problem.slug, detail=problem.detail
        )
        response = problem_response(problem, request.url.path)
    except Exception:
        # A defect, not bad input: answer 500 (the sender retries) and keep serving.
        log.exception("webhook.failed", source=source)
        state.metrics.rejects.labels("internal").inc()
        response = problem_response(
            Problem(500, "internal", "Internal error", "The server failed to answer."),
            request.url.path,
        )
    state.metrics.latency.observe(time.perf_counter() - started)
    return response


async def _receive(state: ServerState, source: str, request: Request) -> Response:
    headers = dict(request.headers)
    body = await _read_body(request, state.settings.server.max_body_bytes)
    entry = state.catalog.get(source)
    if entry is None:
        known = ", ".join(sorted(state.catalog.sources))
        detail = f"Source {source!r} is not in the catalog; known sources: {known}."
        await keep_refused(state, source, body, headers, detail)
        raise Problem(404, "unknown-source", "Unknown source", detail)
    peer = PEER_RECEIVERS.get(entry.signature)
    if peer is not None:
        return await receive_peer(state, entry, peer, request, body, headers)
    message_id = await _verified(state, entry, body, headers)
    result = await committed(
        state,
        AcceptRequest(
            source, body, headers, message_id, "webhook", headers.get("content-type")
        ),
    )
    return _answer(state, source, result)


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Problem(
            413,
            "body-too-large",
            "Body too large",
            f"Body of {int(declared)} bytes exceeds the limit of {limit} bytes.",
            limit_bytes=limit,
        )
    if declared is not None:
        return await request.body()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(
                413,
                "body-too-large",
                "Body too large",
                f"Body exceeds the limit of {limit} bytes.",
                limit_bytes=limit,
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def _verified(
    state: ServerState, entry: SourceEntry, body: bytes, headers: dict[str, str]
) -> str | None:
    scheme = SCHEMES.get(entry.signature)
    if scheme is None:
        raise Problem(
            404,
            "no-webhook-receiver",
            "Source takes no webhooks",
            f"Source {entry.source!r} has signature scheme {entry.signature!r}, which "
            "no webhook receiver implements; send its data with `opsgate import`.",
        )
    secret = await configured_secret(state, entry, body, headers)
    try:
        message_id: str | None = scheme(
            secret,
            headers=headers,
            body=body,
            tolerance_s=state.settings.webhooks.timestamp_tolerance_s,
            now=state.clock(),
        )
    except SignatureError as exc:
        await keep_refused(state, entry.source, body, headers, str(exc))
        raise Problem(
            401, exc.reason.replace("_", "-"), "Signature refused", str(exc)
        ) from None
    return message_id


def _answer(state: ServerState, source: str, result: AcceptResult) -> Response:
    if result.outcome is AcceptOutcome.QUARANTINED:
        not_json = result.category is ErrorCategory.VALIDATION
        raise Problem(
            400 if not_json else 422,
            "malformed-json" if not_json else "unreadable-event",
            "Malformed payload",
            str(result.reason),
            location=result.location,
            quarantine_id=result.quarantine_id,
            incident_id=result.incident_id,
        )
    duplicate = result.outcome is AcceptOutcome.DUPLICATE
    if not duplicate:
        state.metrics.events_accepted.labels(source).inc()
    return Response(
        orjson.dumps(
            {
                "event_id": result.event_id,
                "source_event_id": result.source_event_id,
                "status": result.outcome.value,
            }
        ),
        status_code=200 if duplicate else 202,
        media_type="application/json",
        headers={"location": f"/events/{result.event_id}"},
    )
