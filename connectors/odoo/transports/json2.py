"""The JSON-2 API of Odoo 19 and later: one URL per method, bearer API key."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.odoo.calls import OdooCall
from opsgate.connectors.odoo.errors import TARGET
from opsgate.connectors.odoo.faults import (
    error_from_fault,
    fault_from_error_body,
    fault_from_http,
    translate_httpx_errors,
)
from opsgate.connectors.odoo.settings import OdooSettings

PROBE = OdooCall("res.partner", "search_count", params={"domain": []})
"""The cheap call that checks the key (JSON-2 has no login step)."""


def decode_json2_response(
    status: int, headers: Mapping[str, str], text: str, *, call: OdooCall
) -> Any:
    """Return the result of a JSON-2 answer, or raise its `ConnectorError`."""
    content_type = headers.get("content-type", "")
    body: Any = None
    if "json" in content_type:
        try:
            body = json.loads(text) if text else None
        except ValueError:
            body = None
    if status == 200 and "json" in content_type:
        return body
    if 300 <= status < 400 and "/web/login" in headers.get("location", text):
        raise ConnectorError(
            f"Odoo answered {call.operation} over JSON-2 with a redirect to its"
            " login page: this server has no JSON-2 API (Odoo 19 or later)."
            " Set odoo.transport = 'jsonrpc'.",
            category=ErrorCategory.SCHEMA_DRIFT,
            retryable=False,
            target=TARGET,
            operation=call.method,
            model=call.model,
            fault=fault_from_http(status, headers, text).to_dict(),
        )
    if isinstance(body, Mapping) and "name" in body:
        fault = fault_from_error_body(body, protocol="json2", http_status=status)
    else:
        fault = fault_from_http(status, headers, text)
    raise error_from_fault(fault, operation=call.method, model=call.model)


class Json2Transport:
    """Speak JSON-2: `POST /json/2/<model>/<method>` with named arguments."""

    name = "json2"

    def __init__(self, *, http: httpx.AsyncClient, settings: OdooSettings) -> None:
        self._http = http
        self._headers = {"Authorization": f"bearer {settings.secret}"}
        if settings.database:
            self._headers["X-Odoo-Database"] = settings.database

    async def authenticate(self) -> int | None:
        """Check the key with one cheap call; JSON-2 does not reveal the uid."""
        await self.execute(PROBE)
        return None

    async def execute(self, call: OdooCall) -> Any:
        """Send one call and decode its answer."""
        with translate_httpx_errors(
            TARGET, call.method, model=call.model, may_have_applied=call.changes_data
        ):
            response = await self._http.post(
                f"/json/2/{call.model}/{call.method}",
                json=call.json2_body(),
                headers=self._headers,
                extensions={"opsgate_operation": call.operation, "opsgate_call": call},
            )
            text = response.text
        return decode_json2_response(
            response.status_code, response.headers, text, call=call
        )
