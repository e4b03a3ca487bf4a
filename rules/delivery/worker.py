"""Async delivery workers: claim a batch, attempt it, record what happened.

`run_workers` runs `concurrency` loops in one event loop; run it in several
processes (or on several machines with PostgreSQL) for more. Store calls run
in threads so a slow commit never blocks attempts in flight. A failing store
or target never ends a loop: the loop logs, waits and goes on.

Known limitation: a lease is not renewed while its batch runs, so
`DeliverySettings` refuses a lease shorter than a batch can take.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import structlog
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from opsgate.connectors.errors import RETRYABLE_CATEGORIES
from opsgate.rules.delivery.attempts import AttemptResult, attempt, unknown_target_error
from opsgate.rules.delivery.circuit import CircuitBreaker
from opsgate.rules.delivery.outbox import ClaimedBatch, claim
from opsgate.rules.delivery.outcomes import (
    Decision,
    OutcomeCounts,
    Verdict,
    record_outcomes,
)
from opsgate.rules.delivery.policy import RetryPolicy, retry_delay
from opsgate.rules.delivery.settings import DeliverySettings
from opsgate.rules.delivery.targets import (
    CoalescingTarget,
    DeliveryCommand,
    Target,
)
from opsgate.rules.store.db import write_transaction
from opsgate.rules.store.statuses import AttemptOutcome
from opsgate.rules.store.tables import utcnow

log = structlog.get_logger(__name__)

STORE_RETRY_S = 1.0
"""Seconds a loop waits after the store failed before it tries again."""


@dataclass(slots=True)
class WorkerStats:
    """What the loops of one `run_workers` call did, summed."""

    batches: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    released: int = 0
    fenced: int = 0
    store_failures: int = 0

    def add(self, counts: OutcomeCounts) -> None:
        """Add one batch's counts."""
        self.batches += 1
        self.delivered += counts.delivered
        self.retried += counts.retried
        self.dead += counts.dead
        self.released += counts.released
        self.fenced += counts.fenced


@dataclass
class _Context:
    engine: Engine
    targets: dict[str, Target]
    settings: DeliverySettings
    policy: RetryPolicy
    breaker: CircuitBreaker
    stop_event: asyncio.Event
    stats: WorkerStats = field(default_factory=WorkerStats)
    rng: random.Random = field(default_factory=random.Random)
    coalesced: dict[tuple[str, str], bool] = field(default_factory=dict)
    """Whether the target coalesces the operation, by (target, operation)."""


def default_worker_name() -> str:
    """Return `host:pid`, which names this process in claims and attempts."""
    return f"{socket.gethostname()}:{os.getpid()}"


async def run_workers(
    engine: Engine,
    targets: Mapping[str, Target] | Iterable[Target],
    *,
    stop_event: asyncio.Event,
    settings: DeliverySettings | None = None,
    concurrency: int | None = None,
    worker_name: str | None = None,
) -> WorkerStats:
    """Deliver until `stop_event` is set; return what was done.

    `targets` maps target names (as stored on deliveries) to targets, or is
    an iterable of targets keyed by their `name`. Each loop finishes the batch
    it holds before it stops, so nothing claimed is left to a lease.
    """
    settings = settings or DeliverySettings()
    context = _Context(
        engine=engine,
        targets=_by_name(targets),
        settings=settings,
        policy=settings.retry_policy(),
        breaker=CircuitBreaker(
            failure_threshold=settings.circuit_failure_threshold,
            open_s=settings.circuit_open_s,
        ),
        stop_event=stop_event,
    )
    name = worker_name or default_worker_name()
    loops = concurrency or settings.concurrency
    log.info(
        "worker.started", worker=name, loops=loops, targets=sorted(context.targets)
    )
    async with asyncio.TaskGroup() as group:
        for number in range(loops):
            group.create_task(_loop(context, f"{name}#{number}"))
    log.info("worker.stopped", worker=name, delivered=context.stats.delivered)
    return context.stats


def _by_name(targets: Mapping[str, Target] | Iterable[Target]) -> dict[str, Target]:
    if isinstance(targets, Mapping):
        return dict(targets)
    return {target.name: target for target in targets}


async def _loop(context: _Context, worker: str) -> None:
    while not context.stop_event.is_set():
        try:
            worked = await _one_batch(context, worker)
        except SQLAlchemyError as exc:
            context.stats.store_failures += 1
            log.warning("worker.store_failed", worker=worker, error=str(exc))
            await _pause(context.stop_event, STORE_RETRY_S)
            continue
        if not worked:
            await _pause(context.stop_event, context.settings.poll_interval_s)


async def _pause(stop_event: asyncio.Event, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            await stop_event.wait()
    except TimeoutError:
        pass


async def _one_batch(context: _Context, worker: str) -> bool:
    """Claim, attempt and record one batch; False when nothing was due."""
    blocked = context.breaker.blocked(time.monotonic())
    batch = await asyncio.to_thread(_claim, context, worker, blocked)
    if not batch.commands:
        return False
    decisions = await _attempt_all(context, batch)
    counts = await asyncio.to_thread(_record, context, batch.token, decisions)
    context.stats.add(counts)
    return True


def _claim(context: _Context, worker: str, blocked: Sequence[str]) -> ClaimedBatch:
    """Claim a batch, topped up with more of each coalesced operation it holds."""
    settings, now = context.settings, utcnow()
    with write_transaction(context.engine) as connection:
        batch = claim(
            connection,
            worker=worker,
            limit=settings.batch_size,
            lease_s=settings.lease_s,
            now=now,
            exclude_targets=blocked,
        )
        if len(batch.commands) < settings.batch_size:
            return batch  # that was everything due
        held = Counter(
            (c.target, c.operation) for c in batch.commands if _coalesced(context, c)
        )
        commands = list(batch.commands)
        for key, count in sorted(held.items()):
            if count < settings.coalesced_batch_size:
                commands += claim(
                    connection,
                    worker=worker,
                    limit=settings.coalesced_batch_size - count,
                    lease_s=settings.lease_s,
                    now=now,
                    only=key,
                    token=batch.token,
                ).commands
        commands.sort(key=lambda command: command.delivery_id)
        return replace(batch, commands=commands)


def _record(
    context: _Context, token: str, decisions: Sequence[Decision]
) -> OutcomeCounts:
    with write_transaction(context.engine) as connection:
        return record_outcomes(connection, token, decisions)


async def _attempt_all(context: _Context, batch: ClaimedBatch) -> list[Decision]:
    """Attempt a batch: `parallel_attempts` at a time, coalesced ones all at once.

    Deliveries a target coalesces become one call however many there are, so
    they run together, beside the others; the batch still takes no more rounds
    of `attempt_timeout_s` than `DeliverySettings` allows for.
    """
    coalesced = [_coalesced(context, c) for c in batch.commands]
    together = [c for c, joint in zip(batch.commands, coalesced, strict=True) if joint]
    apart = [c for c, joint in zip(batch.commands, coalesced, strict=True) if not joint]
    if not together:
        return await _attempt_in_rounds(context, apart)
    joint, rounds = await asyncio.gather(
        asyncio.gather(*(_attempt_one(context, c) for c in together)),
        _attempt_in_rounds(context, apart),
    )
    by_id = {d.command.delivery_id: d for d in [*joint, *rounds]}
    return [by_id[c.delivery_id] for c in batch.commands]


def _coalesced(context: _Context, command: DeliveryCommand) -> bool:
    key = (command.target, command.operation)
    known = context.coalesced.get(key)
    if known is None:
        target = context.targets.get(command.target)
        known = isinstance(target, CoalescingTarget) and target.coalesces(
            command.operation
        )
        context.coalesced[key] = known
    return known


async def _attempt_in_rounds(
    context: _Context, commands: Sequence[DeliveryCommand]
) -> list[Decision]:
    width = context.settings.parallel_attempts
    decisions: list[Decision] = []
    for start in range(0, len(commands), width):
        chunk = commands[start : start + width]
        if len(chunk) == 1:
            decisions.append(await _attempt_one(context, chunk[0]))
        else:
            decisions.extend(
                await asyncio.gather(*(_attempt_one(context, c) for c in chunk))
            )
    return decisions


async def _attempt_one(context: _Context, command: DeliveryCommand) -> Decision:
    target = context.targets.get(command.target)
    if target is None:
        error = unknown_target_error(command)
        result = AttemptResult(command, AttemptOutcome.FAILED, 0.0, error)
        return Decision(command, Verdict.DEAD, result, reason=error.message)
    now = time.monotonic()
    if not context.breaker.allow(command.target, now):
        reopens = context.breaker.reopens_at(command.target, now)
        return Decision(command, Verdict.RELEASED, not_before=_wall(reopens))
    result = await attempt(
        target, command, timeout_s=context.settings.attempt_timeout_s
    )
    _update_circuit(context.breaker, result)
    return decide(result, context.policy, draw=context.rng.random())


def _update_circuit(breaker: CircuitBreaker, result: AttemptResult) -> None:
    error = result.error
    if error is not None and error.category in RETRYABLE_CATEGORIES:
        breaker.record_failure(result.command.target, time.monotonic())
    else:
        # Success, or a failure of this record that shows the target answering.
        breaker.record_success(result.command.target)


def _wall(monotonic_at: float) -> datetime:
    return utcnow() + timedelta(seconds=max(monotonic_at - time.monotonic(), 0.0))


def decide(
    result: AttemptResult,
    policy: RetryPolicy,
    *,
    draw: float,
    now: datetime | None = None,
) -> Decision:
    """Turn an attempt's result into a verdict under `policy`.

    An uncertain outcome is never retried blindly: without a read-back that
    settled it, the delivery becomes a dead letter that says so.
    """
    command, error = result.command, result.error
    if result.succeeded or error is None:
        return Decision(command, Verdict.DELIVERED, result)
    if result.outcome is AttemptOutcome.UNCERTAIN:
        reason = (
            f"{error.message} The outcome is uncertain: {command.target!r} may have "
            "applied the write, and it offers no read-back. Check the target, then "
            "replay (the idempotency key is kept) or skip."
        )
        return Decision(command, Verdict.DEAD, result, reason=reason)
    if not error.retryable:
        return Decision(command, Verdict.DEAD, result, reason=error.message)
    if not policy.allows_another(command.attempt):
        reason = f"{error.message} Gave up after {command.attempt} attempt(s)."
        return Decision(command, Verdict.DEAD, result, reason=reason)
    delay_s = retry_delay(
        policy, command.attempt, draw=draw, retry_after_s=error.retry_after_s
    )
    not_before = (now or utcnow()) + timedelta(seconds=delay_s)
    log.warning(
        "delivery.retry_scheduled",
        delivery_id=command.delivery_id,
        target=command.target,
        attempt=command.attempt,
        delay_s=round(delay_s, 3),
        category=error.category.value,
    )
    return Decision(command, Verdict.RETRY, result, not_before=not_before)
