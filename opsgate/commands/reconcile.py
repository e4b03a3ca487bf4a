"""`opsgate reconcile` and `opsgate pull`: compare both sides, pull what changed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.table import Table

from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.odoo.settings import OdooSettings
from opsgate.logs import configure_logging
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.store.db import create_store_engine, upgrade_to_head
from opsgate.rules.workflows.billing_pull import PullReport, pull_contract_to_cash
from opsgate.rules.workflows.reconcile_job import reconcile as run_reconciliation
from opsgate.rules.workflows.reconciliation import DriftReport
from opsgate.settings import Settings, load_settings


def reconcile() -> None:
    """Compare the time tool, Odoo timesheets and invoices, and CRM deals with orders."""
    settings, odoo = _settings_with_odoo()
    report = asyncio.run(_reconcile(settings, odoo))
    if not report.drifts:
        Console().print("No drift: both sides agree.")
        return
    table = Table(title="Reconciliation (one incident per kind of drift)")
    table.add_column("drift")
    table.add_column("count", justify="right")
    table.add_column("value at risk", justify="right")
    for kind, drifts in report.by_kind().items():
        table.add_row(
            kind.value, str(len(drifts)), f"{sum(d.value for d in drifts):,.2f}"
        )
    Console().print(table)


def pull() -> None:
    """Pull posted invoices and payments from Odoo (contract-to-cash) once."""
    settings, odoo = _settings_with_odoo()
    found = asyncio.run(_pull(settings, odoo))
    typer.echo(
        f"{found.invoices} invoices and {found.payments} payments read; "
        f"{found.accepted} new events; {found.overdue_incidents} overdue invoices flagged."
    )


def _settings_with_odoo() -> tuple[Settings, OdooSettings]:
    settings = load_settings()
    configure_logging(settings.logging)
    if settings.odoo is None:
        typer.echo(
            "No Odoo is configured: set [odoo] url, database and api_key in opsgate.toml "
            "or OPSGATE_ODOO__URL, OPSGATE_ODOO__DATABASE and OPSGATE_ODOO__API_KEY.",
            err=True,
        )
        raise typer.Exit(code=2)
    return settings, settings.odoo


async def _reconcile(settings: Settings, odoo_settings: OdooSettings) -> DriftReport:
    engine = create_store_engine(settings.database_url)
    upgrade_to_head(engine)
    async with OdooClient(settings=odoo_settings) as odoo:
        return await run_reconciliation(odoo, engine)


async def _pull(settings: Settings, odoo_settings: OdooSettings) -> PullReport:
    engine = create_store_engine(settings.database_url)
    upgrade_to_head(engine)
    catalog = load_catalog(
        settings.catalog.paths, include_shipped=settings.catalog.include_shipped
    )
    async with OdooClient(settings=odoo_settings) as odoo:
        return await pull_contract_to_cash(
            odoo,
            engine,
            catalog,
            today=datetime.now(UTC).date(),
            grace_days=settings.workflows.overdue_grace_days,
        )
