"""The background jobs `opsgate run` keeps going beside the engine.

    relay       accepted events → NATS JetStream, when `nats.url` is set
    pull        contract-to-cash: Odoo invoices and payments, every few minutes
    reconcile   nightly comparison of both sides, at `workflows.reconcile_at_utc`
    summary     yesterday's summary, posted after `summary.send_at_utc`
    release     held events back through their controls, every few minutes

A failing round is logged and the job tries again next round; no job's
failure stops the engine.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, date, datetime, time
from typing import Any

import structlog
from sqlalchemy import Engine

from opsgate.agent.summary.schedule import SummarySchedule
from opsgate.agent.summary.sending import send_due_summary
from opsgate.connectors.odoo.client import OdooClient
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.publish.relay import run_relay
from opsgate.rules.routing.holding import release_held
from opsgate.rules.store.db import session_scope
from opsgate.rules.workflows.billing_pull import pull_contract_to_cash
from opsgate.rules.workflows.reconcile_job import reconcile
from opsgate.settings import Settings
from opsgate.wiring import llm_client

log = structlog.get_logger(__name__)

HELD_RECHECK_S = 300.0
"""Seconds between passes that put held events through their controls again."""


def background_jobs(
    settings: Settings,
    engine: Engine,
    catalog: Catalog,
    odoo: OdooClient | None,
    stop: asyncio.Event,
) -> list[Coroutine[Any, Any, object]]:
    """The jobs these settings call for, ready to be run as tasks."""
    jobs: list[Coroutine[Any, Any, object]] = []
    jobs.append(_every(HELD_RECHECK_S, _release_held(engine), stop, name="release"))
    if settings.summary.enabled:
        jobs.append(_summaries(settings, engine, stop))
    if settings.nats.url:
        jobs.append(run_relay(engine, settings.nats, stop_event=stop))
    if odoo is not None:
        workflows = settings.workflows

        async def pull() -> None:
            await pull_contract_to_cash(
                odoo,
                engine,
                catalog,
                today=_today(),
                grace_days=workflows.overdue_grace_days,
            )

        async def nightly() -> None:
            await reconcile(odoo, engine)

        jobs.append(_every(workflows.pull_interval_s, pull, stop, name="pull"))
        jobs.append(_daily(workflows.reconcile_at_utc, nightly, stop, name="reconcile"))
    return jobs


async def _every(
    interval_s: float,
    job: Callable[[], Awaitable[None]],
    stop: asyncio.Event,
    *,
    name: str,
) -> None:
    while not stop.is_set():
        await _round(job, name)
        await _pause(stop, interval_s)


async def _daily(
    at: time, job: Callable[[], Awaitable[None]], stop: asyncio.Event, *, name: str
) -> None:
    last_run: date | None = None
    while not stop.is_set():
        now = datetime.now(UTC)
        if now.time() >= at and last_run != now.date():
            last_run = now.date()
            await _round(job, name)
        await _pause(stop, 60.0)


async def _round(job: Callable[[], Awaitable[None]], name: str) -> None:
    try:
        await job()
    except Exception:
        log.exception("job.failed", job=name)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return


async def _summaries(settings: Settings, engine: Engine, stop: asyncio.Event) -> None:
    schedule = SummarySchedule(settings.summary)
    llm = llm_client(settings, engine)
    while not stop.is_set():
        await asyncio.to_thread(
            send_due_summary, schedule, engine, datetime.now(UTC), llm=llm
        )
        await _pause(stop, 60.0)


def _release_held(engine: Engine) -> Callable[[], Awaitable[None]]:
    async def release() -> None:
        def run() -> None:
            with session_scope(engine) as session:
                release_held(session, actor="engine")

        await asyncio.to_thread(run)

    return release


def _today() -> date:
    return datetime.now(UTC).date()
