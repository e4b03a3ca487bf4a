"""Behaviours the recordings show, checked one by one (beyond the replay)."""

from __future__ import annotations

import xmlrpc.client
from typing import Any

import pytest

from opsgate.connectors.odoo.standin import OdooStandin
from tests.connectors.odoo.standin.conftest import Json2


def _partners(json2: Json2, *names: str, **values: Any) -> list[int]:
    return json2.call(
        "res.partner", "create", vals_list=[{"name": n, **values} for n in names]
    )


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ([["name", "=", "Alpha One"]], ["Alpha One"]),
        ([["name", "!=", "Alpha One"], ["ref", "=", "T"]], ["Beta Two", "Gamma"]),
        ([["name", "like", "a T"], ["ref", "=", "T"]], ["Beta Two"]),
        ([["name", "ilike", "ALPHA"]], ["Alpha One"]),
        ([["name", "=like", "%a"], ["ref", "=", "T"]], ["Gamma"]),
        ([["name", "not like", "a"], ["ref", "=", "T"]], []),
        ([["color", ">", 1], ["ref", "=", "T"]], ["Beta Two", "Gamma"]),
        ([["color", "<=", 2], ["ref", "=", "T"]], ["Alpha One", "Beta Two"]),
        ([["color", "in", [1, 3]], ["ref", "=", "T"]], ["Alpha One", "Gamma"]),
        ([["color", "not in", [1, 3]], ["ref", "=", "T"]], ["Beta Two"]),
        (
            ["|", ["color", "=", 1], ["color", "=", 3], ["ref", "=", "T"]],
            ["Alpha One", "Gamma"],
        ),
        (["!", ["color", "=", 1], ["ref", "=", "T"]], ["Beta Two", "Gamma"]),
    ],
)
def test_domain_operators_select_the_matching_partners(
    json2: Json2, domain: list[Any], expected: list[str]
) -> None:
    for color, name in enumerate(("Alpha One", "Beta Two", "Gamma"), 1):
        json2.call(
            "res.partner",
            "create",
            vals_list={"name": name, "color": color, "ref": "T"},
        )

    rows = json2.call(
        "res.partner", "search_read", domain=domain, fields=["name"], order="name asc"
    )

    assert [row["name"] for row in rows] == expected


def test_child_of_finds_a_company_and_its_contacts(json2: Json2) -> None:
    company = _partners(json2, "Parent Co", is_company=True)[0]
    child = _partners(json2, "Kid", parent_id=company)[0]

    found = json2.call("res.partner", "search", domain=[["id", "child_of", company]])

    assert sorted(found) == sorted([company, child])


def test_float_into_integer_field_is_truncated_as_odoo_does(json2: Json2) -> None:
    record = json2.call(
        "res.partner", "create", vals_list={"name": "Int", "color": 3.7}
    )[0]

    assert json2.call("res.partner", "read", ids=[record], fields=["color"]) == [
        {"id": record, "color": 3}
    ]


def test_name_written_into_many2one_silently_clears_it(json2: Json2) -> None:
    record = json2.call(
        "res.partner", "create", vals_list={"name": "C", "country_id": 233}
    )[0]

    assert (
        json2.call("res.partner", "write", ids=[record], vals={"country_id": "Belgium"})
        is True
    )
    assert (
        json2.call("res.partner", "read", ids=[record], fields=["country_id"])[0][
            "country_id"
        ]
        is False
    )


def test_timesheet_without_project_is_accepted_as_a_plain_analytic_line(
    json2: Json2,
) -> None:
    line = json2.call(
        "account.analytic.line",
        "create",
        vals_list={
            "employee_id": 1,
            "date": "2026-11-26",
            "unit_amount": 1,
            "name": "orphan",
        },
    )[0]

    row = json2.call(
        "account.analytic.line",
        "read",
        ids=[line],
        fields=["project_id", "account_id", "amount"],
    )[0]
    assert (row["project_id"], row["account_id"], row["amount"]) == (False, False, 0.0)


def test_timesheet_on_a_project_costs_hours_times_hourly_cost(json2: Json2) -> None:
    line = json2.call(
        "account.analytic.line",
        "create",
        vals_list={
            "project_id": 1,
            "employee_id": 1,
            "unit_amount": 1.5,
            "name": "work",
        },
    )[0]

    row = json2.call(
        "account.analytic.line", "read", ids=[line], fields=["account_id", "amount"]
    )[0]
    assert row["amount"] == -150.0
    assert row["account_id"][0] == 24


def test_write_date_reads_cut_to_the_second_but_compares_with_microseconds(
    json2: Json2,
) -> None:
    record = _partners(json2, "Cursor")[0]
    shown = json2.call("res.partner", "read", ids=[record], fields=["write_date"])[0][
        "write_date"
    ]

    same_second = json2.call(
        "res.partner",
        "search_count",
        domain=[["id", "=", record], ["write_date", ">", shown]],
    )
    equal = json2.call(
        "res.partner",
        "search_count",
        domain=[["id", "=", record], ["write_date", "=", shown]],
    )

    assert len(shown) == 19
    assert (same_second, equal) in ((1, 0), (0, 1))


def test_rows_of_one_call_share_one_write_date_and_order_by_it(json2: Json2) -> None:
    ids = _partners(json2, "W1", "W2", "W3")
    later = _partners(json2, "W4")

    rows = json2.call(
        "res.partner",
        "search_read",
        domain=[["name", "=like", "W_"]],
        fields=["write_date"],
        order="write_date desc, id asc",
    )

    assert len({row["write_date"] for row in rows if row["id"] in ids}) == 1
    assert rows[0]["id"] == later[0] or rows[0]["write_date"] == rows[-1]["write_date"]


def test_failed_write_on_two_records_leaves_both_unchanged(json2: Json2) -> None:
    company = _partners(json2, "Top", is_company=True)[0]
    contact = _partners(json2, "Below", parent_id=company)[0]

    refused = json2.post(
        "res.partner",
        "write",
        ids=[company, contact],
        vals={"name": "Renamed", "parent_id": contact},
    )
    names = json2.call("res.partner", "read", ids=[company, contact], fields=["name"])

    assert refused.status_code == 422
    assert (
        refused.json()["message"] == "You cannot create recursive Partner hierarchies."
    )
    assert [row["name"] for row in names] == ["Top", "Below"]


def test_load_with_a_bad_row_writes_nothing_and_names_the_row(json2: Json2) -> None:
    result = json2.call(
        "res.partner",
        "load",
        fields=["id", "name", "country_id/id"],
        data=[["opsgate.good", "Good", "base.us"], ["opsgate.bad", "Bad", "base.xx"]],
    )

    assert result["ids"] is False
    assert [m["record"] for m in result["messages"]] == [1]
    assert (
        json2.call(
            "res.partner", "search_count", domain=[["name", "in", ["Good", "Bad"]]]
        )
        == 0
    )


def test_load_again_updates_the_same_record(json2: Json2) -> None:
    first = json2.call(
        "res.partner", "load", fields=["id", "name"], data=[["opsgate.same", "Before"]]
    )
    second = json2.call(
        "res.partner", "load", fields=["id", "name"], data=[["opsgate.same", "After"]]
    )

    assert first["ids"] == second["ids"]
    assert (
        json2.call("res.partner", "read", ids=first["ids"], fields=["name"])[0]["name"]
        == "After"
    )


def test_invoiced_timesheet_is_frozen_even_for_an_unchanged_reload(
    json2: Json2,
) -> None:
    order = json2.call(
        "sale.order",
        "create",
        vals_list={
            "partner_id": 15,
            "order_line": [[0, 0, {"product_id": 58, "product_uom_qty": 4}]],
        },
    )[0]
    json2.call("sale.order", "action_confirm", ids=[order])
    task = json2.call(
        "project.task",
        "search_read",
        domain=[["sale_order_id", "=", order]],
        fields=["project_id"],
    )[0]
    row = [
        "opsgate.ts_1",
        str(task["project_id"][0]),
        str(task["id"]),
        "1",
        "2026-11-23",
        "3",
        "Work",
    ]
    columns = [
        "id",
        "project_id/.id",
        "task_id/.id",
        "employee_id/.id",
        "date",
        "unit_amount",
        "name",
    ]
    line = json2.call("account.analytic.line", "load", fields=columns, data=[row])[
        "ids"
    ][0]
    wizard = json2.call(
        "sale.advance.payment.inv",
        "create",
        vals_list={
            "advance_payment_method": "delivered",
            "sale_order_ids": [[6, 0, [order]]],
        },
    )
    invoice = json2.call("sale.advance.payment.inv", "create_invoices", ids=wizard)[
        "res_id"
    ]

    reload = json2.call("account.analytic.line", "load", fields=columns, data=[row])
    unlink = json2.post("account.analytic.line", "unlink", ids=[line])
    posted_delete = (
        json2.call("account.move", "action_post", ids=[invoice]),
        json2.post("account.move", "unlink", ids=[invoice]),
    )

    assert (
        reload["messages"][0]["message"]
        == "You cannot modify timesheets that are already invoiced."
    )
    assert unlink.status_code == 422
    assert posted_delete[0] is False
    assert posted_delete[1].json()["name"] == "odoo.exceptions.UserError"


def test_confirming_an_order_creates_its_project_and_one_task_per_line(
    json2: Json2,
) -> None:
    order = json2.call(
        "sale.order",
        "create",
        vals_list={
            "partner_id": 15,
            "client_order_ref": "HS-DEAL-9",
            "order_line": [
                [0, 0, {"product_id": 58, "product_uom_qty": 40}],
                [0, 0, {"product_id": 59, "product_uom_qty": 24}],
            ],
        },
    )[0]

    assert json2.call("sale.order", "action_confirm", ids=[order]) is True
    read = json2.call(
        "sale.order",
        "read",
        ids=[order],
        fields=["name", "state", "project_ids", "tasks_ids"],
    )[0]
    project = json2.call(
        "project.project",
        "read",
        ids=read["project_ids"],
        fields=["name", "account_id", "allow_billable"],
    )[0]
    again = json2.post("sale.order", "action_confirm", ids=[order])

    assert read["state"] == "sale" and len(read["tasks_ids"]) == 2
    assert project["name"] == f"HS-DEAL-9 - {read['name']} - Sales Order"
    assert project["allow_billable"] is True and project["account_id"]
    assert (
        again.json()["message"]
        == "Some orders are not in a state requiring confirmation."
    )


def test_demo_key_is_refused_system_parameters_with_a_403(
    standin19: OdooStandin,
) -> None:
    demo = Json2(standin19, standin19.demo_api_key)

    refused = demo.post("ir.config_parameter", "search_read", domain=[], fields=["key"])

    assert refused.status_code == 403
    assert refused.json()["name"] == "odoo.exceptions.AccessError"
    assert demo.call("res.partner", "search_count", domain=[]) > 0


def test_wrong_key_authenticates_false_and_execute_kw_is_access_denied(
    standin18: OdooStandin,
) -> None:
    common = xmlrpc.client.ServerProxy(f"{standin18.url}/xmlrpc/2/common")
    models = xmlrpc.client.ServerProxy(f"{standin18.url}/xmlrpc/2/object")

    assert common.authenticate(standin18.database, "admin", "wrong", {}) is False
    assert common.authenticate(standin18.database, "admin", standin18.api_key, {}) == 2
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(
            standin18.database, 2, "wrong", "res.partner", "search_count", [[]]
        )
    assert (fault.value.faultCode, fault.value.faultString) == (3, "Access Denied")


def test_method_returning_none_is_a_marshal_fault_over_xmlrpc_after_the_change(
    standin18: OdooStandin,
) -> None:
    models = xmlrpc.client.ServerProxy(f"{standin18.url}/xmlrpc/2/object")
    args = (standin18.database, 2, standin18.api_key, "sale.order")

    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(*args, "action_lock", [[1]])

    assert fault.value.faultCode == 1
    assert fault.value.faultString.endswith(
        "TypeError: cannot marshal None unless allow_none is enabled\n"
    )
    assert models.execute_kw(*args, "read", [[1]], {"fields": ["locked"]}) == [
        {"id": 1, "locked": True}
    ]


def test_json2_is_a_login_redirect_on_odoo_18(standin18: OdooStandin) -> None:
    import httpx

    response = httpx.post(
        f"{standin18.url}/json/2/res.partner/search_count",
        json={"domain": []},
        headers={"Authorization": f"bearer {standin18.api_key}"},
    )

    assert response.status_code == 303
    assert response.headers["location"].startswith("/web/login?redirect=")


def test_malformed_execute_kw_is_a_fault_not_a_crash(standin18: OdooStandin) -> None:
    import httpx

    body = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 7,
        "params": {"service": "object", "method": "execute_kw", "args": ["ps_demo"]},
    }

    answer = httpx.post(f"{standin18.url}/jsonrpc", json=body).json()
    after = httpx.post(
        f"{standin18.url}/jsonrpc",
        json={**body, "params": {"service": "common", "method": "version", "args": []}},
    ).json()

    assert answer["error"]["data"]["name"] == "builtins.ValueError"
    assert after["result"]["server_serie"] == "18.0"
