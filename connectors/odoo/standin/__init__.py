"""An in-process Odoo 18/19 stand-in speaking JSON-2, JSON-RPC and XML-RPC.

It reproduces the behaviour recorded from real servers in `shared/odoo/`; a
difference from the recordings is a bug here. Start it with `OdooStandin`.
"""

from opsgate.connectors.odoo.standin.injection import FaultRule
from opsgate.connectors.odoo.standin.server import OdooStandin

__all__ = ["FaultRule", "OdooStandin"]
