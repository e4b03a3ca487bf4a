"""Read the records an incident is about from Odoo, through the connector.

Triage's context is the store's view (event, delivery, attempts) plus what
Odoo holds now for the same external id: whether the record exists, is
archived, was written since. The read is read-only and best effort: a
connector failure leaves the context without it and is logged, never raised.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from opsgate.connectors.errors import ConnectorError
from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.odoo.settings import OdooSettings

log = structlog.get_logger(__name__)

RELATED_FIELDS = ("display_name", "write_date", "active")
"""Fields read from each related record (those a model lacks are dropped)."""


class OdooRelatedRecords:
    """Find, by external id, the Odoo record a delivery was writing."""

    def __init__(self, settings: OdooSettings) -> None:
        self._settings = settings

    def __call__(self, facts: dict[str, Any]) -> list[dict[str, Any]]:
        """Return `[{"model", "id", "external_id", "record"}]`, or `[]` when none applies."""
        external_id = (facts.get("payload") or {}).get("external_id")
        if facts.get("target") != "odoo" or not isinstance(external_id, str):
            return []
        try:
            return asyncio.run(self._read(external_id))
        except ConnectorError as exc:
            log.warning(
                "triage.related_unreadable", external_id=external_id, error=exc.message
            )
            return []

    async def _read(self, external_id: str) -> list[dict[str, Any]]:
        module, _, name = external_id.partition(".")
        async with OdooClient(settings=self._settings) as odoo:
            links = await odoo.search_read(
                "ir.model.data",
                [["module", "=", module], ["name", "=", name]],
                fields=["model", "res_id"],
                limit=1,
            )
            if not links:
                return [
                    {
                        "external_id": external_id,
                        "model": None,
                        "id": None,
                        "record": None,
                    }
                ]
            model, record_id = links[0]["model"], int(links[0]["res_id"])
            known = await odoo.fields_get(model)
            fields = [f for f in RELATED_FIELDS if f in known]
            records = await odoo.read(
                model, [record_id], fields=fields, context={"active_test": False}
            )
        return [
            {
                "external_id": external_id,
                "model": model,
                "id": record_id,
                "record": records[0] if records else None,
            }
        ]
