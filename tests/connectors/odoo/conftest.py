"""The Odoo targets the contract suite runs against, and the facts each one holds.

`odoo_server` is parametrized over the recordings of Odoo 18 (JSON-RPC and
XML-RPC chains) and 19 (JSON-2) replayed by a loopback server, the in-process
stand-in announcing 18 or 19, and a real Odoo when `OPSGATE_TEST_ODOO_URL`,
`OPSGATE_TEST_ODOO_DB` and `OPSGATE_TEST_ODOO_API_KEY` are set.

A recording can only answer what was recorded, so each target comes with the
facts its story holds (ids, values, rows). Live targets (stand-in, real Odoo)
make their own facts through the client before the check runs.
"""

from __future__ import annotations

import importlib
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from opsgate.connectors.odoo import OdooClient, OdooSettings

sys.path.insert(0, str(Path(__file__).parent))

from tests.connectors.odoo.recorded_odoo import RecordedOdoo  # noqa: E402

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
    missing: dict[str, str] = field(default_factory=dict)
    """Why a check has no facts here (check name to reason)."""


@dataclass
class OdooTarget:
    """One server the contract suite talks to."""

    name: str
    settings: OdooSettings
    live: bool
    """True when state carries across calls (stand-in, real Odoo)."""
    facts: Facts | None = None
    replay: RecordedOdoo | None = None

    def client(self, **overrides: Any) -> OdooClient:
        """A new client for this target (settings fields may be overridden)."""
        settings = self.settings.model_copy(update=overrides)
        return OdooClient(settings=settings)

    def require_live(self, reason: str) -> None:
        """Skip the check on replayed recordings, which hold no changing state."""
        if not self.live:
            pytest.skip(f"{self.name}: {reason}")

    def fact(self, name: str) -> dict[str, Any]:
        """The facts for one check, or skip with the reason they are missing."""
        assert self.facts is not None
        value = getattr(self.facts, name)
        if value is None:
            pytest.skip(f"{self.name}: {self.facts.missing.get(name, 'not recorded')}")
        return value


# --- the recordings ---------------------------------------------------------------

_J18 = Facts(
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
    missing={"create_many": "the 18 corpus records no multi-record create"},
)

_X18 = Facts(
    transport="xmlrpc",
    search={**_J18.search, "ids": [578, 579, 580, 581]},
    read_missing=_J18.read_missing,
    create_one={
        "model": "res.partner",
        "values": {
            "name": "Woodgrove Legal (second duplicate)",
            "is_company": True,
            "ref": "HS-1098",
        },
    },
    write=_J18.write,
    unlink={"model": "res.partner", "id": 11057, "verify": False},
    write_deleted=_J18.write_deleted,
    load_good={
        "model": "res.partner",
        "columns": _J18.load_good["columns"],
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
    load_bad=_J18.load_bad,
    private_method=_J18.private_method,
    unknown_field_domain=_J18.unknown_field_domain,
    refuse_integer=_J18.refuse_integer,
    refuse_many2one=_J18.refuse_many2one,
    refuse_timesheet=_J18.refuse_timesheet,
    none_action={
        "model": "sale.order",
        "method": "action_lock",
        "id": 32,
        "expect": {"locked": True},
    },
    missing={"create_many": "the 18 corpus records no multi-record create"},
)

_J19 = Facts(
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
    missing={
        "load_bad": "the 19 recordings hold the failed load but not the resend of its good row",
        "refuse_integer": "the 19 recordings hold no fields_get listing an integer field",
        "refuse_timesheet": "the 19 recordings hold no fields_get of account.analytic.line",
    },
)


@pytest.fixture(scope="session")
def recorded_18() -> Iterator[RecordedOdoo]:
    server = RecordedOdoo("18").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def recorded_19() -> Iterator[RecordedOdoo]:
    server = RecordedOdoo("19").start()
    yield server
    server.stop()


def _recorded_target(name: str, replay: RecordedOdoo, facts: Facts) -> OdooTarget:
    replay.rewind()
    transport = "xmlrpc" if facts.transport == "xmlrpc" else "auto"
    settings = OdooSettings(
        url=replay.url,
        database=replay.database,
        api_key="<api-key>",
        transport=transport,
    )
    return OdooTarget(
        name=name, settings=settings, live=False, facts=facts, replay=replay
    )


# --- the stand-in and a real server -----------------------------------------------


@pytest.fixture(scope="session")
def standin_servers() -> Iterator[dict[int, Any]]:
    started: dict[int, Any] = {}
    yield started
    for server in started.values():
        server.__exit__(None, None, None)


def _standin(version: int, servers: dict[int, Any]) -> Any:
    try:
        module = importlib.import_module("opsgate.connectors.odoo.standin")
    except ImportError:
        pytest.skip(
            "the Odoo stand-in (opsgate.connectors.odoo.standin, branch odoo-standin)"
            " is not in this checkout yet"
        )
    if version not in servers:
        servers[version] = module.OdooStandin(version=version).__enter__()
    return servers[version]


def _live_target(
    name: str, url: str, database: str | None, api_key: str, transport: str
) -> OdooTarget:
    settings = OdooSettings(
        url=url, database=database, api_key=api_key, transport=transport
    )
    return OdooTarget(name=name, settings=settings, live=True)


TARGETS = [
    "recordings-18",
    "recordings-18-xmlrpc",
    "recordings-19",
    "standin-18",
    "standin-18-xmlrpc",
    "standin-19",
    "live",
]


@pytest.fixture(params=TARGETS)
async def odoo_server(request: pytest.FixtureRequest) -> AsyncIterator[OdooTarget]:
    """One target, with the facts its data holds."""
    name = request.param
    if name.startswith("recordings-18"):
        facts = _X18 if name.endswith("xmlrpc") else _J18
        yield _recorded_target(name, request.getfixturevalue("recorded_18"), facts)
        return
    if name == "recordings-19":
        yield _recorded_target(name, request.getfixturevalue("recorded_19"), _J19)
        return
    if name.startswith("standin"):
        version = 18 if "18" in name else 19
        server = _standin(version, request.getfixturevalue("standin_servers"))
        transport = "xmlrpc" if name.endswith("xmlrpc") else "auto"
        target = _live_target(
            name, server.url, server.database, server.api_key, transport
        )
    else:
        url = os.environ.get("OPSGATE_TEST_ODOO_URL")
        key = os.environ.get("OPSGATE_TEST_ODOO_API_KEY")
        if not url or not key:
            pytest.skip(
                "set OPSGATE_TEST_ODOO_URL, OPSGATE_TEST_ODOO_DB and"
                " OPSGATE_TEST_ODOO_API_KEY to run against a real Odoo"
            )
        target = _live_target(
            name, url, os.environ.get("OPSGATE_TEST_ODOO_DB"), key, "auto"
        )
    async with target.client() as client:
        target.facts = await make_live_facts(client)
    yield target


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
        missing={"none_action": "this server holds no sale order to lock"},
    )
