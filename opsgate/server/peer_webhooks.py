"""Webhooks in a peer system's own format: its signature, one event per record."""

from __future__ import annotations

import asyncio

import orjson
import structlog
from fastapi import Request
from fastapi.responses import Response

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.inbound.errors import PayloadRejected, SignatureRejected
from opsgate.connectors.inbound.request import InboundRequest
from opsgate.connectors.webhooks.peers import Acknowledgement, PeerReceiver
from opsgate.rules.accept import AcceptOutcome, AcceptRequest, AcceptResult
from opsgate.rules.accept.quarantine import quarantine
from opsgate.rules.catalog.model import SourceEntry
from opsgate.rules.store.db import session_scope
from opsgate.server.intake import committed, configured_secret, keep_refused
from opsgate.server.problems import Problem
from opsgate.server.state import ServerState

log = structlog.get_logger(__name__)


async def receive_peer(
    state: ServerState,
    entry: SourceEntry,
    peer: PeerReceiver,
    request: Request,
    body: bytes,
    headers: dict[str, str],
) -> Response:
    """Verify, split and accept one peer webhook; answer once all are committed."""
    inbound = InboundRequest(body=body, headers=headers, url=str(request.url))
    secret = await configured_secret(state, entry, body, headers)
    try:
        peer.verify(inbound, secret, state.clock())
    except SignatureRejected as exc:
        await keep_refused(state, entry.source, body, headers, exc.message)
        raise Problem(
            401, "signature-invalid", "Signature refused", exc.message
        ) from None
    try:
        records = peer.parse(body, headers)
    except PayloadRejected as exc:
        problem = await _malformed(state, entry.source, body, headers, exc)
        if peer.acknowledge is not None:
            return _acknowledged(peer.acknowledge)
        raise problem from None
    except Exception as exc:
        # A parser bug, not the sender's fault: keep the signed body, answer
        # 500 so the sender retries once it is fixed, and let the worker live.
        log.exception("peer_webhook.parse_failed", source=entry.source)
        failed = PayloadRejected(
            f"{entry.source} body could not be read ({type(exc).__name__}: {exc}); "
            "it is kept for inspection.",
            source=entry.source,
            location="$",
        )
        problem = await _malformed(state, entry.source, body, headers, failed)
        raise Problem(
            500,
            "parser-failed",
            "Body could not be read",
            failed.message,
            quarantine_id=problem.extra.get("quarantine_id"),
        ) from None
    results = await asyncio.gather(
        *(
            committed(
                state,
                AcceptRequest(
                    entry.source,
                    record.to_body(),
                    headers,
                    None,
                    "webhook",
                    "application/json",
                ),
            )
            for record in records
        )
    )
    if peer.acknowledge is not None:
        # Every record is committed (as an event, or kept in quarantine).
        _count(state, entry.source, results)
        return _acknowledged(peer.acknowledge)
    reply = peer.reply(records) if peer.reply is not None else None
    if reply is not None:
        _count(state, entry.source, results)
        return _acknowledged(reply)
    return _answer(state, entry.source, results)


def _acknowledged(ack: Acknowledgement) -> Response:
    return Response(ack.body, status_code=200, media_type=ack.content_type)


def _count(state: ServerState, source: str, results: list[AcceptResult]) -> int:
    fresh = sum(r.outcome is AcceptOutcome.ACCEPTED for r in results)
    state.metrics.events_accepted.labels(source).inc(fresh)
    return fresh


async def _malformed(
    state: ServerState,
    source: str,
    body: bytes,
    headers: dict[str, str],
    exc: PayloadRejected,
) -> Problem:
    def keep() -> tuple[int | None, int | None]:
        with session_scope(state.engine) as session:
            kept = quarantine(
                session,
                source=source,
                channel="webhook",
                body=body,
                headers=headers,
                reason=exc.message,
                location=exc.location,
                category=ErrorCategory.VALIDATION,
            )
            return kept.id, kept.incident_id

    quarantine_id, incident_id = await asyncio.to_thread(keep)
    return Problem(
        400,
        "malformed-payload",
        "Malformed payload",
        exc.message,
        location=exc.location,
        quarantine_id=quarantine_id,
        incident_id=incident_id,
    )


def _answer(state: ServerState, source: str, results: list[AcceptResult]) -> Response:
    fresh = _count(state, source, results)
    events = [
        {
            "event_id": r.event_id,
            "source_event_id": r.source_event_id,
            "status": r.outcome.value,
            "quarantine_id": r.quarantine_id,
            "reason": r.reason,
        }
        for r in results
    ]
    status = (
        202 if fresh else (200 if results and all(r.event_id for r in results) else 422)
    )
    return Response(
        orjson.dumps({"events": events}),
        status_code=status,
        media_type="application/json",
    )
