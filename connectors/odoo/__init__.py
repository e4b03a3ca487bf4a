"""The Odoo connector: one async client over JSON-2, JSON-RPC and XML-RPC."""

from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.odoo.cursor import CursorPosition
from opsgate.connectors.odoo.settings import OdooSettings, OdooTransportName
from opsgate.connectors.odoo.upsert import RowOutcome, UpsertResult, UpsertRow

__all__ = [
    "CursorPosition",
    "OdooClient",
    "OdooSettings",
    "OdooTransportName",
    "RowOutcome",
    "UpsertResult",
    "UpsertRow",
]
