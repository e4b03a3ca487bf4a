"""`POST /xmlrpc/2/{common,object,db}` and legacy `/xmlrpc/<service>`: XML-RPC.

Faults are HTTP 200 `<fault>`s with the integer codes Odoo 18/19 use (1 with
a traceback for Python errors, 2 user/validation/missing, 3 access denied, 4
access error). The legacy endpoints (no `/2`) send string faultCodes instead:
"warning -- UserError" and the message, "AccessDenied", or the message itself
with the traceback as faultString. A method returning None is a fault 1
"cannot marshal None" sent *after* the change was committed, as recorded.
Datetimes go out as strings. GET answers 405.
"""

from __future__ import annotations

import xmlrpc.client
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from opsgate.connectors.odoo.standin.faults import (
    AccessDenied,
    AccessError,
    MissingError,
    OdooFault,
    PythonFault,
    UserError,
    as_fault,
)
from opsgate.connectors.odoo.standin.gateway import Gateway
from opsgate.connectors.odoo.standin.responses import (
    hold_back,
    html_response,
    injected,
    werkzeug_page,
    xml_response,
)
from opsgate.connectors.odoo.standin.wire_jsonrpc import dispatch_rpc

_MARSHAL_NONE = PythonFault(
    "TypeError", "cannot marshal None unless allow_none is enabled"
)


def _envelope(inner: str) -> str:
    return f'<?xml version="1.0"?>\n<methodResponse>\n{inner}\n</methodResponse>\n'


def fault_xml(code: int, text: str) -> str:
    """An XML-RPC fault document."""
    inner = xmlrpc.client.Marshaller(allow_none=False).dumps(
        xmlrpc.client.Fault(code, text)
    )
    return _envelope(inner)


def result_xml(result: Any, *, legacy: bool = False) -> str:
    """An XML-RPC result document; None cannot be marshalled (fault 1)."""
    try:
        inner = xmlrpc.client.Marshaller(allow_none=False).dumps((result,))
    except TypeError:
        return _fault(_MARSHAL_NONE, legacy=legacy)
    return _envelope(inner)


def legacy_fault(fault: OdooFault) -> tuple[str, str]:
    """The string faultCode and faultString of the legacy `/xmlrpc/<service>`."""
    if isinstance(fault, AccessDenied):
        return "AccessDenied", fault.message
    if isinstance(fault, MissingError | AccessError):
        kind = type(fault).__name__
    elif isinstance(fault, UserError):
        kind = "UserError"
    else:
        return fault.message, fault.debug
    return f"warning -- {kind}\n\n{fault.message}", ""


def _fault(fault: OdooFault, *, legacy: bool) -> str:
    if legacy:
        code, text = legacy_fault(fault)
        inner = xmlrpc.client.Marshaller(allow_none=False).dumps(
            xmlrpc.client.Fault(code, text)  # type: ignore[arg-type]
        )
        return _envelope(inner)
    return fault_xml(fault.xmlrpc_code, fault.fault_string)


def _model_and_method(
    service: str, method: str, params: tuple[Any, ...]
) -> tuple[str | None, str]:
    if service == "object" and len(params) >= 5:
        return str(params[3]), str(params[4])
    return None, method


async def xmlrpc_endpoint(request: Request) -> Response:
    """Answer one XML-RPC request on `/xmlrpc/2/<service>` or legacy `/xmlrpc/<service>`."""
    if request.method != "POST":
        page = werkzeug_page(
            405,
            "Method Not Allowed",
            "The method is not allowed for the requested URL.",
        )
        return html_response(page, status=405, headers={"Allow": "OPTIONS, POST"})
    gateway: Gateway = request.app.state.gateway
    service = request.path_params["service"]
    legacy = not request.url.path.startswith("/xmlrpc/2/")
    try:
        params, method = xmlrpc.client.loads(await request.body(), use_datetime=False)
    except Exception as exc:  # noqa: BLE001 - any parse error is fault 1, as in Odoo
        fault = PythonFault(f"{type(exc).__module__}.{type(exc).__name__}", str(exc))
        return xml_response(_fault(fault, legacy=legacy))
    model, name = _model_and_method(service, method or "", params)
    early = await injected(gateway.injector, model, name)
    if early is not None:
        return early
    gateway.note_legacy_endpoint(request.url.path)
    try:
        result = dispatch_rpc(gateway, "xmlrpc", service, method or "", list(params))
    except Exception as exc:  # noqa: BLE001 - Odoo answers every error as a fault
        await hold_back(gateway.take_hold_back_s(name))
        return xml_response(_fault(as_fault(exc), legacy=legacy))
    await hold_back(gateway.take_hold_back_s(name))
    return xml_response(result_xml(result, legacy=legacy))
