"""Facts for live targets (stand-in, real Odoo), made through the client itself."""

from __future__ import annotations

import uuid

from opsgate.connectors.odoo import OdooClient
from tests.connectors.odoo.odoo_facts import Facts


async def make_live_facts(client: OdooClient) -> Facts:
    """Create the records the checks need on a live server, under a fresh tag."""
    tag = uuid.uuid4().hex[:8]
    transport = await client.connect()
    partners = await client.create_many(
        "res.partner",
        [
            {"name": f"Contract {tag} {n}", "ref": f"CT-{tag}-{n}", "is_company": True}
            for n in range(3)
        ],
    )
    gone = await client.create("res.partner", {"name": f"Contract {tag} gone"})
    await client.unlink("res.partner", [gone])
    doomed = await client.create("res.partner", {"name": f"Contract {tag} doomed"})
    xid = f"opsgate.contract_{tag}"
    good_row = [f"{xid}_1003", f"Fabrikam {tag}", "1", "base.us", "contact"]
    orders = await client.search("sale.order", [], limit=1, order="id asc")
    return Facts(
        transport=transport,
        search={
            "model": "res.partner",
            "domain": [["ref", "like", f"CT-{tag}-"]],
            "fields": ["name", "ref"],
            "order": "id asc",
            "limit": 2,
            "offset": 1,
            "ids": partners[1:],
        },
        read_missing={
            "model": "res.partner",
            "ids": [partners[0], gone],
            "fields": ["name"],
            "found": [partners[0]],
        },
        create_one={"model": "res.partner", "values": {"name": f"Contract {tag} one"}},
        create_many={
            "model": "res.partner",
            "values": [
                {"name": f"Contract {tag} many 1", "parent_id": partners[0]},
                {"name": f"Contract {tag} many 2", "city": "Zürich"},
            ],
        },
        write={
            "model": "res.partner",
            "id": partners[0],
            "values": {"phone": "+1 555 0100", "street": "1 Main St"},
        },
        unlink={"model": "res.partner", "id": doomed, "verify": True},
        write_deleted={
            "model": "res.partner",
            "id": gone,
            "values": {"phone": "+1 555 0199"},
        },
        load_good={
            "model": "res.partner",
            "columns": ["id", "name", "is_company", "ref"],
            "rows": [
                [f"{xid}_1", f"Load {tag} 1", "1", f"LD-{tag}-1"],
                [f"{xid}_2", f"Load {tag} 2", "0", f"LD-{tag}-2"],
            ],
        },
        load_bad={
            "model": "res.partner",
            "columns": ["id", "name", "is_company", "country_id/id", "type"],
            "rows": [
                good_row,
                [f"{xid}_1004", f"Tailspin {tag}", "1", "base.xx", "contact"],
                [f"{xid}_1005", f"Litware {tag}", "1", "base.us", "bogus"],
            ],
            "bad": {1: ("country_id", "base.xx"), 2: ("type", "bogus")},
        },
        private_method={
            "model": "sale.order",
            "method": "_create_invoices",
            "ids": orders[:1] or [1],
        },
        unknown_field_domain={
            "model": "res.partner",
            "method": "search_read",
            "domain": [["hubspot_id", "=", "1001"]],
            "fields": ["name"],
            "limit": 1,
        },
        refuse_integer={
            "model": "res.partner",
            "values": {"name": "Integer", "color": 3.7},
            "field": "color",
        },
        refuse_many2one={
            "model": "res.partner",
            "id": partners[0],
            "values": {"country_id": "Belgium"},
            "field": "country_id",
        },
        refuse_timesheet={
            "model": "account.analytic.line",
            "values": {
                "date": "2026-11-26",
                "unit_amount": 1,
                "name": f"No project {tag}",
            },
            "field": "project_id",
        },
        none_action={
            "model": "sale.order",
            "method": "action_lock",
            "id": orders[0],
            "expect": {"locked": True},
        }
        if orders
        else None,
        silent_write={
            "model": "res.partner",
            "id": partners[0],
            "values": {"country_id": "United States"},
        }
        if transport == "json2"
        else None,
        missing={
            "none_action": "this server holds no sale order to lock",
            "silent_write": "the string-in-many2one trap is recorded for Odoo 19 only",
        },
    )
