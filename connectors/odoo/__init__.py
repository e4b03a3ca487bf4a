"""The Odoo connector: one async client over JSON-2, JSON-RPC and XML-RPC."""

from opsgate.connectors.odoo.calls import OdooCall
from opsgate.connectors.odoo.client import OdooClient, OdooWriteRecord, WriteObserver
from opsgate.connectors.odoo.cursor import ChangeCursor, CursorPosition
from opsgate.connectors.odoo.errors import (
    OdooRowError,
    OdooValueRefused,
    OutcomeUncertain,
)
from opsgate.connectors.odoo.load import LoadResult
from opsgate.connectors.odoo.settings import OdooSettings, OdooTransportName
from opsgate.connectors.odoo.upsert import RowOutcome, UpsertResult, UpsertRow

__all__ = [
    "ChangeCursor",
    "CursorPosition",
    "LoadResult",
    "OdooCall",
    "OdooClient",
    "OdooRowError",
    "OdooSettings",
    "OdooTransportName",
    "OdooValueRefused",
    "OdooWriteRecord",
    "OutcomeUncertain",
    "RowOutcome",
    "UpsertResult",
    "UpsertRow",
    "WriteObserver",
]
