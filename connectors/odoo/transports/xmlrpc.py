"""XML-RPC (`/xmlrpc/2/common`, `/xmlrpc/2/object`), for proxies that allow nothing else.

Known limitation: XML-RPC cannot carry a None result. Odoo then answers with
fault 1 "cannot marshal None" *after* committing the change (`action_post` of
a payment, `action_lock`, `create_invoices`); that fault becomes
`OutcomeUncertain` and the client reads the record back. Prefer JSON-2 or
JSON-RPC where the server offers them.
"""

from __future__ import annotations

import itertools
import xmlrpc.client
from collections.abc import Mapping
from typing import Any

import httpx

from opsgate.connectors.odoo.calls import READ_METHODS, OdooCall
from opsgate.connectors.odoo.errors import TARGET
from opsgate.connectors.odoo.faults import (
    error_from_fault,
    fault_from_http,
    fault_from_xmlrpc,
    translate_httpx_errors,
)
from opsgate.connectors.odoo.settings import OdooSettings
from opsgate.connectors.odoo.transports.jsonrpc import checked_uid


def decode_xmlrpc_response(
    status: int,
    headers: Mapping[str, str],
    text: str,
    *,
    operation: str,
    model: str | None = None,
) -> Any:
    """Return the value of an XML-RPC answer, or raise its `ConnectorError`."""
    if status == 200 and "<methodResponse>" in text:
        try:
            (value,), _ = xmlrpc.client.loads(text, use_builtin_types=True)
        except xmlrpc.client.Fault as fault:
            parsed = fault_from_xmlrpc(fault.faultCode, fault.faultString)
            raise error_from_fault(parsed, operation=operation, model=model) from None
        except Exception as exc:  # expat and value errors on a garbled body
            parsed = fault_from_http(status, headers, text, protocol="http")
            raise error_from_fault(parsed, operation=operation, model=model) from exc
        return value
    raise error_from_fault(
        fault_from_http(status, headers, text), operation=operation, model=model
    )


class XmlRpcTransport:
    """Speak XML-RPC: `common.authenticate` once, then `object.execute_kw`."""

    name = "xmlrpc"

    def __init__(self, *, http: httpx.AsyncClient, settings: OdooSettings) -> None:
        self._http = http
        self._settings = settings
        self._uid: int | None = None
        self._ids = itertools.count(1)

    async def rpc(
        self,
        service: str,
        method: str,
        params: tuple[Any, ...],
        *,
        call: OdooCall | None = None,
    ) -> Any:
        """Call one method of `/xmlrpc/2/<service>` and return its value."""
        body = xmlrpc.client.dumps(params, method, allow_none=True)
        operation, model = method, None
        if method == "execute_kw":
            model, operation = str(params[3]), str(params[4])
        writes = method == "execute_kw" and operation not in READ_METHODS
        with translate_httpx_errors(
            TARGET, operation, model=model, may_have_applied=writes
        ):
            response = await self._http.post(
                f"/xmlrpc/2/{service}",
                content=body.encode("utf-8"),
                headers={"Content-Type": "text/xml"},
                extensions={
                    "opsgate_operation": f"{model or service}.{operation}",
                    "opsgate_call": call,
                },
            )
            text = response.text
        return decode_xmlrpc_response(
            response.status_code,
            response.headers,
            text,
            operation=operation,
            model=model,
        )

    async def authenticate(self) -> int | None:
        """Log in with `common.authenticate`; False is an `auth` error."""
        settings = self._settings
        uid = await self.rpc(
            "common",
            "authenticate",
            (settings.database, settings.login, settings.secret, {}),
        )
        self._uid = checked_uid(
            uid, login=settings.login, database=settings.database, protocol=self.name
        )
        return self._uid

    async def execute(self, call: OdooCall) -> Any:
        """Run `execute_kw` for one call (logging in first if needed)."""
        if self._uid is None:
            await self.authenticate()
        args, kwargs = call.execute_kw_arguments()
        settings = self._settings
        params: tuple[Any, ...] = (
            settings.database,
            self._uid,
            settings.secret,
            call.model,
            call.method,
            args,
        )
        if kwargs:
            params = (*params, kwargs)
        return await self.rpc("object", "execute_kw", params, call=call)
