"""The models the stand-in knows and their fields.

Field metadata for the models the recordings describe comes from the recorded
`fields_get` answers (`schema/<model>.json`, copied by
`scripts/extract_odoo_schema.py`). The few models the workflows only point at
(countries, companies, journals, stages, ...) and `account.payment`, which has
no recorded `fields_get`, get a small hand-written field list here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).with_name("schema")

_MAGIC_FIELDS: dict[str, dict[str, Any]] = {
    "id": {"string": "ID", "type": "integer", "readonly": True},
    "display_name": {"string": "Display Name", "type": "char", "readonly": True},
    "create_date": {"string": "Created on", "type": "datetime", "readonly": True},
    "write_date": {"string": "Last Updated on", "type": "datetime", "readonly": True},
    "create_uid": {
        "string": "Created by",
        "type": "many2one",
        "relation": "res.users",
        "readonly": True,
    },
    "write_uid": {
        "string": "Last Updated by",
        "type": "many2one",
        "relation": "res.users",
        "readonly": True,
    },
}


def _fields(
    **spec: tuple[str, str] | tuple[str, str, str],
) -> dict[str, dict[str, Any]]:
    """Build field metadata from `name=(type, label[, relation])` pairs."""
    out: dict[str, dict[str, Any]] = {}
    for name, parts in spec.items():
        attrs: dict[str, Any] = {"type": parts[0], "string": parts[1]}
        if len(parts) == 3:
            attrs["relation"] = parts[2]
        out[name] = attrs
    return out


# Known limitation: these models have no recorded fields_get, so their field
# lists are hand-written and hold only what the workflows read or write.
_HAND_WRITTEN: dict[str, tuple[str, dict[str, dict[str, Any]]]] = {
    "res.country": (
        "Country",
        _fields(name=("char", "Country Name"), code=("char", "Country Code")),
    ),
    "res.currency": ("Currency", _fields(name=("char", "Currency"))),
    "res.company": (
        "Companies",
        _fields(
            name=("char", "Company Name"),
            currency_id=("many2one", "Currency", "res.currency"),
        ),
    ),
    "res.users": (
        "User",
        _fields(
            name=("char", "Name"),
            login=("char", "Login"),
            share=("boolean", "Share User"),
            partner_id=("many2one", "Related Partner", "res.partner"),
            active=("boolean", "Active"),
        ),
    ),
    "uom.uom": ("Product Unit of Measure", _fields(name=("char", "Unit of Measure"))),
    "crm.stage": (
        "CRM Stages",
        _fields(name=("char", "Stage Name"), is_won=("boolean", "Is Won Stage?")),
    ),
    "project.task.type": ("Task Stage", _fields(name=("char", "Name"))),
    "account.account": (
        "Account",
        _fields(name=("char", "Account Name"), code=("char", "Code")),
    ),
    "account.journal": (
        "Journal",
        _fields(
            name=("char", "Journal Name"),
            code=("char", "Short Code"),
            type=("char", "Type"),
        ),
    ),
    "account.analytic.account": (
        "Analytic Account",
        _fields(
            name=("char", "Analytic Account"),
            code=("char", "Reference"),
            partner_id=("many2one", "Customer", "res.partner"),
            active=("boolean", "Active"),
        ),
    ),
    "ir.config_parameter": (
        "System Parameter",
        _fields(key=("char", "Key"), value=("text", "Value")),
    ),
    "account.payment.method.line": ("Payment Methods", _fields(name=("char", "Name"))),
    "sale.advance.payment.inv": (
        "Sales Advance Payment Invoice",
        {
            **_fields(sale_order_ids=("many2many", "Sales Orders", "sale.order")),
            "advance_payment_method": {
                "type": "selection",
                "string": "Create Invoice",
                "selection": [
                    ["delivered", "Regular invoice"],
                    ["percentage", "Down payment (percentage)"],
                    ["fixed", "Down payment (fixed amount)"],
                ],
            },
        },
    ),
    "account.payment.register": (
        "Pay",
        _fields(
            journal_id=("many2one", "Journal", "account.journal"),
            amount=("monetary", "Amount"),
            payment_date=("date", "Payment Date"),
            communication=("char", "Memo"),
            line_ids=("many2many", "Journal items", "account.move.line"),
        ),
    ),
    "account.payment": (
        "Payments",
        {
            **_fields(
                name=("char", "Number"),
                amount=("monetary", "Amount"),
                partner_id=("many2one", "Customer/Vendor", "res.partner"),
                journal_id=("many2one", "Journal", "account.journal"),
                move_id=("many2one", "Journal Entry", "account.move"),
                outstanding_account_id=(
                    "many2one",
                    "Outstanding Account",
                    "account.account",
                ),
                memo=("char", "Memo"),
                payment_method_line_id=(
                    "many2one",
                    "Payment Method",
                    "account.payment.method.line",
                ),
                date=("date", "Date"),
                currency_id=("many2one", "Currency", "res.currency"),
                is_reconciled=("boolean", "Is Reconciled"),
                is_matched=("boolean", "Is Matched With a Bank Statement"),
                invoice_ids=("many2many", "Invoices", "account.move"),
                reconciled_invoice_ids=(
                    "many2many",
                    "Reconciled Invoices",
                    "account.move",
                ),
            ),
            "state": {
                "type": "selection",
                "string": "Status",
                "selection": [
                    ["draft", "Draft"],
                    ["in_process", "In Process"],
                    ["paid", "Paid"],
                    ["canceled", "Canceled"],
                    ["rejected", "Rejected"],
                ],
            },
            "payment_type": {
                "type": "selection",
                "string": "Payment Type",
                "required": True,
                "selection": [["outbound", "Send"], ["inbound", "Receive"]],
            },
            "partner_type": {
                "type": "selection",
                "string": "Partner Type",
                "selection": [["customer", "Customer"], ["supplier", "Vendor"]],
            },
        },
    ),
}

# Models whose recorded description is the one the UI shows in AccessError
# messages and load's "Possible Values" hints.
_DESCRIPTIONS = {
    "res.partner": "Contact",
    "project.project": "Project",
    "project.task": "Task",
    "hr.employee": "Employee",
    "account.analytic.line": "Analytic Line",
    "sale.order": "Sales Order",
    "sale.order.line": "Sales Order Line",
    "account.move": "Journal Entry",
    "account.move.line": "Journal Item",
    "product.product": "Product Variant",
    "crm.lead": "Lead/Opportunity",
    "ir.model.data": "Model Data",
}

# one2many fields computed from the many2one that points back (inverse).
INVERSES: dict[tuple[str, str], str] = {
    ("res.partner", "child_ids"): "parent_id",
    ("sale.order", "order_line"): "order_id",
    ("account.move", "invoice_line_ids"): "move_id",
    ("account.move", "line_ids"): "move_id",
    ("project.project", "task_ids"): "project_id",
    ("project.task", "timesheet_ids"): "task_id",
    ("hr.employee", "timesheet_ids"): "employee_id",
    ("project.project", "timesheet_ids"): "project_id",
    ("sale.order.line", "task_ids"): "sale_line_id",
}


@dataclass(frozen=True)
class Field:
    """One field of a model, as `fields_get` describes it."""

    name: str
    type: str
    string: str
    attrs: dict[str, Any]
    """Every recorded attribute, as `fields_get` returns them."""

    @property
    def relation(self) -> str | None:
        """The comodel of a relational field."""
        relation: str | None = self.attrs.get("relation")
        return relation

    @property
    def stored(self) -> bool:
        """Whether the field is stored (assumed so when the recording is silent)."""
        return bool(self.attrs.get("store", True))

    @property
    def searchable(self) -> bool:
        """Whether a domain may use it; non-searchable leaves are ignored."""
        return bool(self.attrs.get("searchable", self.stored))

    @property
    def selection_values(self) -> list[str]:
        """The allowed values of a selection field."""
        return [pair[0] for pair in self.attrs.get("selection", [])]


@dataclass
class ModelSpec:
    """A model: its name, description and fields."""

    name: str
    description: str
    fields: dict[str, Field] = field(default_factory=dict)

    def has_active(self) -> bool:
        """Whether the model archives records through an `active` field."""
        return "active" in self.fields


def _build(name: str, description: str, raw: dict[str, dict[str, Any]]) -> ModelSpec:
    spec = ModelSpec(name=name, description=description)
    merged = {**{k: dict(v) for k, v in _MAGIC_FIELDS.items()}, **raw}
    for fname, attrs in merged.items():
        attrs = {"readonly": False, "required": False, **attrs}
        spec.fields[fname] = Field(fname, attrs["type"], attrs["string"], attrs)
    return spec


@cache
def model_specs() -> dict[str, ModelSpec]:
    """Return every model the stand-in serves, keyed by name."""
    specs: dict[str, ModelSpec] = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        name = path.name.removesuffix(".json")
        raw = json.loads(path.read_text(encoding="utf-8"))
        specs[name] = _build(name, _DESCRIPTIONS.get(name, name), raw)
    for name, (description, raw) in _HAND_WRITTEN.items():
        specs[name] = _build(name, description, raw)
    return specs
