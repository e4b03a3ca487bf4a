"""HTTP responses shaped like Werkzeug's answers from a real Odoo.

Headers as recorded: `Content-Type: ...; charset=utf-8`, `Connection: close`
on every answer, `X-Content-Type-Options: nosniff` on successful JSON, and
JSON bodies on one line, UTF-8, non-ASCII not escaped, `", "`/`": "`
separators. Also the HTML pages Odoo sends where RPC was expected.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.responses import Response

from opsgate.connectors.odoo.standin.injection import FaultInjector

SERVER = "Werkzeug/2.2.2 Python/3.11.7"
JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"


def _headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Server": SERVER, "Connection": "close", **(extra or {})}


def json_response(
    body: Any,
    *,
    status: int = 200,
    nosniff: bool = True,
    headers: dict[str, str] | None = None,
) -> Response:
    """A JSON answer, encoded the way Odoo encodes it."""
    extra = dict(headers or {})
    if nosniff:
        extra["X-Content-Type-Options"] = "nosniff"
    text = json.dumps(body, ensure_ascii=False, default=str)
    return Response(
        text.encode(),
        status_code=status,
        media_type=None,
        headers={**_headers(extra), "Content-Type": JSON_TYPE},
    )


def html_response(
    body: str, *, status: int, headers: dict[str, str] | None = None
) -> Response:
    """An HTML page (Werkzeug error, redirect or 'no database' page)."""
    return Response(
        body.encode(),
        status_code=status,
        media_type=None,
        headers={**_headers(headers), "Content-Type": HTML_TYPE},
    )


def xml_response(body: str) -> Response:
    """An XML-RPC answer (always HTTP 200)."""
    return Response(
        body.encode(),
        status_code=200,
        media_type=None,
        headers={
            **_headers({"X-Content-Type-Options": "nosniff"}),
            "Content-Type": XML_TYPE,
        },
    )


def werkzeug_page(status: int, title: str, text: str) -> str:
    """The HTML body Werkzeug renders for an HTTP error."""
    return (
        f"<!doctype html>\n<html lang=en>\n<title>{status} {title}</title>\n"
        f"<h1>{title}</h1>\n<p>{text}</p>\n"
    )


def redirect_page(location: str) -> str:
    """The HTML body Werkzeug sends with a 303 redirect."""
    return (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the "
        f'target URL: <a href="{location}">{location}</a>. If not, click the link.\n'
    )


NO_DATABASE_PAGE = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>No database is selected and the requested URL was not found in the "
    "server-wide controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>"
    "login</a> and try again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n"
)


async def injected(
    injector: FaultInjector, model: str | None, method: str | None
) -> Response | None:
    """Apply a transport-level injected fault: a 429/503 answer, or a delay."""
    rule = injector.take(model, method)
    if rule is None:
        return None
    if rule.kind == "slow":
        await asyncio.sleep(rule.delay_s)
        return None
    headers = (
        {} if rule.retry_after_s is None else {"Retry-After": f"{rule.retry_after_s:g}"}
    )
    if rule.kind == "rate_limit":
        return html_response(
            werkzeug_page(
                429, "Too Many Requests", "Too many requests. Try again later."
            ),
            status=429,
            headers=headers,
        )
    return html_response(
        werkzeug_page(
            503,
            "Service Unavailable",
            "The server is temporarily unable to service your request.",
        ),
        status=503,
        headers=headers,
    )


async def hold_back(seconds: float) -> None:
    """Wait before answering when the stand-in is paced like a real Odoo."""
    if seconds > 0:
        await asyncio.sleep(seconds)
