"""The client against faults injected into the stand-in: rate limits, outages,
slow answers and a renamed field, over every protocol the stand-in speaks."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest

from opsgate.connectors.errors import ConnectorError, ErrorCategory, RetryLater
from opsgate.connectors.odoo import OdooClient, OdooSettings, OutcomeUncertain


@pytest.fixture(scope="module", params=[(18, "jsonrpc"), (18, "xmlrpc"), (19, "json2")])
def standin(request: pytest.FixtureRequest) -> Iterator[tuple[Any, str]]:
    try:
        module = importlib.import_module("opsgate.connectors.odoo.standin")
    except ImportError:
        pytest.skip(
            "the Odoo stand-in (branch odoo-standin) is not in this checkout yet"
        )
    version, transport = request.param
    with module.OdooStandin(version=version) as server:
        yield server, transport


@pytest.fixture
def server(standin):
    server, _ = standin
    yield server
    server.clear_faults()


def _client(standin, **overrides: Any) -> OdooClient:
    server, transport = standin
    settings = OdooSettings(
        url=server.url,
        database=server.database,
        api_key=server.api_key,
        transport=transport,
        **overrides,
    )
    return OdooClient(settings=settings)


def _rule(**kwargs: Any) -> Any:
    module = importlib.import_module("opsgate.connectors.odoo.standin")
    return module.FaultRule(**kwargs)


async def test_rate_limit_raises_retry_later_and_the_next_call_works(standin, server):
    async with _client(standin) as client:
        await client.connect()
        server.inject(
            _rule(kind="rate_limit", model="res.partner", times=1, retry_after_s=2)
        )
        with pytest.raises(RetryLater) as caught:
            await client.search_count("res.partner")
        assert await client.search_count("res.partner") >= 0

    assert caught.value.category is ErrorCategory.RATE_LIMIT
    assert caught.value.delay_s == 2.0


async def test_outage_raises_retry_later_as_unavailable(standin, server):
    async with _client(standin) as client:
        await client.connect()
        server.inject(_rule(kind="unavailable", model="res.partner", times=1))
        with pytest.raises(ConnectorError) as caught:
            await client.search_count("res.partner")

    assert caught.value.category is ErrorCategory.UNAVAILABLE
    assert caught.value.retryable is True


async def test_slow_read_times_out_and_can_be_retried(standin, server):
    async with _client(standin, timeout_s=0.2) as client:
        await client.connect()
        server.inject(_rule(kind="slow", model="res.partner", times=1, delay_s=1.0))
        with pytest.raises(ConnectorError) as caught:
            await client.search_count("res.partner")

    assert caught.value.category is ErrorCategory.TIMEOUT
    assert caught.value.retryable is True
    assert caught.value.outcome_uncertain is False


async def test_slow_write_times_out_with_the_outcome_uncertain(standin, server):
    async with _client(standin, timeout_s=0.2) as client:
        partner = await client.create("res.partner", {"name": "Slow write"})
        server.inject(
            _rule(
                kind="slow", model="res.partner", method="write", times=1, delay_s=1.0
            )
        )
        with pytest.raises(OutcomeUncertain) as caught:
            await client.write("res.partner", [partner], {"phone": "+1 555 0100"})

    assert caught.value.category is ErrorCategory.TIMEOUT
    assert caught.value.retryable is False


async def test_renamed_field_is_schema_drift(standin, server):
    server.inject(
        _rule(kind="rename_field", model="res.partner", field="ref", renamed_to="x_ref")
    )
    async with _client(standin) as client:
        with pytest.raises(ConnectorError) as caught:
            await client.search_read(
                "res.partner", [["ref", "=", "HS-1001"]], fields=["name"]
            )

    assert caught.value.category is ErrorCategory.SCHEMA_DRIFT


async def test_schema_drift_drops_the_cached_fields_of_the_model(standin, server):
    async with _client(standin) as client:
        assert "ref" in await client.fields_get("res.partner")
        server.inject(
            _rule(
                kind="rename_field",
                model="res.partner",
                field="ref",
                renamed_to="x_ref",
            )
        )
        with pytest.raises(ConnectorError):
            await client.search_read(
                "res.partner", [["ref", "=", "x"]], fields=["name"]
            )
        fields = await client.fields_get("res.partner")

    assert "x_ref" in fields and "ref" not in fields
