import asyncio
import os
import uuid

import orjson
import pytest
from sqlalchemy import select, update
from sqlmodel import col

from opsgate.rules.delivery.settings import NatsSettings
from opsgate.rules.publish.relay import (
    ensure_stream,
    relay_once,
    run_relay,
    subject_for,
)
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Event

NATS_URL = "nats://127.0.0.1:4222"


def _seed(engine, types, *, status=EventStatus.ROUTED):
    ids = []
    with session_scope(engine) as session:
        for n, event_type in enumerate(types):
            event_id = str(uuid.uuid4())
            ids.append(event_id)
            session.add(
                Event(
                    id=event_id,
                    source="hubspot",
                    source_event_id=f"{event_type}-{n}-{event_id}",
                    type=event_type,
                    subject=f"deal-{n}",
                    raw_body=b"{}",
                    data={"n": n},
                    status=status,
                    correlation_id="corr-1",
                )
            )
            session.flush()
    return ids


@pytest.fixture
async def jetstream():
    nats = pytest.importorskip("nats")
    try:
        client = await nats.connect(
            NATS_URL, connect_timeout=2, max_reconnect_attempts=0
        )
    except Exception as exc:
        message = f"NATS not reachable at {NATS_URL!r}: {exc!r}"
        if os.environ.get("OPSGATE_TEST_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    run = uuid.uuid4().hex[:10]
    settings = NatsSettings(
        url=NATS_URL,
        stream=f"OPSGATE_TEST_{run}",
        subject_prefix=f"opsgate_test_{run}.events",
        batch_size=7,
    )
    js = client.jetstream()
    await ensure_stream(js, settings)
    yield js, settings
    await js.delete_stream(settings.stream)
    await client.close()


async def _stream_messages(js, settings):
    info = await js.stream_info(settings.stream)
    messages = []
    for seq in range(1, info.state.messages + 1):
        message = await js.get_msg(settings.stream, seq)
        messages.append((message.subject, orjson.loads(message.data)))
    return messages


async def _relay_all(engine, js, settings):
    total = 0
    for _ in range(100):
        count = await relay_once(engine, js, settings)
        total += count
        if count == 0:
            return total
    raise AssertionError("relay did not drain")


@pytest.mark.nats
async def test_mapped_events_reach_jetstream_once_in_order_per_subject(
    sqlite_engine, jetstream
):
    js, settings = jetstream
    ids = _seed(sqlite_engine, ["opsgate.deal.won", "opsgate.time.logged"] * 10)

    assert await _relay_all(sqlite_engine, js, settings) == 20

    messages = await _stream_messages(js, settings)
    won = subject_for(settings.subject_prefix, "opsgate.deal.won")
    assert [m["id"] for s, m in messages if s == won] == ids[0::2]
    assert messages[0][1]["specversion"] == "1.0"
    assert messages[0][1]["correlationid"] == "corr-1"
    with sqlite_engine.connect() as connection:
        unpublished = connection.execute(
            select(Event.id).where(col(Event.published_at).is_(None))
        ).all()
    assert unpublished == []


@pytest.mark.nats
async def test_republishing_after_a_crash_before_marking_is_deduplicated(
    sqlite_engine, jetstream
):
    js, settings = jetstream
    ids = _seed(sqlite_engine, ["opsgate.deal.won"] * 5)
    await _relay_all(sqlite_engine, js, settings)
    with sqlite_engine.begin() as connection:
        connection.execute(update(Event).values(published_at=None))

    await _relay_all(sqlite_engine, js, settings)

    assert [m["id"] for _, m in await _stream_messages(js, settings)] == ids


@pytest.mark.nats
async def test_unmapped_and_rejected_events_are_not_published(sqlite_engine, jetstream):
    js, settings = jetstream
    _seed(sqlite_engine, ["opsgate.raw"], status=EventStatus.ACCEPTED)
    _seed(sqlite_engine, ["opsgate.bad"], status=EventStatus.REJECTED)

    assert await _relay_all(sqlite_engine, js, settings) == 0


class FailingAfter:
    """A backbone that acknowledges `ok` publishes and then fails."""

    def __init__(self, ok: int):
        self.ok = ok
        self.subjects: list[str] = []

    async def publish(
        self, subject, payload=b"", timeout=None, stream=None, headers=None
    ):
        if len(self.subjects) >= self.ok:
            raise TimeoutError("no ack")
        self.subjects.append(headers["Nats-Msg-Id"])


async def test_failed_publish_ends_the_round_and_keeps_the_rest_for_later(
    sqlite_engine,
):
    ids = _seed(sqlite_engine, ["opsgate.deal.won"] * 5)
    settings = NatsSettings(url=NATS_URL, batch_size=10)
    backbone = FailingAfter(ok=2)

    with pytest.raises(TimeoutError):
        await relay_once(sqlite_engine, backbone, settings)

    with sqlite_engine.connect() as connection:
        published = (
            connection.execute(
                select(Event.id)
                .where(col(Event.published_at).is_not(None))
                .order_by(col(Event.accepted_at), col(Event.id))
            )
            .scalars()
            .all()
        )
    assert backbone.subjects == ids[:2]
    assert set(published) == set(ids[:2])


@pytest.mark.nats
async def test_run_relay_publishes_until_stopped(sqlite_engine, jetstream):
    js, settings = jetstream
    ids = _seed(sqlite_engine, ["opsgate.deal.won"] * 3)
    stop = asyncio.Event()

    async def stop_when_published():
        async with asyncio.timeout(20):
            while (await js.stream_info(settings.stream)).state.messages < 3:
                await asyncio.sleep(0.05)
        stop.set()

    watcher = asyncio.create_task(stop_when_published())
    total = await run_relay(
        sqlite_engine,
        settings.model_copy(update={"poll_interval_s": 0.05}),
        stop_event=stop,
    )
    await watcher

    assert total == 3
    assert [m["id"] for _, m in await _stream_messages(js, settings)] == ids
