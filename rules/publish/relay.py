"""Relay events from the store to NATS JetStream, at least once, in order.

Events that were mapped (status `routed`, `held` or `ignored`) and not yet
published are read in acceptance order and published one after another to
`<subject_prefix>.<event type>` as CloudEvents JSON, each with its event id
as `Nats-Msg-Id`, so JetStream drops a repeat that follows a crash between
publishing and marking. The first failure ends the round, so nothing after
it overtakes it; the next round starts again from it. `published_at` on the
event is the relay's cursor.

Only one relay should run per store: two would interleave and break the
order per subject. Run it in one process (`opsgate run` starts one).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from typing import Any, Protocol

import orjson
import structlog
from sqlalchemy import Engine, Row, select, update
from sqlmodel import col

from opsgate.rules.delivery.settings import NatsSettings
from opsgate.rules.store.db import write_transaction
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event, utcnow

log = structlog.get_logger(__name__)

PUBLISHABLE = (EventStatus.ROUTED, EventStatus.HELD, EventStatus.IGNORED)
"""Events with a canonical object; raw, rejected ones stay in the store."""

_NOT_IN_SUBJECT = re.compile(r"[^A-Za-z0-9_.\-]")
RECONNECT_S = 2.0
"""Seconds the relay waits after the backbone failed before trying again."""


class JetStream(Protocol):
    """The part of `nats.js.JetStreamContext` the relay uses."""

    async def publish(
        self,
        subject: str,
        payload: bytes = b"",
        timeout: float | None = None,
        stream: str | None = None,
        headers: dict[str, Any] | None = None,
    ) -> Any:
        """Publish one message and wait for the stream's acknowledgement."""


def subject_for(prefix: str, event_type: str) -> str:
    """Return the subject for `event_type`, with characters NATS forbids replaced."""
    return f"{prefix}.{_NOT_IN_SUBJECT.sub('_', event_type)}"


def cloudevent(row: Row[Any]) -> bytes:
    """Return the event as a structured-mode CloudEvents 1.0 JSON document."""
    document: dict[str, Any] = {
        "specversion": "1.0",
        "id": row.id,
        "source": row.source,
        "type": row.type,
        "datacontenttype": "application/json",
        "data": row.data,
    }
    optional = {
        "subject": row.subject,
        "time": row.time.isoformat() if row.time is not None else None,
        "correlationid": row.correlation_id,
        "causationid": row.causation_id,
        "schemaversion": row.schema_version,
    }
    document.update({key: value for key, value in optional.items() if value})
    return orjson.dumps(document)


def _pending(engine: Engine, limit: int) -> Sequence[Row[Any]]:
    with engine.connect() as connection:
        return connection.execute(
            select(
                *(
                    col(column)
                    for column in (
                        Event.id,
                        Event.source,
                        Event.type,
                        Event.subject,
                        Event.time,
                        Event.correlation_id,
                        Event.causation_id,
                        Event.schema_version,
                        Event.data,
                    )
                )
            )
            .where(
                col(Event.published_at).is_(None),
                col(Event.status).in_(PUBLISHABLE),
            )
            .order_by(col(Event.accepted_at), col(Event.id))
            .limit(limit)
        ).all()


def _mark_published(engine: Engine, event_ids: list[str]) -> None:
    with write_transaction(engine) as connection:
        connection.execute(
            update(Event)
            .where(col(Event.id).in_(event_ids))
            .values(published_at=utcnow())
        )


async def relay_once(
    engine: Engine, jetstream: JetStream, settings: NatsSettings
) -> int:
    """Publish the next batch of unpublished events in order; return how many.

    Raises the backbone's error after marking what was published before it.
    """
    rows = await asyncio.to_thread(_pending, engine, settings.batch_size)
    published: list[str] = []
    try:
        for row in rows:
            await jetstream.publish(
                subject_for(settings.subject_prefix, row.type),
                cloudevent(row),
                timeout=settings.publish_timeout_s,
                stream=settings.stream,
                headers={"Nats-Msg-Id": row.id},
            )
            published.append(row.id)
    finally:
        if published:
            await asyncio.to_thread(_mark_published, engine, published)
    if published:
        log.info("events.published", count=len(published), stream=settings.stream)
    return len(published)


async def ensure_stream(jetstream: Any, settings: NatsSettings) -> None:
    """Create the stream for `<subject_prefix>.>` when it does not exist."""
    from nats.js.errors import NotFoundError

    try:
        await jetstream.stream_info(settings.stream)
    except NotFoundError:
        await jetstream.add_stream(
            name=settings.stream, subjects=[f"{settings.subject_prefix}.>"]
        )
        log.info("stream.created", stream=settings.stream)


async def run_relay(
    engine: Engine, settings: NatsSettings, *, stop_event: asyncio.Event
) -> int:
    """Relay until `stop_event` is set; return how many events were published.

    Raises:
        ValueError: when `settings.url` is empty.
    """
    import nats
    from nats.errors import Error as NatsError

    if not settings.url:
        raise ValueError("The NATS relay needs nats.url (nats://host:4222).")
    token = settings.token.get_secret_value() if settings.token else None
    client = await nats.connect(
        settings.url, token=token, connect_timeout=settings.connect_timeout_s
    )
    total = 0
    try:
        jetstream = client.jetstream()
        await ensure_stream(jetstream, settings)
        while not stop_event.is_set():
            try:
                count = await relay_once(engine, jetstream, settings)
            except (NatsError, TimeoutError) as exc:
                log.warning("relay.publish_failed", error=repr(exc))
                await _pause(stop_event, RECONNECT_S)
                continue
            total += count
            if count < settings.batch_size:
                await _pause(stop_event, settings.poll_interval_s)
    finally:
        await client.drain()
    return total


async def _pause(stop_event: asyncio.Event, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            await stop_event.wait()
    except TimeoutError:
        pass
