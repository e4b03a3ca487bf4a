import asyncio

import httpx
from structlog.testing import capture_logs

from opsgate.connectors.odoo import OdooClient, OdooSettings


async def test_each_call_writes_one_log_line_with_operation_status_and_duration():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/web/version":
            return httpx.Response(
                200, json={"version_info": [19, 0, 0, "final", 0, ""]}
            )
        return httpx.Response(200, json=61)

    settings = OdooSettings(url="http://odoo.test", api_key="sekrit-key")
    with capture_logs() as logs:
        async with OdooClient(
            settings=settings, transport=httpx.MockTransport(handler)
        ) as odoo:
            assert await odoo.search_count("res.partner") == 61

    calls = [entry for entry in logs if entry["event"] == "odoo.called"]
    assert [c["operation"] for c in calls] == [
        "web_version",
        "res.partner.search_count",
        "res.partner.search_count",
    ]
    assert all(c["status"] == 200 and c["duration_ms"] >= 0 for c in calls)
    assert "sekrit-key" not in repr(logs)


async def test_concurrent_calls_connect_once():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/web/version":
            return httpx.Response(200, json={"version_info": [19, 0]})
        return httpx.Response(200, json=1)

    settings = OdooSettings(url="http://odoo.test", api_key="k")
    async with OdooClient(
        settings=settings, transport=httpx.MockTransport(handler)
    ) as odoo:
        await asyncio.gather(*(odoo.search_count("res.partner") for _ in range(5)))

    assert seen.count("/web/version") == 1


async def test_calls_that_change_data_are_reported_to_the_write_observer():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/web/version":
            return httpx.Response(200, json={"version_info": [19, 0]})
        if request.url.path.endswith("/write"):
            return httpx.Response(200, json=True)
        return httpx.Response(200, json=[{"id": 66, "phone": "+1"}])

    records = []

    async def observe(record):
        records.append(record)

    settings = OdooSettings(url="http://odoo.test", api_key="k")
    transport = httpx.MockTransport(handler)
    async with OdooClient(
        settings=settings, transport=transport, on_write=observe
    ) as odoo:
        await odoo.write("res.partner", [66], {"phone": "+1"}, check=False, verify=True)

    assert [(r.model, r.method, r.ids, r.fields, r.status) for r in records] == [
        ("res.partner", "write", [66], ["phone"], 200)
    ]


async def test_a_failing_write_observer_does_not_fail_the_call():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/web/version":
            return httpx.Response(200, json={"version_info": [19, 0]})
        return httpx.Response(200, json=[70])

    async def broken(record):
        raise RuntimeError("audit store down")

    settings = OdooSettings(url="http://odoo.test", api_key="k")
    transport = httpx.MockTransport(handler)
    with capture_logs() as logs:
        async with OdooClient(
            settings=settings, transport=transport, on_write=broken
        ) as odoo:
            assert await odoo.create("res.partner", {"name": "x"}, check=False) == 70

    assert any(entry["event"] == "odoo.write_observer_failed" for entry in logs)
