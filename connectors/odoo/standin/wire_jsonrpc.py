"""`POST /jsonrpc`: Odoo's JSON-RPC (services `common`, `object`, `db`).

Every RPC error is HTTP 200 with `error.code` 200 (Odoo 18) or 0 (Odoo 19)
and `error.data` = `{name, debug, message, arguments, context}` (19 puts
`debug` last). A method returning None answers with no `result` key at all,
as recorded. A body that is not JSON is a 400 "Invalid JSON data" page; a
wrong Content-Type a 400 HTML page.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from opsgate.connectors.odoo.standin.faults import (
    OdooFault,
    PythonFault,
    as_fault,
    type_error,
)
from opsgate.connectors.odoo.standin.gateway import Gateway
from opsgate.connectors.odoo.standin.responses import (
    hold_back,
    html_response,
    injected,
    json_response,
    werkzeug_page,
)


def error_body(fault: OdooFault, version: int) -> dict[str, Any]:
    """The `error` member of a JSON-RPC answer."""
    data: dict[str, Any] = {"name": fault.name}
    if version < 19:
        data["debug"] = fault.debug
    data.update(message=fault.message, arguments=fault.arguments, context={})
    if version >= 19:
        data["debug"] = fault.debug
    return {
        "code": 200 if version < 19 else 0,
        "message": "Odoo Server Error",
        "data": data,
    }


def _common(gateway: Gateway, method: str, args: list[Any]) -> Any:
    service = gateway.service
    if method == "version":
        return service.version_info
    if method in ("authenticate", "login"):
        database, login, password = args[0], args[1], args[2]
        return service.authenticate(database, login, password)
    raise PythonFault("Exception", f"Method not found: {method}")


def dispatch_rpc(
    gateway: Gateway, protocol: str, service_name: str, method: str, args: list[Any]
) -> Any:
    """Run one RPC call of a service; shared with XML-RPC."""
    if service_name == "common":
        return _common(gateway, method, args)
    if service_name == "db" and method == "list":
        return [gateway.service.database]
    if service_name != "object":
        raise PythonFault("KeyError", service_name)
    if method not in ("execute_kw", "execute"):
        raise PythonFault("Exception", f"Method not found: {method}")
    database, uid, password, model, name = args[:5]
    call_args = list(args[5]) if len(args) > 5 else []
    kwargs = dict(args[6]) if len(args) > 6 and args[6] else {}
    if method == "execute":
        call_args, kwargs = list(args[5:]), {}
    return gateway.call(
        protocol,
        model,
        name,
        {"args": call_args, "kwargs": kwargs},
        lambda p: gateway.service.execute_kw(
            database, uid, password, model, name, p["args"], p["kwargs"]
        ),
    )


def _model_and_method(params: dict[str, Any]) -> tuple[str | None, str | None]:
    args = params.get("args") or []
    if params.get("service") == "object" and len(args) >= 5:
        return str(args[3]), str(args[4])
    return None, params.get("method")


async def jsonrpc(request: Request) -> Response:
    """Answer one JSON-RPC request."""
    gateway: Gateway = request.app.state.gateway
    if not request.headers.get("content-type", "").startswith("application/json"):
        text = (
            "Request inferred type is compatible with [&#39;http&#39;] but "
            "&#39;/jsonrpc&#39; is type=&#39;json&#39;."
        )
        return html_response(werkzeug_page(400, "Bad Request", text), status=400)
    try:
        body = json.loads(await request.body())
    except ValueError:
        return html_response("Invalid JSON data", status=400)
    request_id = body.get("id") if isinstance(body, dict) else None
    params = body.get("params") if isinstance(body, dict) else None
    params = params if isinstance(params, dict) else {}
    model, method = _model_and_method(params)
    early = await injected(gateway.injector, model, method)
    if early is not None:
        return early
    version = gateway.service.version
    gateway.note_legacy_endpoint("/jsonrpc")
    try:
        if "method" not in params or "args" not in params:
            missing = [n for n in ("method", "args") if n not in params]
            raise type_error(
                f"RPC.jsonrpc() missing {len(missing)} required positional argument"
                f"{'s' if len(missing) > 1 else ''}: "
                + " and ".join(repr(n) for n in missing)
            )
        result = dispatch_rpc(
            gateway,
            "jsonrpc",
            str(params.get("service")),
            str(params["method"]),
            list(params["args"]),
        )
    except Exception as exc:  # noqa: BLE001 - Odoo answers every error as a fault
        fault = as_fault(exc)
        await hold_back(gateway.take_hold_back_s(method))
        return json_response(
            {"jsonrpc": "2.0", "id": request_id, "error": error_body(fault, version)},
            nosniff=False,
        )
    await hold_back(gateway.take_hold_back_s(method))
    answer: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id}
    if result is not None:
        answer["result"] = result
    return json_response(answer)
