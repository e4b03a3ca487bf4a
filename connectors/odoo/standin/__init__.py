"""An in-process Odoo 18/19 stand-in speaking JSON-2, JSON-RPC and XML-RPC.

It reproduces the behaviour recorded from real servers in `shared/odoo/`; a
difference from the recordings is a bug here.

    from opsgate.connectors.odoo.standin import FaultRule, OdooStandin

    with OdooStandin(version=19) as standin:      # or version=18
        standin.url           # http://127.0.0.1:<port>
        standin.database      # "standin" (send it as X-Odoo-Database / db)
        standin.api_key       # admin (uid 2); password "admin" works too
        standin.demo_api_key  # non-admin demo user: AccessErrors as recorded
        standin.inject(FaultRule("rate_limit", model="res.partner", times=2))
        standin.inject(FaultRule("unavailable", method="load"))
        standin.inject(FaultRule("slow", delay_s=5))
        rule = standin.inject(FaultRule("rename_field", model="res.partner",
                                 field="phone", renamed_to="phone_mobile"))
        standin.remove_fault(rule)  # one rule; clear_faults() for all
        standin.reset()       # back to the seeded demo records
        standin.db            # the in-memory tables, for seeding in tests

`OdooStandin(version=19, pace=Pace.recorded(19))` holds answers back as long
as the recorded real server took. `opsgate odoo-standin` serves one in the
foreground.
"""

from opsgate.connectors.odoo.standin.injection import FaultRule
from opsgate.connectors.odoo.standin.pace import Pace
from opsgate.connectors.odoo.standin.server import OdooStandin

__all__ = ["FaultRule", "OdooStandin", "Pace"]
