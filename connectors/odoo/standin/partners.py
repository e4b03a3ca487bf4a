"""Contacts (`res.partner`), external ids (`ir.model.data`), users, leads.

Recorded rules: a contact's display name is "Company, Person"; a contact with
a parent takes its parent's address; a partner may not become its own
ancestor (ValidationError); `ir.model.data.check_object_reference` answers
`[model, res_id]` or a ValueError for an unknown external id; a lead's
probability stays within 0–100; `crm.lead.action_set_won` moves it to the won
stage with probability 100.
"""

from __future__ import annotations

from typing import Any

from opsgate.connectors.odoo.standin.behaviour import Behaviour, register
from opsgate.connectors.odoo.standin.faults import ValidationError, value_error
from opsgate.connectors.odoo.standin.orm import Env, Model

_ADDRESS = ("street", "street2", "city", "zip", "country_id", "state_id")
WON_STAGE_ID = 4


def _partner_display(env: Env, row: dict[str, Any]) -> str:
    name = row.get("name") or ""
    parent = env.db.table("res.partner").get(row.get("parent_id") or 0)
    if parent is not None and not row.get("is_company"):
        return (
            f"{_partner_display(env, parent)}, {name}"
            if name
            else _partner_display(env, parent)
        )
    return str(name)


def _commercial_partner(env: Env, row: dict[str, Any]) -> int:
    table = env.db.table("res.partner")
    current, seen = row, set()
    while not current.get("is_company") and current.get("parent_id") in table:
        if current["id"] in seen:
            break
        seen.add(current["id"])
        current = table[current["parent_id"]]
    return int(current["id"])


def _sync_address(env: Env, ids: list[int]) -> None:
    partners = Model(env, "res.partner")
    for record_id in ids:
        row = partners.table[record_id]
        parent = partners.table.get(row.get("parent_id") or 0)
        if parent is not None and row.get("type", "contact") == "contact":
            copied = {f: parent.get(f, False) for f in _ADDRESS}
            if any(row.get(f) != v for f, v in copied.items()):
                env.db.update("res.partner", record_id, copied)


def _check_recursion(env: Env, ids: list[int]) -> None:
    table = env.db.table("res.partner")
    for record_id in ids:
        seen: set[int] = set()
        current = table.get(record_id)
        while current is not None and current.get("parent_id"):
            if current["id"] in seen or current["parent_id"] == record_id:
                raise ValidationError(
                    "You cannot create recursive Partner hierarchies."
                )
            seen.add(current["id"])
            current = table.get(current["parent_id"])


register(
    "res.partner",
    Behaviour(
        order="complete_name asc, id desc",
        defaults=lambda env, vals: {
            "type": "contact",
            "is_company": False,
            "lang": "en_US",
        },
        after_create=_sync_address,
        after_write=lambda env, ids, vals: _sync_address(env, ids),
        check=_check_recursion,
        display_name=_partner_display,
        computed={
            "commercial_partner_id": _commercial_partner,
            "complete_name": _partner_display,
            "company_type": lambda env, row: (
                "company" if row.get("is_company") else "person"
            ),
        },
    ),
)


def _index_xmlids(env: Env, ids: list[int]) -> None:
    for record_id in ids:
        row = env.db.table("ir.model.data")[record_id]
        env.db.set_xmlid(row["module"], row["name"], row["model"], row["res_id"])


def _check_object_reference(env: Env, module: str, name: str) -> list[Any]:
    hit = env.db.xmlids.get((module, name))
    if hit is None:
        raise value_error(f"External ID not found in the system: {module}.{name}")
    return [hit[0], hit[1]]


register(
    "ir.model.data",
    Behaviour(
        required=("module", "name", "model"),
        after_create=_index_xmlids,
        computed={"complete_name": lambda env, row: f"{row['module']}.{row['name']}"},
        display_name=lambda env, row: f"{row['module']}.{row['name']}",
        model_methods={"check_object_reference": _check_object_reference},
    ),
)


def _lead_check(env: Env, ids: list[int]) -> None:
    for record_id in ids:
        probability = env.db.table("crm.lead")[record_id].get("probability") or 0.0
        if not 0 <= probability <= 100:
            raise ValidationError(
                "The operation cannot be completed: The probability of closing the "
                "deal should be between 0% and 100%!"
            )


def _action_set_won(env: Env, ids: list[int]) -> bool:
    Model(env, "crm.lead").ensure_exist(ids)
    Model(env, "crm.lead").touch(
        ids, {"stage_id": WON_STAGE_ID, "probability": 100.0, "date_closed": env.db.now}
    )
    return True


register(
    "crm.lead",
    Behaviour(
        required=("name",),
        defaults=lambda env, vals: {
            "type": "lead",
            "stage_id": 1,
            "probability": 10.0,
            "company_id": 1,
            "user_id": env.uid,
        },
        check=_lead_check,
        methods={"action_set_won": _action_set_won},
    ),
)


def _context_get(env: Env) -> dict[str, Any]:
    return {"lang": "en_US", "tz": "Europe/Brussels", "uid": env.uid}


register(
    "res.users",
    Behaviour(order="name asc, id asc", model_methods={"context_get": _context_get}),
)
register("res.country", Behaviour(order="name asc"))
