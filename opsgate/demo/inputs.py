"""Render the firm's month in the shapes the real products send.

HubSpot notifies deal changes as thin JSON arrays and serves the deal over its
CRM API; BambooHR notifies employee changes with ids only and serves the
employee over its API; Harvest hands over a detailed time report as CSV.
The team that moved to Toggl Track for the last week sends its entries by
webhook (ids only) and its lead exports the same week as a detailed report.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal

from opsgate.demo.firm import (
    Client,
    Consultant,
    Deal,
    FirmMonth,
    toggl_entries,
    toggl_team,
)

HUBSPOT_PORTAL_ID = 9000001
HUBSPOT_APP_ID = 9000002
HARVEST_COLUMNS = (
    "Date", "Client", "Project", "Project Code", "Task", "Notes", "Hours",
    "Billable?", "Invoiced?", "Approved?", "First Name", "Last Name", "Employee Id",
    "Roles", "Employee?", "Billable Rate", "Billable Amount", "Cost Rate",
    "Cost Amount", "Currency", "External Reference URL",
)  # fmt: skip
CURRENCY_LABELS = {"USD": "United States Dollar - USD", "EUR": "Euro - EUR"}


@dataclass(frozen=True)
class Notification:
    """One webhook delivery: the body exactly as sent, and when it was sent."""

    source: str
    body: bytes
    sent_at: datetime


def hubspot_company(client: Client) -> dict[str, str]:
    """The company's CRM properties."""
    return {
        "name": client.name,
        "domain": client.domain,
        "country": client.country,
        "legal_entity": client.legal_entity,
    }


def hubspot_deal(deal: Deal) -> dict[str, str]:
    """The deal's CRM properties, as strings the way HubSpot returns them."""
    return {
        "dealname": deal.name,
        "amount": deal.amount,
        "deal_currency_code": deal.currency,
        "dealstage": "closedwon",
        "closedate": _iso_ms(datetime.combine(deal.closed_on, time(16), UTC)),
        "billing_type": deal.billing_type,
        "sow_signed": "true" if deal.sow_signed else "false",
        "legal_entity": deal.legal_entity,
        "start_date": deal.start_date.isoformat() if deal.start_date else "",
        "hourly_rate": str(deal.hourly_rate),
        "hours_sold": str(deal.hours),
        "project_code": deal.project_code,
    }


def hubspot_closed_won_notifications(month: FirmMonth) -> list[Notification]:
    """One `deal.propertyChange` array per closed-won deal, plus one redelivery."""
    notifications = []
    for index, deal in enumerate(month.deals):
        sent_at = datetime.combine(deal.closed_on, time(16, 5), UTC)
        event = {
            "objectId": int(deal.key),
            "propertyName": "dealstage",
            "propertyValue": "closedwon",
            "changeSource": "CRM_UI",
            "eventId": 1228530000 + index,
            "subscriptionId": 92894,
            "portalId": HUBSPOT_PORTAL_ID,
            "appId": HUBSPOT_APP_ID,
            "occurredAt": int(sent_at.timestamp() * 1000),
            "subscriptionType": "deal.propertyChange",
            "attemptNumber": 0,
        }
        notifications.append(Notification("hubspot", _compact([event]), sent_at))
        if index == 1:
            retry = event | {"attemptNumber": 1}
            notifications.append(Notification("hubspot", _compact([retry]), sent_at))
    return notifications


def bamboohr_employee(person: Consultant) -> dict[str, str | None]:
    """The employee's fields as BambooHR's API returns them."""
    return {
        "firstName": person.first_name,
        "lastName": person.last_name,
        "workEmail": person.email,
        "jobTitle": person.title,
        "department": person.department,
        "hireDate": person.hire_date.isoformat(),
        "terminationDate": (
            person.termination_date.isoformat() if person.termination_date else None
        ),
        "status": "Inactive" if person.termination_date else "Active",
        "payRate": f"{person.cost_rate} USD",
    }


def bamboohr_notifications(month: FirmMonth) -> list[Notification]:
    """`employee.created` for everyone, and `employee.updated` for each leaver."""
    notifications = []
    start = datetime.combine(month.first_day, time(8), UTC)
    for person in month.consultants:
        notifications.append(_bamboo("employee.created", person, start, ["firstName"]))
    for person in month.consultants:
        if person.termination_date is not None:
            when = datetime.combine(person.termination_date, time(18), UTC)
            changed = ["employmentHistoryStatus", "terminationDate"]
            notifications.append(_bamboo("employee.updated", person, when, changed))
    return notifications


def harvest_detailed_export(month: FirmMonth, *, moved_to_toggl: bool = True) -> str:
    """The month's time as Harvest's detailed time report CSV.

    With `moved_to_toggl`, the Toggl team's last week is left out: it is
    tracked in Toggl Track (`toggl_webhooks`, `toggl_detailed_export`).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HARVEST_COLUMNS)
    currencies = {d.project_code: d.currency for d in month.deals}
    in_toggl = (
        {id(tracked.entry) for tracked in toggl_entries(month)}
        if moved_to_toggl
        else set()
    )
    for entry in month.entries:
        if id(entry) in in_toggl:
            continue
        person = month.consultant(entry.consultant_key)
        amount = (entry.hours * entry.rate).quantize(Decimal("0.01"))
        cost = (entry.hours * person.cost_rate).quantize(Decimal("0.01"))
        currency = currencies.get(entry.project_code, "USD")
        writer.writerow(
            (
                entry.work_date.isoformat(),
                entry.client_name,
                entry.project_name,
                entry.project_code,
                entry.task,
                entry.notes,
                f"{entry.hours:.2f}",
                "Yes" if entry.billable else "No",
                "No",
                "Yes" if entry.approved else "No",
                person.first_name,
                person.last_name,
                person.key,
                person.title,
                "Yes",
                f"{entry.rate:.1f}",
                f"{amount}",
                f"{person.cost_rate:.1f}",
                f"{cost}",
                CURRENCY_LABELS[currency],
                "",
            )
        )
    return out.getvalue()


TOGGL_WORKSPACE_ID = 7435584
TOGGL_SUBSCRIPTION_ID = 10710
TOGGL_COLUMNS = (
    "User", "Email", "Client", "Project", "Task", "Description", "Billable",
    "Start date", "Start time", "End date", "End time", "Duration", "Tags",
)  # fmt: skip


def toggl_webhooks(month: FirmMonth) -> list[Notification]:
    """The Toggl team's entries as Toggl's webhooks send them: ids, not names."""
    notifications = []
    for tracked in toggl_entries(month):
        sent = tracked.ended_at
        body = {
            "event_id": tracked.entry_id - 3_299_000_000,
            "created_at": _iso_ms(sent),
            "creator_id": tracked.user_id,
            "metadata": {
                "action": "created",
                "event_user_id": str(tracked.user_id),
                "model": "time_entry",
                "workspace_id": str(TOGGL_WORKSPACE_ID),
            },
            "payload": {
                "id": tracked.entry_id,
                "workspace_id": TOGGL_WORKSPACE_ID,
                "project_id": tracked.project_id,
                "task_id": tracked.task_id,
                "user_id": tracked.user_id,
                "billable": tracked.entry.billable,
                "description": tracked.entry.notes,
                "start": tracked.started_at.isoformat(),
                "stop": tracked.ended_at.isoformat(),
                "duration": int(tracked.entry.hours * 3600),
                "tags": [],
            },
            "subscription_id": TOGGL_SUBSCRIPTION_ID,
            "timestamp": _iso_ms(sent),
        }
        notifications.append(Notification("toggl", _compact(body), sent))
    return notifications


def toggl_detailed_export(month: FirmMonth) -> str:
    """The same week as Toggl's Detailed report CSV (times in UTC, no amounts)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(TOGGL_COLUMNS)
    deal = toggl_team(month)
    for tracked in toggl_entries(month):
        person = month.consultant(tracked.entry.consultant_key)
        start, end = tracked.started_at, tracked.ended_at
        seconds = int(tracked.entry.hours * 3600)
        writer.writerow(
            (
                person.name,
                person.email,
                tracked.entry.client_name,
                deal.name,
                tracked.entry.task,
                tracked.entry.notes,
                "Yes" if tracked.entry.billable else "No",
                start.date().isoformat(),
                start.strftime("%H:%M:%S"),
                end.date().isoformat(),
                end.strftime("%H:%M:%S"),
                f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
                "",
            )
        )
    return out.getvalue()


def _bamboo(
    kind: str, person: Consultant, when: datetime, changed: list[str]
) -> Notification:
    body = {
        "type": kind,
        "timestamp": when.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "data": {
            "companyId": "12345",
            "employeeId": person.key,
            "changedFields": changed,
        },
    }
    return Notification("bamboohr", json.dumps(body, indent=2).encode(), when)


def _compact(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _iso_ms(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
