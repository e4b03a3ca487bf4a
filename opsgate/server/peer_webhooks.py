"""`POST /webhooks/<peer>` for peers with their own wire format and signature.

HubSpot, Salesforce, BambooHR, Jira and Zendesk do not send one canonical
event per request: the peer's receiver (`opsgate.connectors.inbound.receivers`)
checks the peer's own signature, splits the body into source records, and
each record is accepted as its own event, so the store's (source, source
event id) uniqueness dedupes each one. The answer is JSON listing each
event (202 when any is new, 200 when all were seen), or what the peer
requires (Salesforce's SOAP `Ack`).

A bad signature is 401 and the body is kept (no incident: it was never
trusted). A signed body that does not parse is kept in quarantine with an
incident; the answer is 400, except for Salesforce, which gets its `Ack`
so it stops retrying for 24 hours a message that is already kept.
"""

from __future__ import annotations

import asyncio

import orjson
import structlog
from starlette.requests import Request
from starlette.responses import Response

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.receivers import PeerReceiver
from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.rules.accept import AcceptOutcome, AcceptRequest, AcceptResult
from opsgate.rules.accept.quarantine import quarantine
from opsgate.rules.store.db import session_scope
from opsgate.server.problems import Problem, problem_response
from opsgate.server.state import ServerState

log = structlog.get_logger(__name__)


async def handle_peer_webhook(
    state: ServerState, receiver: PeerReceiver, request: Request
) -> Response:
    """Verify, parse and accept one peer delivery; refusals are problem+json."""
    try:
        return await _receive(state, receiver, request)
    except Problem as problem:
        state.metrics.rejects.labels(problem.slug).inc()
        log.warning(
            "webhook.refused",
            source=receiver.name,
            reason=problem.slug,
            detail=problem.detail,
        )
        return problem_response(problem, request.url.path)


async def _receive(
    state: ServerState, receiver: PeerReceiver, request: Request
) -> Response:
    headers = dict(request.headers)
    body = await _body(request, state.settings.server.max_body_bytes)
    inbound = InboundRequest(
        body=body, headers=headers, method=request.method, url=str(request.url)
    )
    secret = state.settings.webhooks.secrets.get(receiver.name)
    if secret is None:
        raise Problem(
            500,
            "source-not-configured",
            "Source not configured",
            f"No webhook secret is configured for {receiver.name!r}; set "
            f"OPSGATE_WEBHOOKS__SECRETS__{receiver.name.upper().replace('-', '_')}.",
        )
    try:
        receiver.verify(inbound, secret.get_secret_value(), state.clock())
    except SignatureRejected as exc:
        await _keep(state, receiver.name, body, headers, f"Refused: {exc}", None)
        raise Problem(401, "signature-invalid", "Signature refused", str(exc)) from None
    try:
        records = receiver.parse(body, headers)
    except PayloadRejected as exc:
        kept = await _keep(
            state,
            receiver.name,
            body,
            headers,
            str(exc),
            ErrorCategory.VALIDATION,
            location=exc.location,
        )
        if receiver.acknowledge is not None:
            return _acknowledged(receiver, [])
        raise Problem(
            400,
            "malformed-payload",
            "Malformed payload",
            str(exc),
            location=exc.location,
            quarantine_id=kept,
        ) from None
    results = await asyncio.gather(*(_accept(state, r, headers) for r in records))
    return _answer(state, receiver, records, list(results))


async def _accept(
    state: ServerState, record: SourceRecord, headers: dict[str, str]
) -> AcceptResult:
    request = AcceptRequest(
        record.source, record.to_body(), headers, None, "webhook", "application/json"
    )
    try:
        return await state.writer.submit(request)
    except Exception as exc:
        raise Problem(
            503,
            "store-unavailable",
            "Store unavailable",
            f"The delivery could not be committed ({type(exc).__name__}); send it again.",
        ) from None


def _answer(
    state: ServerState,
    receiver: PeerReceiver,
    records: list[SourceRecord],
    results: list[AcceptResult],
) -> Response:
    fresh = [r for r in results if r.outcome is AcceptOutcome.ACCEPTED]
    for record in records[: len(fresh)]:
        state.metrics.events_accepted.labels(record.source).inc()
    if receiver.acknowledge is not None:
        return _acknowledged(receiver, records)
    listed = [
        {
            "event_id": result.event_id,
            "source_event_id": result.source_event_id or record.source_event_id,
            "status": result.outcome.value,
            "quarantine_id": result.quarantine_id,
        }
        for record, result in zip(records, results, strict=True)
    ]
    return Response(
        orjson.dumps({"events": listed}),
        status_code=202 if fresh else 200,
        media_type="application/json",
    )


def _acknowledged(receiver: PeerReceiver, records: list[SourceRecord]) -> Response:
    if receiver.acknowledge is None:
        raise Problem(500, "no-acknowledgement", "No acknowledgement", receiver.name)
    ack = receiver.acknowledge(records)
    return Response(ack.body, status_code=200, media_type=ack.content_type)


async def _body(request: Request, limit: int) -> bytes:
    body = await request.body()
    if len(body) > limit:
        raise Problem(
            413,
            "body-too-large",
            "Body too large",
            f"Body of {len(body)} bytes exceeds the limit of {limit} bytes.",
            limit_bytes=limit,
        )
    return body


async def _keep(
    state: ServerState,
    source: str,
    body: bytes,
    headers: dict[str, str],
    reason: str,
    category: ErrorCategory | None,
    *,
    location: str | None = None,
) -> int | None:
    if category is None and not state.settings.webhooks.quarantine_rejected:
        return None

    def keep() -> int | None:
        with session_scope(state.engine) as session:
            kept = quarantine(
                session,
                source=source,
                channel="webhook",
                body=body,
                headers=headers,
                reason=reason,
                location=location,
                category=category,
            )
            return kept.id

    return await asyncio.to_thread(keep)
