"""Run the firm's month through Opsgate, phase by phase, and report.

    staffing   BambooHR announces every consultant → read back → hr.employee
    deals      HubSpot notifies closed-won deals (one twice) → read back →
               controls → customer, sale order, project, staffing task
    time       the month's Harvest export is imported → timesheet lines; the
               team on Toggl sends its last week by webhook (read back over
               Toggl's API), then exports it: the same entries, nothing twice
    close      finance invoices in Odoo and records payments; contract-to-cash
               pulls them → CRM account status, overdue incidents
    reconcile  both sides compared; drift becomes incidents
    triage     the agent classifies the costliest incidents and proposes fixes,
               which wait at the gate for a person

Everything runs on this machine: a fresh SQLite store, the Odoo, HubSpot,
BambooHR and Toggl stand-ins on loopback ports, and the engine itself. The same seed
gives the same month and the same report.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import cycle
from pathlib import Path

import httpx
import structlog
from pydantic import SecretStr
from sqlalchemy import Engine, func
from sqlmodel import col, select

from opsgate.agent.checkpoints import open_checkpointer
from opsgate.agent.graphs.triage import build_triage_graph
from opsgate.agent.graphs.triage_runs import start_triage
from opsgate.agent.settings import AgentSettings
from opsgate.agent.setup import checkpoint_target, triage_context
from opsgate.connectors.bamboohr.employees_api import (
    BambooHREmployees,
    BambooHRSettings,
)
from opsgate.connectors.hubspot.crm_api import HubSpotCrm, HubSpotSettings
from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.odoo.settings import OdooSettings
from opsgate.connectors.timesheet_export.importer import open_export
from opsgate.connectors.toggl.track_api import TogglSettings, TogglTrack
from opsgate.demo.finance import close_the_month
from opsgate.demo.firm import FirmMonth, build_firm_month
from opsgate.demo.inputs import (
    Notification,
    bamboohr_notifications,
    harvest_detailed_export,
    hubspot_closed_won_notifications,
    toggl_detailed_export,
    toggl_webhooks,
)
from opsgate.demo.report import DemoReport, build_report
from opsgate.demo.senders import send_notifications
from opsgate.demo.world import (
    DemoWorld,
    inject_odoo_faults,
    rename_employee_cost,
    start_world,
)
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.delivery.settings import DeliverySettings
from opsgate.rules.delivery.targets import Target
from opsgate.rules.gate import GateSettings
from opsgate.rules.imports.file_import import import_items
from opsgate.rules.store.db import create_store_engine, session_scope, upgrade_to_head
from opsgate.rules.store.statuses import DeliveryStatus, EventStatus, IncidentStatus
from opsgate.rules.store.tables import Delivery, Event, Incident
from opsgate.rules.workflows.billing_pull import pull_contract_to_cash
from opsgate.rules.workflows.controls import WorkflowControls
from opsgate.rules.workflows.enrichment import BambooHRTarget, HubSpotTarget
from opsgate.rules.workflows.odoo_target import OdooWorkflowTarget
from opsgate.rules.workflows.reconcile_job import reconcile
from opsgate.rules.workflows.references import load_references
from opsgate.rules.workflows.settings import WorkflowSettings
from opsgate.rules.workflows.tracked_time import TimeTrackerTarget
from opsgate.runtime import EngineRuntime
from opsgate.settings import RoutingSettings, Settings, WebhookSettings

log = structlog.get_logger(__name__)

RENAMED_FIELD_VICTIMS = 3
"""Employees whose upsert meets the renamed `hourly_cost` field."""

TRIAGED_INCIDENTS = 15
"""How many of the costliest incidents the demo's triage phase takes."""

SETTLE_TIMEOUT_S = 60.0
"""Longest a phase waits for the engine to finish what it was given, in seconds."""


PHASES = ("staffing", "deals", "time", "close", "reconcile", "triage")
"""The demo's phases, in the order a month goes."""


@dataclass(frozen=True)
class DemoOptions:
    """How to run the demo."""

    seed: int = 7
    workdir: Path = Path("var/demo")
    odoo: OdooSettings | None = None
    """A real Odoo to run against; None starts the stand-in."""
    odoo_version: int = 19
    """The Odoo version the stand-in plays."""
    phases: tuple[str, ...] = PHASES
    """Which phases to run, in order (the benchmarks stop after `time`)."""
    time_rows: int | None = None
    """Scale the month's time export to this many rows (a benchmark's load)."""
    settle_timeout_s: float = SETTLE_TIMEOUT_S
    """Longest a phase may take to settle, in seconds."""


Phase = Callable[[], Awaitable[object]]


async def run_demo(
    options: DemoOptions, *, on_phase: Callable[[str], None] = lambda _: None
) -> DemoReport:
    """Run the month; return the report read from the store it leaves behind."""
    month = build_firm_month(options.seed)
    options.workdir.mkdir(parents=True, exist_ok=True)
    store = options.workdir / "demo.db"
    for stale in options.workdir.glob("demo.db*"):
        stale.unlink()
    engine = create_store_engine(f"sqlite:///{store}")
    upgrade_to_head(engine)
    catalog = load_catalog([], include_shipped=True)
    world = start_world(
        month, odoo_version=None if options.odoo else options.odoo_version
    )
    try:
        return await _run(options, month, engine, catalog, world, on_phase)
    finally:
        world.stop()


async def _run(
    options: DemoOptions,
    month: FirmMonth,
    engine: Engine,
    catalog: Catalog,
    world: DemoWorld,
    on_phase: Callable[[str], None],
) -> DemoReport:
    secrets = {
        "hubspot": f"hubspot-demo-{options.seed}",
        "bamboohr": f"bamboo-demo-{options.seed}",
        "toggl": f"toggl-demo-{options.seed}",
    }
    settings = _settings(engine, secrets)
    today = month.last_day + timedelta(days=3)
    odoo_settings = options.odoo or OdooSettings(
        url=world.odoo.url,  # type: ignore[union-attr]
        database=world.odoo.database,  # type: ignore[union-attr]
        api_key=SecretStr(world.odoo.api_key),  # type: ignore[union-attr]
    )
    workflow_settings = WorkflowSettings()
    async with (
        OdooClient(settings=odoo_settings) as odoo,
        HubSpotCrm(
            settings=HubSpotSettings(
                base_url=world.hubspot.url,
                access_token=SecretStr(world.hubspot.access_token),
            )
        ) as crm,
        BambooHREmployees(
            settings=BambooHRSettings(
                base_url=world.bamboohr.url,
                company_domain=world.bamboohr.company_domain,
                api_key=SecretStr(world.bamboohr.api_key),
            )
        ) as employees,
        TogglTrack(
            settings=TogglSettings(
                base_url=world.toggl.url, api_token=SecretStr(world.toggl.api_token)
            )
        ) as toggl,
    ):
        targets: list[Target] = [
            OdooWorkflowTarget(odoo=odoo, engine=engine, settings=workflow_settings),
            HubSpotTarget(crm=crm, engine=engine, catalog=catalog, today=lambda: today),
            BambooHRTarget(employees=employees, engine=engine, catalog=catalog),
            TimeTrackerTarget(
                name="toggl", directory=toggl, engine=engine, catalog=catalog
            ),
        ]
        runtime = await EngineRuntime(
            settings,
            engine,
            catalog,
            targets,
            WorkflowControls(workflow_settings.legal_entities, engine=engine),
        ).start()
        phases: dict[str, float] = {}
        try:
            with httpx.Client(timeout=30.0) as http:
                steps: list[tuple[str, Phase]] = [
                    (
                        "staffing",
                        lambda: _staffing(
                            http, runtime.url, month, secrets, world, engine
                        ),
                    ),
                    (
                        "deals",
                        lambda: _send(
                            http,
                            runtime.url,
                            hubspot_closed_won_notifications(month),
                            secrets,
                        ),
                    ),
                    (
                        "time",
                        lambda: _import_time(
                            engine,
                            catalog,
                            scaled(month, options.time_rows),
                            options.workdir,
                            world,
                            # A benchmark's scaled export is Harvest's alone.
                            None
                            if options.time_rows
                            else lambda: _toggl_week(
                                http,
                                runtime.url,
                                month,
                                secrets,
                                engine,
                                catalog,
                                options.workdir,
                            ),
                        ),
                    ),
                    ("close", lambda: _close(odoo, engine, catalog, month, today)),
                    ("reconcile", lambda: reconcile(odoo, engine)),
                    (
                        "triage",
                        lambda: asyncio.to_thread(
                            triage_costliest, engine, odoo=odoo_settings
                        ),
                    ),
                ]
                for name, step in steps:
                    if name not in options.phases:
                        continue
                    on_phase(name)
                    started = time.perf_counter()
                    await step()
                    await settle(engine, timeout_s=options.settle_timeout_s)
                    phases[name] = round(time.perf_counter() - started, 2)
        finally:
            await runtime.stop()
    return build_report(engine, phases=phases)


def _settings(engine: Engine, secrets: dict[str, str]) -> Settings:
    return Settings(
        database_url=str(engine.url),
        webhooks=WebhookSettings(secrets={k: SecretStr(v) for k, v in secrets.items()}),
        routing=RoutingSettings(poll_interval_s=0.05),
        delivery=DeliverySettings(
            max_attempts=4,
            initial_backoff_s=0.2,
            max_backoff_s=2.0,
            poll_interval_s=0.05,
            circuit_open_s=1.0,
        ),
    )


async def _send(
    http: httpx.Client,
    url: str,
    notifications: list[Notification],
    secrets: dict[str, str],
) -> None:
    answers = await asyncio.to_thread(
        send_notifications, http, url, notifications, secrets=secrets
    )
    refused = [a for a in answers if a.status_code >= 400]
    for answer in refused:
        log.warning(
            "demo.webhook_refused", status=answer.status_code, body=answer.text[:300]
        )


async def _staffing(
    http: httpx.Client,
    url: str,
    month: FirmMonth,
    secrets: dict[str, str],
    world: DemoWorld,
    engine: Engine,
) -> None:
    """Announce everyone; Odoo serves a renamed field while the first three land."""
    notifications = bamboohr_notifications(month)
    first, rest = (
        notifications[:RENAMED_FIELD_VICTIMS],
        notifications[RENAMED_FIELD_VICTIMS:],
    )
    if world.odoo is not None:
        rename_employee_cost(world.odoo)
    await _send(http, url, first, secrets)
    await settle(engine)
    if world.odoo is not None:
        world.odoo.clear_faults()
    await _send(http, url, rest, secrets)


async def _import_time(
    engine: Engine,
    catalog: Catalog,
    month: FirmMonth,
    workdir: Path,
    world: DemoWorld,
    toggl_week: Phase | None,
) -> None:
    if world.odoo is not None:
        inject_odoo_faults(world.odoo)
    export = workdir / f"harvest_{month.year}-{month.month:02d}.csv"
    export.write_text(
        harvest_detailed_export(month, moved_to_toggl=toggl_week is not None)
    )
    reading = open_export(export, format="harvest")

    def run() -> None:
        import_items(
            engine, catalog, reading.rows(), source=reading.source, file=export.name
        )

    await asyncio.to_thread(run)
    if toggl_week is not None:
        await settle(engine)
        await toggl_week()


async def _toggl_week(
    http: httpx.Client,
    url: str,
    month: FirmMonth,
    secrets: dict[str, str],
    engine: Engine,
    catalog: Catalog,
    workdir: Path,
) -> None:
    """The Toggl team's week by webhook, read back; then its export, overlapping."""
    await _send(http, url, toggl_webhooks(month), secrets)
    await settle(engine)
    export = workdir / f"toggl_{month.year}-{month.month:02d}_last-week.csv"
    export.write_text(toggl_detailed_export(month), encoding="utf-8")
    reading = open_export(export, format="toggl", timezone="UTC")

    def run() -> None:
        import_items(
            engine, catalog, reading.rows(), source=reading.source, file=export.name
        )

    await asyncio.to_thread(run)


async def _close(
    odoo: OdooClient, engine: Engine, catalog: Catalog, month: FirmMonth, today: date
) -> None:
    def orders() -> list[int]:
        with session_scope(engine) as session:
            refs = load_references(session, "odoo", ("sale_order",))
        # By deal, not by Odoo id: ids follow the order concurrent deliveries
        # happened to land in, and the same seed must close the same month.
        return [order_id for _, order_id in sorted(refs.items())]

    await close_the_month(
        odoo, await asyncio.to_thread(orders), invoice_date=month.last_day
    )
    await asyncio.sleep(1.1)
    await pull_contract_to_cash(odoo, engine, catalog, today=today, settle_s=0.0)


def triage_costliest(
    engine: Engine, *, odoo: OdooSettings | None = None, limit: int = TRIAGED_INCIDENTS
) -> int:
    """Triage the open incidents that cost most, up to their proposals; return how many."""
    url = str(engine.url)
    settings = AgentSettings()
    context = triage_context(engine, url, settings, GateSettings(), odoo)
    with session_scope(engine) as session:
        ids = session.exec(
            select(Incident.id)
            .where(Incident.status == IncidentStatus.OPEN)
            .order_by(col(Incident.impact_score).desc())
            .limit(limit)
        ).all()
    with open_checkpointer(checkpoint_target(url, settings)) as saver:
        graph = build_triage_graph(saver)
        for incident_id in ids:
            if incident_id is not None:
                start_triage(graph, context, incident_id)
    return len(ids)


def scaled(month: FirmMonth, rows: int | None) -> FirmMonth:
    """The month with its time entries repeated (notes numbered) up to `rows`."""
    if rows is None or not month.entries:
        return month
    entries = [
        replace(entry, notes=f"{entry.notes} #{index // len(month.entries)}")
        for index, entry in zip(range(rows), cycle(month.entries), strict=False)
    ]
    return replace(month, entries=tuple(entries))


async def settle(engine: Engine, *, timeout_s: float = SETTLE_TIMEOUT_S) -> None:
    """Wait until every accepted event is routed and no delivery is still owed."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await asyncio.to_thread(_outstanding, engine) == 0:
            return
        await asyncio.sleep(0.1)
    log.warning("demo.settle_timed_out", outstanding=_outstanding(engine))


def _outstanding(engine: Engine) -> int:
    busy = (DeliveryStatus.PENDING, DeliveryStatus.IN_FLIGHT, DeliveryStatus.RETRYING)
    with session_scope(engine) as session:
        events = session.exec(
            select(func.count()).where(Event.status == EventStatus.ACCEPTED)
        ).one()
        deliveries = session.exec(
            select(func.count()).where(col(Delivery.status).in_(busy))
        ).one()
    return int(events) + int(deliveries)
