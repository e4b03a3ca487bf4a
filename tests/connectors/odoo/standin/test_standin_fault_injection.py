from __future__ import annotations

import xmlrpc.client

import httpx
import pytest

from opsgate.connectors.odoo.standin import FaultRule, OdooStandin
from tests.connectors.odoo.standin.conftest import Json2


def test_rate_limit_answers_429_with_retry_after_then_recovers(
    standin19: OdooStandin, json2: Json2
) -> None:
    standin19.inject(
        FaultRule("rate_limit", model="res.partner", times=2, retry_after_s=3)
    )

    first = json2.post("res.partner", "search_count", domain=[])
    second = json2.post("res.partner", "search_count", domain=[])
    third = json2.post("res.partner", "search_count", domain=[])

    assert [first.status_code, second.status_code, third.status_code] == [429, 429, 200]
    assert first.headers["retry-after"] == "3"


def test_rate_limit_applies_only_to_the_named_method(
    standin19: OdooStandin, json2: Json2
) -> None:
    standin19.inject(FaultRule("rate_limit", model="res.partner", method="create"))

    assert json2.post("res.partner", "search_count", domain=[]).status_code == 200
    assert (
        json2.post("res.partner", "create", vals_list={"name": "x"}).status_code == 429
    )


def test_unavailable_answers_503_on_jsonrpc_too(standin18: OdooStandin) -> None:
    standin18.inject(FaultRule("unavailable", retry_after_s=None))
    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {"service": "common", "method": "version", "args": []},
    }

    response = httpx.post(f"{standin18.url}/jsonrpc", json=body)

    assert response.status_code == 503
    assert "retry-after" not in response.headers
    assert response.headers["content-type"].startswith("text/html")


def test_slow_answer_makes_a_short_client_timeout_fire(
    standin19: OdooStandin, json2: Json2
) -> None:
    standin19.inject(FaultRule("slow", model="res.partner", delay_s=2.0, times=1))

    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{standin19.url}/json/2/res.partner/search_count",
            json={"domain": []},
            headers={"Authorization": f"bearer {standin19.api_key}"},
            timeout=0.2,
        )


def test_renamed_field_is_refused_under_its_old_name_and_served_under_the_new(
    standin19: OdooStandin, json2: Json2
) -> None:
    standin19.inject(
        FaultRule(
            "rename_field",
            model="res.partner",
            field="phone",
            renamed_to="phone_number",
        )
    )

    refused = json2.post("res.partner", "search_read", domain=[], fields=["phone"])
    fields = json2.call("res.partner", "fields_get", attributes=["type"])
    read = json2.call(
        "res.partner", "search_read", domain=[["id", "=", 1]], fields=["phone_number"]
    )

    assert refused.status_code == 500
    assert refused.json()["name"] == "builtins.ValueError"
    assert "phone_number" in fields and "phone" not in fields
    assert list(read[0]) == ["id", "phone_number"]


def test_renamed_field_on_xmlrpc_is_a_fault_1(standin18: OdooStandin) -> None:
    standin18.inject(
        FaultRule(
            "rename_field",
            model="res.partner",
            field="email",
            renamed_to="email_address",
        )
    )
    proxy = xmlrpc.client.ServerProxy(f"{standin18.url}/xmlrpc/2/object")

    with pytest.raises(xmlrpc.client.Fault) as fault:
        proxy.execute_kw(
            standin18.database,
            2,
            standin18.api_key,
            "res.partner",
            "create",
            [{"name": "Drift", "email": "a@b.example"}],
        )

    assert fault.value.faultCode == 1
    assert "Invalid field 'email'" in fault.value.faultString


def test_clear_faults_restores_normal_answers(
    standin19: OdooStandin, json2: Json2
) -> None:
    standin19.inject(FaultRule("unavailable"))
    standin19.clear_faults()

    assert json2.post("res.partner", "search_count", domain=[]).status_code == 200


def test_removing_a_rename_restores_the_recorded_field_name(
    standin19: OdooStandin, json2: Json2
) -> None:
    rule = standin19.inject(
        FaultRule(
            "rename_field",
            model="hr.employee",
            field="hourly_cost",
            renamed_to="x_hourly_cost",
        )
    )
    standin19.remove_fault(rule)

    rows = json2.call("hr.employee", "read", ids=[1], fields=["hourly_cost"])

    assert rows == [{"id": 1, "hourly_cost": 100.0}]
