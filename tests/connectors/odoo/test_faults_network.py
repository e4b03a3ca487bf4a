"""Faults that no recording holds: proxies, rate limits, timeouts, refused ports.

These replies come from in-between systems rather than Odoo, so they are
produced with `httpx.MockTransport` at the network edge.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import httpx
import pytest

from opsgate.connectors.errors import ConnectorError, ErrorCategory, RetryLater
from opsgate.connectors.odoo import OdooClient, OdooSettings
from opsgate.connectors.odoo.errors import OutcomeUncertain
from opsgate.connectors.odoo.faults import retry_after_seconds

PROXY_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body>"
    "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)
LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Odoo</title></head><body>"
    '<form action="/web/login" method="post"><input name="login"/></form></body></html>'
)


def _client(object_answer: Callable[[httpx.Request], httpx.Response]) -> OdooClient:
    """A JSON-RPC client whose login works and whose object calls get `object_answer`."""

    def handler(request: httpx.Request) -> httpx.Response:
        payload = json.loads(request.content)
        if payload["params"]["service"] == "common":
            return httpx.Response(200, json={"jsonrpc": "2.0", "id": 1, "result": 2})
        return object_answer(request)

    settings = OdooSettings(
        url="http://odoo.test", database="db", api_key="k", transport="jsonrpc"
    )
    return OdooClient(settings=settings, transport=httpx.MockTransport(handler))


async def _search(client: OdooClient) -> None:
    async with client:
        await client.search_read("res.partner", [], fields=["name"], limit=1)


async def test_429_with_retry_after_raises_retry_later_with_the_delay():
    client = _client(
        lambda r: httpx.Response(429, headers={"Retry-After": "7"}, text="slow down")
    )

    with pytest.raises(RetryLater) as caught:
        await _search(client)

    assert caught.value.category is ErrorCategory.RATE_LIMIT
    assert caught.value.delay_s == 7.0
    assert caught.value.retryable is True


async def test_503_with_http_date_retry_after_is_unavailable_and_waits():
    later = "Wed, 21 Oct 2099 07:28:00 GMT"
    client = _client(
        lambda r: httpx.Response(503, headers={"Retry-After": later}, text="")
    )

    with pytest.raises(RetryLater) as caught:
        await _search(client)

    assert caught.value.category is ErrorCategory.UNAVAILABLE
    assert caught.value.delay_s > 0


@pytest.mark.parametrize("status", [502, 504])
async def test_proxy_error_page_is_unavailable_and_retryable(status):
    client = _client(
        lambda r: httpx.Response(
            status, text=PROXY_PAGE, headers={"content-type": "text/html"}
        )
    )

    with pytest.raises(ConnectorError) as caught:
        await _search(client)

    assert caught.value.category is ErrorCategory.UNAVAILABLE
    assert caught.value.retryable is True
    assert not isinstance(caught.value, RetryLater)
    assert "Bad Gateway" in caught.value.message


async def test_login_page_where_rpc_was_expected_is_an_auth_error():
    client = _client(
        lambda r: httpx.Response(
            200, text=LOGIN_PAGE, headers={"content-type": "text/html"}
        )
    )

    with pytest.raises(ConnectorError) as caught:
        await _search(client)

    assert caught.value.category is ErrorCategory.AUTH
    assert caught.value.retryable is False


async def test_redirect_to_the_login_page_is_an_auth_error():
    client = _client(
        lambda r: httpx.Response(303, headers={"Location": "/web/login?redirect=x"})
    )

    with pytest.raises(ConnectorError) as caught:
        await _search(client)

    assert caught.value.category is ErrorCategory.AUTH


async def test_read_timeout_on_a_read_is_retryable():
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(ConnectorError) as caught:
        await _search(_client(timeout))

    assert caught.value.category is ErrorCategory.TIMEOUT
    assert caught.value.retryable is True
    assert caught.value.outcome_uncertain is False


async def test_read_timeout_on_a_write_leaves_the_outcome_uncertain():
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = _client(timeout)
    with pytest.raises(OutcomeUncertain) as caught:
        async with client:
            await client.write("res.partner", [7], {"name": "x"}, check=False)

    assert caught.value.category is ErrorCategory.TIMEOUT
    assert caught.value.retryable is False
    assert caught.value.outcome_uncertain is True


async def test_refused_connection_is_unavailable_and_retryable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = OdooSettings(url=f"http://127.0.0.1:{port}", database="db", api_key="k")

    with pytest.raises(ConnectorError) as caught:
        async with OdooClient(settings=settings) as client:
            await client.connect()

    assert caught.value.category is ErrorCategory.UNAVAILABLE
    assert caught.value.retryable is True


async def test_a_body_that_is_not_rpc_at_all_is_unknown():
    client = _client(
        lambda r: httpx.Response(
            200, text="hello", headers={"content-type": "text/plain"}
        )
    )

    with pytest.raises(ConnectorError) as caught:
        await _search(client)

    assert caught.value.category is ErrorCategory.UNKNOWN


def test_retry_after_reads_seconds_and_dates():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


async def test_the_api_key_never_appears_in_an_error():
    def refuse(request: httpx.Request) -> httpx.Response:
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "error": {
                "code": 200,
                "message": "Odoo Server Error",
                "data": {
                    "name": "odoo.exceptions.AccessDenied",
                    "message": "Access Denied",
                    "debug": "Authorization: Bearer sekrit-key-123",
                },
            },
        }
        return httpx.Response(200, json=body)

    with pytest.raises(ConnectorError) as caught:
        await _search(_client(refuse))

    assert "sekrit-key-123" not in json.dumps(caught.value.to_dict())
    assert caught.value.category is ErrorCategory.AUTH
