"""The records a fresh stand-in starts with: the recorded demo database's.

Only what the workflows point at, with the ids and names the recordings show:
the company, the admin and demo users, countries (`base.us`, `base.uk`, ...),
the service products invoiced on timesheets (58, 59, 64), the "Sales Order"
project template (7), one confirmed demo order (`S00001`), an "Office
Design" project (1) and its employee (1), stages, journals and accounts. New
records start at id 1000 and up, so they never collide with these.
"""

from __future__ import annotations

from typing import Any

from opsgate.connectors.odoo.standin.store import Database

FIRST_NEW_ID = 1000

_COUNTRIES = [
    (21, "Belgium", "BE"),
    (75, "France", "FR"),
    (57, "Germany", "DE"),
    (231, "United Kingdom", "GB"),
    (233, "United States", "US"),
]

_SERVICE = {
    "type": "service",
    "invoice_policy": "delivery",
    "service_type": "timesheet",
    "service_tracking": "task_in_project",
    "service_policy": "delivered_timesheet",
    "project_template_id": 7,
    "uom_id": 4,
    "uom_po_id": 4,
    "active": True,
    "sale_ok": True,
}


_DEMO_COMPANIES = {
    8: "Wood Corner",
    9: "Acme Corporation",
    10: "Deco Addict",
    11: "Gemini Furniture",
    12: "Ready Mat",
    13: "LightsUp",
    14: "The Jackson Group",
    15: "Azure Interior",
    16: "Lumber Inc",
    42: "Jackson Group",
}
_DEMO_CONTACTS = {
    17: (8, "Willie Burke"),
    18: (8, "Ron Gibson"),
    27: (15, "Brandon Freeman"),
    28: (15, "Nicole Ford"),
    34: (15, "Colleen Diaz"),
}


def _demo_companies() -> list[dict[str, Any]]:
    return [
        {
            "id": pid,
            "name": name,
            "is_company": True,
            "country_id": 233,
            "active": True,
            "type": "contact",
            "email": f"info@{name.split()[0].lower()}.example.com",
            "phone": f"(555)-{pid:03d}-0100",
            "website": f"http://www.{name.split()[0].lower()}.example.com",
            "street": f"{pid} Main Street",
            "city": "Fremont",
            "zip": "94538",
        }
        for pid, name in _DEMO_COMPANIES.items()
    ]


def _demo_contacts() -> list[dict[str, Any]]:
    return [
        {
            "id": pid,
            "name": name,
            "is_company": False,
            "parent_id": parent,
            "active": True,
            "type": "contact",
            "country_id": 233,
            "email": f"{name.split()[0].lower()}@example.com",
        }
        for pid, (parent, name) in _DEMO_CONTACTS.items()
    ]


def _rows(admin_name: str) -> dict[str, list[dict[str, Any]]]:
    return {
        "res.currency": [{"id": 1, "name": "USD"}],
        "res.company": [{"id": 1, "name": "YourCompany", "currency_id": 1}],
        "res.partner": [
            {
                "id": 1,
                "name": "YourCompany",
                "is_company": True,
                "country_id": 233,
                "active": True,
                "type": "contact",
                "email": "info@yourcompany.com",
                "phone": "+1 555-555-5556",
                "website": "http://www.example.com",
            },
            {
                "id": 3,
                "name": admin_name,
                "is_company": False,
                "active": True,
                "type": "contact",
            },
            *_demo_companies(),
            *_demo_contacts(),
        ],
        "res.users": [
            {
                "id": 2,
                "name": admin_name,
                "login": "admin",
                "share": False,
                "partner_id": 3,
                "active": True,
            },
        ],
        "uom.uom": [{"id": 1, "name": "Units"}, {"id": 4, "name": "Hours"}],
        "product.product": [
            {
                "id": 48,
                "name": "Website Redesign Service (project & task)",
                "list_price": 66.6,
                **_SERVICE,
                "invoice_policy": "order",
                "service_policy": "ordered_prepaid",
            },
            {
                "id": 58,
                "name": "Senior Architect (Invoice on Timesheets)",
                "list_price": 200.0,
                **_SERVICE,
            },
            {
                "id": 59,
                "name": "Junior Architect (Invoice on Timesheets)",
                "list_price": 100.0,
                **_SERVICE,
            },
            {
                "id": 64,
                "name": "Consultant (Invoice on Timesheets)",
                "list_price": 250.0,
                **_SERVICE,
            },
        ],
        "project.project": [
            {
                "id": 1,
                "name": "Office Design",
                "allow_timesheets": True,
                "account_id": 24,
                "active": True,
                "privacy_visibility": "portal",
            },
            {
                "id": 7,
                "name": "Sales Order",
                "allow_timesheets": True,
                "active": True,
                "is_template": True,
                "privacy_visibility": "portal",
            },
        ],
        "account.analytic.account": [
            {"id": 24, "name": "Office Design", "active": True}
        ],
        "hr.employee": [
            {
                "id": 1,
                "name": admin_name,
                "company_id": 1,
                "active": True,
                "hourly_cost": 100.0,
                "currency_id": 1,
                "employee_type": "employee",
            },
        ],
        "project.task.type": [{"id": 1, "name": "New"}, {"id": 2, "name": "Done"}],
        "crm.stage": [
            {"id": 1, "name": "New", "is_won": False},
            {"id": 4, "name": "Won", "is_won": True},
        ],
        "account.journal": [
            {"id": 1, "name": "Customer Invoices", "code": "INV", "type": "sale"},
            {"id": 6, "name": "Bank", "code": "BNK1", "type": "bank"},
        ],
        "account.account": [
            {"id": 7, "name": "Account Receivable", "code": "121000"},
            {"id": 27, "name": "Product Sales", "code": "400000"},
            {"id": 49, "name": "Outstanding Receipts", "code": "101403"},
        ],
        "sale.order": [
            {
                "id": 1,
                "name": "S00001",
                "partner_id": 15,
                "partner_invoice_id": 15,
                "partner_shipping_id": 15,
                "state": "sale",
                "company_id": 1,
                "currency_id": 1,
                "locked": False,
                "user_id": 2,
                "client_order_ref": False,
            },
        ],
        "sale.order.line": [
            {
                "id": 1,
                "order_id": 1,
                "product_id": 64,
                "name": "Consultant (Invoice on Timesheets)",
                "product_uom_qty": 5.0,
                "price_unit": 250.0,
                "customer_lead": 0.0,
                "product_uom": 4,
            },
        ],
        "account.payment.method.line": [{"id": 1, "name": "Manual Payment (Bank)"}],
        "ir.config_parameter": [{"id": 1, "key": "database.uuid", "value": "standin"}],
    }


def seed(db: Database, *, version: int, demo_uid: int) -> None:
    """Fill an empty database with the demo records."""
    admin_name = "Mitchell Admin"
    rows = _rows(admin_name)
    rows["res.users"].append(
        {
            "id": demo_uid,
            "name": "Marc Demo",
            "login": "demo",
            "share": False,
            "active": True,
        }
    )
    for cid, name, code in _COUNTRIES:
        rows.setdefault("res.country", []).append(
            {"id": cid, "name": name, "code": code}
        )
    for model, records in rows.items():
        for record in records:
            db.insert(
                model,
                {
                    "create_date": db.now,
                    "write_date": db.now,
                    "create_uid": 1,
                    "write_uid": 1,
                    **record,
                },
            )
    xmlids = {
        ("base", code.lower()): ("res.country", cid) for cid, _, code in _COUNTRIES
    }
    xmlids[("base", "uk")] = ("res.country", 231)
    xmlids[("base", "main_company")] = ("res.company", 1)
    xmlids[("base", "user_admin")] = ("res.users", 2)
    xmlids[("uom", "product_uom_hour")] = ("uom.uom", 4)
    for index, ((module, name), (model, res_id)) in enumerate(
        sorted(xmlids.items()), 1
    ):
        db.insert(
            "ir.model.data",
            {
                "id": index,
                "module": module,
                "name": name,
                "model": model,
                "res_id": res_id,
                "noupdate": True,
                "create_date": db.now,
                "write_date": db.now,
            },
        )
        db.xmlids[(module, name)] = (model, res_id)
    for model in set(rows) | {"ir.model.data"} | _ALL_MODELS:
        db.set_next_id(model, FIRST_NEW_ID)
    db.set_next_id("sale.order.name", 2)


_ALL_MODELS = {
    "res.partner",
    "crm.lead",
    "sale.order",
    "sale.order.line",
    "project.project",
    "project.task",
    "hr.employee",
    "account.analytic.line",
    "account.move",
    "account.move.line",
    "account.payment",
    "account.analytic.account",
}
