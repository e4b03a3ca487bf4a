"""What every wire format does around a model call: schema drift.

`Gateway.call` applies an active field rename (schema drift) and runs the
call on the service; the wire modules only translate
bytes to arguments and results or faults back to bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import structlog

from opsgate.connectors.odoo.standin.faults import value_error
from opsgate.connectors.odoo.standin.injection import (
    FaultInjector,
    mentions_field,
    rename_keys,
    swap_names,
)
from opsgate.connectors.odoo.standin.pace import Pace
from opsgate.connectors.odoo.standin.service import OdooService

log = structlog.get_logger(__name__)

DEPRECATION = (
    "The /xmlrpc, /xmlrpc/2 and /jsonrpc endpoints are deprecated in Odoo 19 and "
    "scheduled for removal in Odoo 20. Please report the problem to the client making "
    "the request."
)
"""The WARNING a real Odoo 19 logs (server side only) for each legacy RPC call."""


class Gateway:
    """The service plus the injected faults, as the wires see them."""

    def __init__(
        self, service: OdooService, injector: FaultInjector, pace: Pace | None = None
    ) -> None:
        self.service = service
        self.injector = injector
        self.pace = pace
        self._model_call = False
        self._deprecation_logged = False

    def take_hold_back_s(self, method: str | None = None) -> float:
        """How long to hold the answer of the call just made (0 without pacing).

        Called by the wire right after the call, on the event loop thread that
        ran it, so the counters are this call's.
        """
        if self.pace is None:
            return 0.0
        db = self.service.db
        created, updated = (db.created, db.updated) if self._model_call else (0, 0)
        self._model_call = False
        return self.pace.delay_s(
            created=created,
            updated=updated,
            authenticated=method in ("authenticate", "login"),
        )

    def note_legacy_endpoint(self, endpoint: str) -> None:
        """On 19, log Odoo's deprecation warning (once per stand-in, not per call).

        A real Odoo 19 logs it on every call and says nothing in the response;
        the stand-in logs it once so test output stays readable.
        """
        if self.service.version >= 19 and not self._deprecation_logged:
            self._deprecation_logged = True
            log.warning(
                "standin.legacy_endpoint_called",
                endpoint=endpoint,
                odoo_log=DEPRECATION,
            )

    def call(
        self,
        protocol: str,
        model: str,
        method: str,
        payload: Any,
        run: Callable[[Any], Any],
    ) -> Any:
        """Run `run(payload)` for `model.method`, honouring renames; log it."""
        renames = self.injector.renames(model)
        if renames:
            for old in renames:
                if mentions_field(payload, old):
                    raise value_error(f"Invalid field {old!r} on model {model!r}")
            payload = swap_names(payload, {new: old for old, new in renames.items()})
        self._model_call = True
        result = run(payload)
        return rename_keys(result, renames) if renames else result
