"""JSON-RPC (`/jsonrpc`, `execute_kw`): Odoo 16-18, deprecated from 19."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any

import httpx

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.odoo.calls import READ_METHODS, OdooCall
from opsgate.connectors.odoo.errors import TARGET
from opsgate.connectors.odoo.faults import (
    error_from_fault,
    fault_from_error_body,
    fault_from_http,
    fault_from_jsonrpc,
    translate_httpx_errors,
)
from opsgate.connectors.odoo.settings import OdooSettings


def decode_jsonrpc_response(
    status: int,
    headers: Mapping[str, str],
    text: str,
    *,
    operation: str,
    model: str | None = None,
) -> Any:
    """Return the `result` of a JSON-RPC answer, or raise its `ConnectorError`."""
    body: Any = None
    if "json" in headers.get("content-type", ""):
        try:
            body = json.loads(text)
        except ValueError:
            body = None
    if (
        isinstance(body, Mapping)
        and "error" in body
        and isinstance(body["error"], Mapping)
    ):
        fault = fault_from_jsonrpc(body["error"], http_status=status)
        raise error_from_fault(fault, operation=operation, model=model)
    if status == 200 and isinstance(body, Mapping) and "jsonrpc" in body:
        # A None result comes back with no `result` member at all (226).
        return body.get("result")
    if isinstance(body, Mapping) and "name" in body:
        fault = fault_from_error_body(body, protocol="jsonrpc", http_status=status)
    else:
        fault = fault_from_http(status, headers, text)
    raise error_from_fault(fault, operation=operation, model=model)


def checked_uid(uid: Any, *, login: str, database: str | None, protocol: str) -> int:
    """Return the uid `common.authenticate` answered; False is an `auth` error."""
    if isinstance(uid, int) and not isinstance(uid, bool):
        return uid
    raise ConnectorError(
        f"Odoo refused the login {login!r} on database {database!r} over {protocol}:"
        f" authenticate answered {uid!r}. Check odoo.login and odoo.api_key.",
        category=ErrorCategory.AUTH,
        retryable=False,
        target=TARGET,
        operation="authenticate",
        fault={"result": uid},
    )


class JsonRpcTransport:
    """Speak JSON-RPC: `common.authenticate` once, then `object.execute_kw`."""

    name = "jsonrpc"

    def __init__(self, *, http: httpx.AsyncClient, settings: OdooSettings) -> None:
        self._http = http
        self._settings = settings
        self._ids = itertools.count(1)
        self._uid: int | None = None

    async def rpc(
        self,
        service: str,
        method: str,
        args: list[Any],
        *,
        call: OdooCall | None = None,
    ) -> Any:
        """Call one service method and return its result."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self._ids),
        }
        operation, model = method, None
        if method == "execute_kw":
            model, operation = str(args[3]), str(args[4])
        writes = method == "execute_kw" and operation not in READ_METHODS
        with translate_httpx_errors(
            TARGET, operation, model=model, may_have_applied=writes
        ):
            response = await self._http.post(
                "/jsonrpc",
                json=payload,
                extensions={
                    "opsgate_operation": f"{model or service}.{operation}",
                    "opsgate_call": call,
                },
            )
            text = response.text
        return decode_jsonrpc_response(
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
            [settings.database, settings.login, settings.secret, {}],
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
        params: list[Any] = [
            settings.database,
            self._uid,
            settings.secret,
            call.model,
            call.method,
            args,
        ]
        if kwargs:
            params.append(kwargs)
        return await self.rpc("object", "execute_kw", params, call=call)
