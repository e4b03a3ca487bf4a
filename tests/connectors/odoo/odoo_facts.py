"""What the recorded Odoo stories hold, as facts the contract checks ask about.

A recording can only answer what was recorded, so each replayed target comes
with the ids, values and rows of its own story: the Odoo 18 JSON-RPC chain
(Northwind), the Odoo 18 XML-RPC chain (Contoso) and the Odoo 19 JSON-2 run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WRONG_KEY = "0123456789abcdef0123456789abcdef01234567"
"""The wrong key the recordings used on purpose (left as sent)."""


@dataclass
class Facts:
    """What a target's data holds, for the checks to ask about."""

    transport: str
    search: dict[str, Any]
    read_missing: dict[str, Any]
    create_one: dict[str, Any]
    write: dict[str, Any]
    write_deleted: dict[str, Any]
    load_good: dict[str, Any]
    private_method: dict[str, Any]
    unknown_field_domain: dict[str, Any]
    refuse_many2one: dict[str, Any]
    unlink: dict[str, Any]
    create_many: dict[str, Any] | None = None
    load_bad: dict[str, Any] | None = None
    refuse_integer: dict[str, Any] | None = None
    refuse_timesheet: dict[str, Any] | None = None
    none_action: dict[str, Any] | None = None
    silent_write: dict[str, Any] | None = None
    """A write Odoo answers `true` to while storing something else."""
    missing: dict[str, str] = field(default_factory=dict)
    """Why a check has no facts here (check name to reason)."""


# --- the recordings ---------------------------------------------------------------

J18 = Facts(
    transport="jsonrpc",
    search={
        "model": "account.analytic.line",
        "domain": [
            ["write_date", ">", "2026-12-03 19:32:54"],
            ["project_id", "!=", False],
        ],
        "fields": [
            "name",
            "date",
            "unit_amount",
            "project_id",
            "task_id",
            "employee_id",
            "so_line",
            "amount",
            "timesheet_invoice_type",
            "timesheet_invoice_id",
            "write_date",
        ],
        "order": "write_date asc, id asc",
        "limit": 4,
        "offset": 0,
        "ids": [578, 579, 580, 581],
    },
    read_missing={
        "model": "res.partner",
        "ids": [1041, 11056],
        "fields": ["name"],
        "found": [1041],
    },
    create_one={
        "model": "res.partner",
        "values": {
            "name": "Woodgrove Legal (duplicate in HubSpot)",
            "is_company": True,
            "ref": "HS-1099",
        },
    },
    write={"model": "project.project", "id": 31, "values": {"user_id": False}},
    unlink={"model": "res.partner", "id": 11056, "verify": True},
    write_deleted={
        "model": "res.partner",
        "id": 11056,
        "values": {"phone": "+1 555 0199"},
    },
    load_good={
        "model": "res.partner",
        "columns": [
            "id",
            "name",
            "is_company",
            "parent_id/id",
            "ref",
            "email",
            "phone",
            "street",
            "city",
            "zip",
            "country_id/id",
        ],
        "rows": [
            [
                "opsgate.hubspot_company_1001",
                "Northwind Analytics Ltd",
                "1",
                "",
                "HS-1001",
                "billing@northwind-analytics.example",
                "+44 20 7946 0101",
                "12 Fenchurch Street",
                "London",
                "EC3M 3BD",
                "base.uk",
            ],
            [
                "opsgate.hubspot_contact_2001",
                "Dana Whitfield",
                "0",
                "opsgate.hubspot_company_1001",
                "HS-C-2001",
                "dana.whitfield@northwind-analytics.example",
                "+44 20 7946 0102",
                "",
                "",
                "",
                "",
            ],
        ],
    },
    load_bad={
        "model": "res.partner",
        "columns": [
            "id",
            "name",
            "is_company",
            "parent_id/id",
            "ref",
            "email",
            "phone",
            "street",
            "city",
            "zip",
            "country_id/id",
            "type",
        ],
        "rows": [
            [
                "opsgate.hubspot_company_1003",
                "Fabrikam Consulting LLC",
                "1",
                "",
                "HS-1003",
                "finance@fabrikam-consulting.example",
                "+1 415 555 0103",
                "500 Howard Street",
                "San Francisco",
                "94105",
                "base.us",
                "contact",
            ],
            [
                "opsgate.hubspot_company_1004",
                "Tailspin Advisory Ltd",
                "1",
                "",
                "HS-1004",
                "accounts@tailspin-advisory.example",
                "+44 161 555 0104",
                "1 Spinningfields",
                "Manchester",
                "M3 3AP",
                "base.xx",
                "contact",
            ],
            [
                "opsgate.hubspot_company_1005",
                "Litware Partners Inc",
                "1",
                "",
                "HS-1005",
                "ap@litware-partners.example",
                "+1 212 555 0105",
                "11 Madison Avenue",
                "New York",
                "10010",
                "base.us",
                "bogus",
            ],
        ],
        "bad": {1: ("country_id", "base.xx"), 2: ("type", "bogus")},
    },
    private_method={"model": "sale.order", "method": "_create_invoices", "ids": [31]},
    unknown_field_domain={
        "model": "res.partner",
        "method": "search_read",
        "domain": [["hubspot_id", "=", "1001"]],
        "fields": ["name"],
        "limit": 1,
    },
    refuse_integer={
        "model": "res.partner",
        "values": {"name": "Integer test 3", "color": 3.7},
        "field": "color",
    },
    refuse_many2one={
        "model": "res.partner",
        "id": 1041,
        "values": {"country_id": "Belgium"},
        "field": "country_id",
    },
    refuse_timesheet={
        "model": "account.analytic.line",
        "values": {
            "employee_id": 32,
            "date": "2026-11-26",
            "unit_amount": 1,
            "name": "Internal admin (no project)",
        },
        "field": "project_id",
    },
    none_action={
        "model": "sale.order",
        "method": "action_lock",
        "id": 31,
        "expect": {"locked": True},
    },
    missing={
        "create_many": "the 18 corpus records no multi-record create",
        "silent_write": "the 18 corpus records no write that Odoo silently mangles",
    },
)

X18 = Facts(
    transport="xmlrpc",
    search={**J18.search, "ids": [578, 579, 580, 581]},
    read_missing=J18.read_missing,
    create_one={
        "model": "res.partner",
        "values": {
            "name": "Woodgrove Legal (second duplicate)",
            "is_company": True,
            "ref": "HS-1098",
        },
    },
    write=J18.write,
    unlink={"model": "res.partner", "id": 11057, "verify": False},
    write_deleted=J18.write_deleted,
    load_good={
        "model": "res.partner",
        "columns": J18.load_good["columns"],
        "rows": [
            [
                "opsgate.hubspot_company_1002",
                "Contoso Engineering GmbH",
                "1",
                "",
                "HS-1002",
                "ap@contoso-engineering.example",
                "+49 30 901820",
                "Friedrichstrasse 68",
                "Berlin",
                "10117",
                "base.de",
            ],
            [
                "opsgate.hubspot_contact_2002",
                "Jonas Weber",
                "0",
                "opsgate.hubspot_company_1002",
                "HS-C-2002",
                "jonas.weber@contoso-engineering.example",
                "+49 30 901821",
                "",
                "",
                "",
                "",
            ],
        ],
    },
    load_bad=J18.load_bad,
    private_method=J18.private_method,
    unknown_field_domain=J18.unknown_field_domain,
    refuse_integer=J18.refuse_integer,
    refuse_many2one=J18.refuse_many2one,
    refuse_timesheet=J18.refuse_timesheet,
    none_action={
        "model": "sale.order",
        "method": "action_lock",
        "id": 32,
        "expect": {"locked": True},
    },
    missing={
        "create_many": "the 18 corpus records no multi-record create",
        "silent_write": "the 18 corpus records no write that Odoo silently mangles",
    },
)

J19 = Facts(
    transport="json2",
    search={
        "model": "res.partner",
        "domain": [["is_company", "=", True], ["country_id", "!=", False]],
        "fields": [
            "name",
            "email",
            "country_id",
            "child_ids",
            "write_date",
            "parent_id",
            "phone",
            "active",
        ],
        "order": "id asc",
        "limit": 3,
        "offset": 1,
        "ids": None,
    },
    read_missing={
        "model": "res.partner",
        "ids": [1, 999999],
        "fields": ["name"],
        "found": [1],
    },
    create_one={
        "model": "res.partner",
        "values": {
            "name": "Northwind JSON2",
            "is_company": True,
            "email": "info@northwind.example",
            "ref": "HS-1001",
        },
    },
    create_many={
        "model": "res.partner",
        "values": [
            {
                "name": "Ada Contact JSON2",
                "parent_id": 66,
                "email": "ada@northwind.example",
            },
            {"name": "Zoë Ünicode — 東京", "city": "Zürich"},
        ],
    },
    write={
        "model": "res.partner",
        "id": 66,
        "values": {"phone": "+1 555 0100", "street": "1 Main St"},
    },
    unlink={"model": "res.partner", "id": 70, "verify": False},
    write_deleted={"model": "res.partner", "id": 76, "values": {"name": "ghost"}},
    load_good={
        "model": "res.partner",
        "columns": [
            "id",
            "name",
            "is_company",
            "email",
            "country_id/id",
            "parent_id/id",
        ],
        "rows": [
            [
                "json2.hubspot_company_1001",
                "Contoso JSON2",
                "1",
                "hello@contoso.example",
                "base.us",
                "",
            ],
            [
                "json2.hubspot_contact_2001",
                "Grace Contact JSON2",
                "0",
                "grace@contoso.example",
                "base.us",
                "json2.hubspot_company_1001",
            ],
        ],
    },
    private_method={"model": "sale.order", "method": "_create_invoices", "ids": [27]},
    unknown_field_domain={
        "model": "res.partner",
        "method": "search",
        "domain": [["no_such_field", "=", 1]],
    },
    refuse_many2one={
        "model": "res.partner",
        "id": 66,
        "values": {"country_id": "Belgium"},
        "field": "country_id",
    },
    none_action={
        "model": "account.move",
        "method": "action_post",
        "id": 57,
        "expect": {"state": "posted"},
    },
    silent_write={
        "model": "res.partner",
        "id": 66,
        "values": {"country_id": "United States"},
    },
    missing={
        "load_bad": "the 19 recordings hold the failed load but not the resend of its good row",
        "refuse_integer": "the 19 recordings hold no fields_get listing an integer field",
        "refuse_timesheet": "the 19 recordings hold no fields_get of account.analytic.line",
    },
)
