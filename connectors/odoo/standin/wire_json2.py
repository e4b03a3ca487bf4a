"""`POST /json/2/<model>/<method>`: the JSON-2 API of Odoo 19 (and `/json/version`).

As recorded: bearer API key (scheme case-insensitive), optional
`X-Odoo-Database` (an unknown name is a 404 HTML page), named arguments in a
JSON object body (`ids` and `context` beside them), the bare result on
success, and `{name, message, arguments, context, debug}` with the HTTP
status of the exception on failure (401 with `WWW-Authenticate: Bearer`).
On Odoo 18 every `/json/2/...` URL redirects to the login page (303).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from opsgate.connectors.odoo.standin.faults import HttpFault, OdooFault, as_fault
from opsgate.connectors.odoo.standin.gateway import Gateway
from opsgate.connectors.odoo.standin.responses import (
    NO_DATABASE_PAGE,
    hold_back,
    html_response,
    injected,
    json_response,
    redirect_page,
    werkzeug_page,
)

_NOT_AUTHENTICATED = (
    "User not authenticated, use an API Key with a Bearer Authorization header."
)
_ROUTE_HINT = "Did you mean POST /json/2/<model>/<method>?"


def error_response(fault: OdooFault) -> Response:
    """A JSON-2 error answer."""
    body = {
        "name": fault.name,
        "message": fault.message,
        "arguments": fault.arguments,
        "context": {},
        "debug": fault.debug,
    }
    headers = {"WWW-Authenticate": "Bearer"} if fault.json2_status == 401 else None
    return json_response(
        body, status=fault.json2_status, nosniff=False, headers=headers
    )


def _login_redirect(path: str) -> Response:
    location = "/web/login?redirect=" + quote(f"{path}?", safe="")
    return html_response(
        redirect_page(location), status=303, headers={"Location": location}
    )


async def json2_endpoint(request: Request) -> Response:
    """Answer one request under `/json/2`."""
    gateway: Gateway = request.app.state.gateway
    service = gateway.service
    if service.version < 19:
        return _login_redirect(request.url.path)
    database = request.headers.get("x-odoo-database")
    if database is not None and database != service.database:
        return html_response(NO_DATABASE_PAGE, status=404)
    model = request.path_params.get("model")
    method = request.path_params.get("method")
    if request.method != "POST" or not model or not method:
        return error_response(HttpFault(404, _ROUTE_HINT))
    content_type = request.headers.get("content-type", "")
    body_bytes = await request.body()
    if body_bytes and not content_type.startswith("application/json"):
        return _unsupported_media_type()
    user = _bearer_user(gateway, request.headers.get("authorization", ""))
    if isinstance(user, Response):
        return user
    early = await injected(gateway.injector, model, method)
    if early is not None:
        return early
    try:
        body = _parse_body(body_bytes)
        result = gateway.call(
            "json2",
            model,
            method,
            body,
            lambda b: service.call_json2(user, model, method, b),
        )
    except Exception as exc:  # noqa: BLE001 - Odoo answers every error as a fault
        await hold_back(gateway.take_hold_back_s(method))
        return error_response(as_fault(exc))
    await hold_back(gateway.take_hold_back_s(method))
    return json_response(result)


def _unsupported_media_type() -> Response:
    text = (
        "Request inferred type is compatible with [&#39;http&#39;] but "
        "&#39;/json/2/&lt;__model__&gt;/&lt;__method__&gt;&#39; is type=&#39;json2&#39;."
        "<br><br>Please verify the Content-Type request header and try again."
    )
    page = werkzeug_page(415, "Unsupported Media Type", text)
    return html_response(page, status=415, headers={"Accept": "application/json"})


def _bearer_user(gateway: Gateway, header: str) -> Any:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return error_response(HttpFault(401, _NOT_AUTHENTICATED))
    user = gateway.service.user_for_key(token.strip())
    if user is None:
        return error_response(HttpFault(401, "Invalid apikey"))
    return user


def _parse_body(raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise HttpFault(400, f"could not parse the body as json: {exc}") from exc
    return body if isinstance(body, dict) else {}


async def version_endpoint(request: Request) -> Response:
    """`GET /web/version` and `/json/version`, which Odoo 19's `rpc` addon serves.

    Known limitation: the 18 recordings hold no `/web/version` exchange; the
    route comes with 19's `rpc` addon, so the stand-in playing 18 answers it
    with the 404 page of any unknown route and clients fall back to
    `common.version`.
    """
    service: Any = request.app.state.gateway.service
    if service.version < 19:
        return await not_found(request)
    info = service.version_info
    body = {
        "version_info": info["server_version_info"],
        "version": info["server_version"],
    }
    cookie = "session_id=standin; Max-Age=604800; HttpOnly; Path=/"
    return json_response(body, headers={"Set-Cookie": cookie})


async def not_found(request: Request) -> Response:
    """Werkzeug's 404 page for any other URL."""
    text = (
        "The requested URL was not found on the server. If you entered the URL "
        "manually please check your spelling and try again."
    )
    return html_response(werkzeug_page(404, "Not Found", text), status=404)
