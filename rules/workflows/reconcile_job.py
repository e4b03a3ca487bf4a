"""Gather both sides of each comparison, find drift, and open incidents for it.

One incident per kind of drift, carrying the count and the value at risk, so a
nightly run with forty small differences reads as one problem to look at, not
forty. The incident's context lists the keys that drifted.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import structlog
from sqlalchemy import Engine
from sqlmodel import col, select

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.odoo.many2one import many2one_id
from opsgate.rules.canonical import Contract, Timesheet
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import DeadLetter, Event
from opsgate.rules.workflows.lead_to_project import client_reference
from opsgate.rules.workflows.reconciliation import (
    Drift,
    DriftKind,
    DriftReport,
    compare_billing,
    compare_deals,
    compare_time,
)

log = structlog.get_logger(__name__)

TIME_EVENT = "opsgate.timesheet.approved"
WON_EVENT = "opsgate.contract.won"
DRIFT_CATEGORY = {
    DriftKind.MISSING_IN_ODOO: ErrorCategory.MISSING_REFERENCE,
    DriftKind.HOURS_DIFFER: ErrorCategory.CONFLICT,
    DriftKind.UNEXPLAINED_IN_ODOO: ErrorCategory.DATA_QUALITY,
    DriftKind.OVER_INVOICED: ErrorCategory.DATA_QUALITY,
    DriftKind.UNDER_INVOICED: ErrorCategory.DATA_QUALITY,
    DriftKind.AMOUNT_DIFFERS: ErrorCategory.CONFLICT,
    DriftKind.NO_SALE_ORDER: ErrorCategory.MISSING_REFERENCE,
}
BILLED_QUANTITY = {True: "product_uom_qty", False: "qty_delivered"}
"""Which sale line quantity is due for invoicing: ordered (fixed price) or delivered."""

BLOCKS = {
    DriftKind.MISSING_IN_ODOO: "invoice",
    DriftKind.HOURS_DIFFER: "invoice",
    DriftKind.UNDER_INVOICED: "invoice",
    DriftKind.NO_SALE_ORDER: "project_creation",
}


async def reconcile(odoo: OdooClient, engine: Engine) -> DriftReport:
    """Compare time, billing and deal amounts; open one incident per drift kind."""
    entries, contracts = await asyncio.to_thread(_our_side, engine)
    odoo_hours = await _odoo_timesheet_hours(odoo)
    report = DriftReport()
    report.drifts += compare_time(
        {e.external_id: e.hours for e in entries if e.billable},
        odoo_hours,
        rate_of={e.external_id: e.hourly_rate or Decimal(0) for e in entries},
    )
    lines = await _sale_lines(odoo, [client_reference(c) for c in contracts])
    report.drifts += compare_billing(
        {key: line["delivered"] for key, line in lines.items()},
        {key: line["invoiced"] for key, line in lines.items()},
        price_of={key: line["price"] for key, line in lines.items()},
    )
    report.drifts += compare_deals(
        {client_reference(c): c.amount for c in contracts if c.amount is not None},
        await _order_amounts(odoo, [client_reference(c) for c in contracts]),
    )
    await asyncio.to_thread(_open_incidents, engine, report)
    log.info(
        "reconciliation.finished",
        drifts=len(report.drifts),
        value=str(report.total_value),
    )
    return report


def _our_side(engine: Engine) -> tuple[list[Timesheet], list[Contract]]:
    """What we sent: routed won contracts and time entries, less known failures.

    Events already held by a control, or whose delivery is a dead letter, have
    an incident of their own; reconciliation looks for drift nobody knows of.
    """
    with session_scope(engine) as session:
        explained = select(DeadLetter.event_id)
        rows = session.exec(
            select(Event.type, Event.data)
            .where(
                col(Event.type).in_([TIME_EVENT, WON_EVENT]),
                col(Event.data).is_not(None),
                Event.status == EventStatus.ROUTED,
                col(Event.id).not_in(explained),
            )
            .order_by(col(Event.accepted_at))
        ).all()
    entries = {}
    contracts = {}
    for event_type, data in rows:
        if event_type == TIME_EVENT:
            entry = Timesheet.model_validate(data)
            entries[entry.external_id] = entry
        else:
            contract = Contract.model_validate(data)
            contracts[contract.source_key] = contract
    return list(entries.values()), list(contracts.values())


async def _odoo_timesheet_hours(odoo: OdooClient) -> dict[str, Decimal]:
    xmlids = await odoo.search_read(
        "ir.model.data",
        [["module", "=", "opsgate"], ["model", "=", "account.analytic.line"]],
        fields=["name", "res_id"],
    )
    by_id = {int(x["res_id"]): f"opsgate.{x['name']}" for x in xmlids}
    if not by_id:
        return {}
    lines = await odoo.read(
        "account.analytic.line", list(by_id), fields=["unit_amount"]
    )
    return {by_id[line["id"]]: Decimal(str(line["unit_amount"])) for line in lines}


async def _sale_lines(
    odoo: OdooClient, references: list[str]
) -> dict[str, dict[str, Any]]:
    if not references:
        return {}
    orders = await odoo.search_read(
        "sale.order",
        [["client_order_ref", "in", references], ["state", "=", "sale"]],
        fields=["client_order_ref", "order_line"],
    )
    line_ids = [line for order in orders for line in order["order_line"]]
    if not line_ids:
        return {}
    lines = await odoo.read(
        "sale.order.line",
        line_ids,
        fields=[
            "order_id",
            "product_id",
            "product_uom_qty",
            "qty_delivered",
            "qty_invoiced",
            "price_unit",
        ],
    )
    on_order = await _billed_on_order(odoo, lines)
    reference_of = {order["id"]: order["client_order_ref"] for order in orders}
    result: dict[str, dict[str, Any]] = {}
    for line in lines:
        order_id = many2one_id(line["order_id"])
        billed = BILLED_QUANTITY[many2one_id(line["product_id"]) in on_order]
        result[f"{reference_of.get(order_id, order_id)}/{line['id']}"] = {
            "delivered": Decimal(str(line.get(billed) or 0)),
            "invoiced": Decimal(str(line.get("qty_invoiced") or 0)),
            "price": Decimal(str(line.get("price_unit") or 0)),
        }
    return result


async def _billed_on_order(odoo: OdooClient, lines: list[dict[str, Any]]) -> set[int]:
    """Products that bill the ordered quantity (fixed price), not delivered hours."""
    product_ids = sorted(
        {pid for line in lines if (pid := many2one_id(line.get("product_id")))}
    )
    if not product_ids:
        return set()
    products = await odoo.read(
        "product.product", product_ids, fields=["invoice_policy"]
    )
    return {p["id"] for p in products if p.get("invoice_policy") == "order"}


async def _order_amounts(odoo: OdooClient, references: list[str]) -> dict[str, Decimal]:
    if not references:
        return {}
    orders = await odoo.search_read(
        "sale.order",
        [["client_order_ref", "in", references], ["state", "in", ["sale", "done"]]],
        fields=["client_order_ref", "amount_untaxed"],
    )
    return {o["client_order_ref"]: Decimal(str(o["amount_untaxed"])) for o in orders}


def _open_incidents(engine: Engine, report: DriftReport) -> None:
    with session_scope(engine) as session:
        for kind, drifts in report.by_kind().items():
            value = sum((d.value for d in drifts), Decimal(0))
            open_incident(
                session,
                category=DRIFT_CATEGORY[kind],
                title=_title(kind, drifts, value),
                detail="; ".join(_describe(d) for d in drifts[:50]),
                fingerprint=f"reconcile:{kind.value}",
                workflow="reconciliation",
                source="reconciliation",
                target="odoo",
                blocks=BLOCKS.get(kind, "master_data"),
                amount_at_risk=value or None,
                context={
                    "kind": kind.value,
                    "count": len(drifts),
                    "keys": [d.key for d in drifts[:200]],
                },
            )


def _title(kind: DriftKind, drifts: list[Drift], value: Decimal) -> str:
    what = {
        DriftKind.MISSING_IN_ODOO: "time entries the time tool sent are not in Odoo",
        DriftKind.HOURS_DIFFER: "time entries have other hours in Odoo than in the time tool",
        DriftKind.UNEXPLAINED_IN_ODOO: "Odoo timesheet lines match no time entry sent",
        DriftKind.OVER_INVOICED: "sale order lines are invoiced for more hours than delivered",
        DriftKind.UNDER_INVOICED: "sale order lines have delivered hours not yet invoiced",
        DriftKind.AMOUNT_DIFFERS: "won deals disagree with their sale order's amount",
        DriftKind.NO_SALE_ORDER: "won deals have no confirmed sale order in Odoo",
    }[kind]
    return f"Reconciliation: {len(drifts)} {what} ({value:.2f} at risk)."


def _describe(drift: Drift) -> str:
    return f"{drift.key}: ours {drift.ours}, Odoo {drift.theirs}"
