"""Triage reads the record an incident concerns from Odoo, through the connector."""

import asyncio

from pydantic import SecretStr

from opsgate.agent.related import OdooRelatedRecords
from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.odoo.settings import OdooSettings
from opsgate.connectors.odoo.standin import OdooStandin


def test_record_a_delivery_wrote_is_read_back_by_external_id():
    with OdooStandin(version=18) as odoo:
        settings = OdooSettings(
            url=odoo.url, database=odoo.database, api_key=SecretStr(odoo.api_key)
        )
        reader = OdooRelatedRecords(settings)

        async def seed():
            async with OdooClient(settings=settings) as client:
                await client.upsert(
                    "res.partner",
                    [
                        {
                            "id": "opsgate.hubspot_customer_1001",
                            "name": "Acme",
                            "is_company": "1",
                        }
                    ],
                )

        asyncio.run(seed())
        found = reader(
            {
                "target": "odoo",
                "payload": {"external_id": "opsgate.hubspot_customer_1001"},
            }
        )
        missing = reader(
            {"target": "odoo", "payload": {"external_id": "opsgate.hubspot_customer_9"}}
        )

    assert found[0]["model"] == "res.partner"
    assert found[0]["record"]["display_name"] == "Acme"
    assert missing == [
        {
            "external_id": "opsgate.hubspot_customer_9",
            "model": None,
            "id": None,
            "record": None,
        }
    ]


def test_other_targets_and_unreachable_odoo_give_no_records():
    settings = OdooSettings(
        url="http://127.0.0.1:9", database="x", api_key=SecretStr("k"), timeout_s=1
    )
    reader = OdooRelatedRecords(settings)

    assert reader({"target": "hubspot", "payload": {"external_id": "opsgate.x"}}) == []
    assert reader({"target": "odoo", "payload": {"external_id": "opsgate.x_1"}}) == []
