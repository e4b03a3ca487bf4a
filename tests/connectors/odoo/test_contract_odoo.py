"""The Odoo contract: one set of checks run against every target in `conftest.py`.

Recordings of real Odoo 18 and 19, the stand-in, and a real server when one is
configured must all pass the same checks. A check that fails on the stand-in
only is a bug in the stand-in.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from pydantic import SecretStr

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.odoo import CursorPosition, RowOutcome
from opsgate.connectors.odoo.errors import OdooRowError, OdooValueRefused
from tests.connectors.odoo.odoo_facts import WRONG_KEY


async def test_client_picks_the_protocol_and_logs_in(odoo_server):
    async with odoo_server.client() as client:
        transport = await client.connect()

    assert transport == odoo_server.facts.transport


async def test_refused_key_is_an_auth_error_at_once(odoo_server):
    async with odoo_server.client(api_key=_wrong_key(odoo_server)) as client:
        with pytest.raises(ConnectorError) as caught:
            await client.connect()

    assert caught.value.category is ErrorCategory.AUTH
    assert caught.value.retryable is False


def _wrong_key(target):
    return SecretStr(WRONG_KEY)


async def test_search_read_applies_domain_order_limit_and_offset(odoo_server):
    fact = odoo_server.fact("search")

    async with odoo_server.client() as client:
        records = await client.search_read(
            fact["model"],
            fact["domain"],
            fields=fact["fields"],
            order=fact["order"],
            limit=fact["limit"],
            offset=fact["offset"],
        )

    assert len(records) == fact["limit"] or len(records) == len(fact["ids"] or [])
    if fact["ids"] is not None:
        assert [r["id"] for r in records] == fact["ids"]
    assert all(set(fact["fields"]) <= set(r) for r in records)


async def test_read_drops_a_missing_id_without_error(odoo_server):
    fact = odoo_server.fact("read_missing")

    async with odoo_server.client() as client:
        records = await client.read(fact["model"], fact["ids"], fields=fact["fields"])

    assert [r["id"] for r in records] == fact["found"]


async def test_create_one_returns_one_id(odoo_server):
    fact = odoo_server.fact("create_one")

    async with odoo_server.client() as client:
        new_id = await client.create(fact["model"], fact["values"])

    assert isinstance(new_id, int) and new_id > 0


async def test_create_many_returns_one_id_per_record_in_order(odoo_server):
    fact = odoo_server.fact("create_many")

    async with odoo_server.client() as client:
        ids = await client.create_many(fact["model"], fact["values"])

    assert len(ids) == len(fact["values"])
    assert ids == sorted(ids)


async def test_write_is_confirmed_by_reading_back(odoo_server):
    fact = odoo_server.fact("write")

    async with odoo_server.client() as client:
        await client.write(fact["model"], [fact["id"]], fact["values"], verify=True)


async def test_unlink_is_confirmed_by_reading_back(odoo_server):
    fact = odoo_server.fact("unlink")

    async with odoo_server.client() as client:
        await client.unlink(fact["model"], [fact["id"]], verify=fact["verify"])


async def test_write_reported_done_but_not_held_is_caught_by_the_read_back(odoo_server):
    fact = odoo_server.fact("silent_write")

    async with odoo_server.client() as client:
        with pytest.raises(ConnectorError) as caught:
            await client.write(
                fact["model"], [fact["id"]], fact["values"], check=False, verify=True
            )

    assert caught.value.category is ErrorCategory.DATA_QUALITY
    assert "country_id" in caught.value.message


async def test_confirming_a_record_that_no_longer_exists_fails(odoo_server):
    fact = odoo_server.fact("read_missing")
    missing = [i for i in fact["ids"] if i not in fact["found"]]

    async with odoo_server.client() as client:
        with pytest.raises(ConnectorError) as caught:
            await client.confirm_values(
                fact["model"], fact["ids"], {"name": "anything"}, operation="write"
            )

    assert caught.value.category is ErrorCategory.MISSING_REFERENCE
    assert repr(missing) in caught.value.message


async def test_write_to_a_deleted_record_is_a_missing_reference(odoo_server):
    fact = odoo_server.fact("write_deleted")

    async with odoo_server.client() as client:
        with pytest.raises(ConnectorError) as caught:
            await client.write(fact["model"], [fact["id"]], fact["values"])

    assert caught.value.category is ErrorCategory.MISSING_REFERENCE
    assert caught.value.retryable is False


async def test_load_of_good_rows_returns_their_ids(odoo_server):
    fact = odoo_server.fact("load_good")

    async with odoo_server.client() as client:
        result = await client.load(fact["model"], fact["columns"], fact["rows"])

    assert sorted(result.record_ids) == list(range(len(fact["rows"])))
    assert result.errors == {}
    assert result.calls == 1


async def test_load_with_bad_rows_fails_them_alone_and_lands_the_good_row(odoo_server):
    fact = odoo_server.fact("load_bad")

    async with odoo_server.client() as client:
        result = await client.load(fact["model"], fact["columns"], fact["rows"])

    assert sorted(result.errors) == sorted(fact["bad"])
    for row, (field, value) in fact["bad"].items():
        error = result.errors[row]
        assert isinstance(error, OdooRowError)
        assert (error.row, error.field, error.value) == (row, field, value)
        assert f"row {row}" in error.message and repr(value) in error.message
    assert sorted(result.record_ids) == [0]
    assert result.calls == 2


async def test_private_method_is_a_permission_error(odoo_server):
    fact = odoo_server.fact("private_method")

    async with odoo_server.client() as client:
        with pytest.raises(ConnectorError) as caught:
            await client.call_method(fact["model"], fact["method"], fact["ids"])

    assert caught.value.category is ErrorCategory.PERMISSION


async def test_unknown_field_in_a_domain_is_schema_drift(odoo_server):
    fact = odoo_server.fact("unknown_field_domain")

    async with odoo_server.client() as client:
        with pytest.raises(ConnectorError) as caught:
            if fact["method"] == "search":
                await client.search(fact["model"], fact["domain"])
            else:
                await client.search_read(
                    fact["model"],
                    fact["domain"],
                    fields=fact["fields"],
                    limit=fact["limit"],
                )

    assert caught.value.category is ErrorCategory.SCHEMA_DRIFT


@pytest.mark.parametrize(
    "case", ["refuse_integer", "refuse_many2one", "refuse_timesheet"]
)
async def test_value_odoo_would_mangle_is_refused_before_sending(odoo_server, case):
    fact = odoo_server.fact(case)

    async with odoo_server.client() as client:
        with pytest.raises(OdooValueRefused) as caught:
            if "id" in fact:
                await client.write(fact["model"], [fact["id"]], fact["values"])
            else:
                await client.create(fact["model"], fact["values"])

    assert caught.value.field == fact["field"]
    assert caught.value.value == fact["values"].get(fact["field"])
    assert repr(caught.value.value) in caught.value.message


async def test_method_returning_none_is_confirmed_by_reading_back(odoo_server):
    fact = odoo_server.fact("none_action")

    async with odoo_server.client() as client:
        await client.call_method(
            fact["model"], fact["method"], [fact["id"]], expect=fact["expect"]
        )


async def test_upsert_creates_then_skips_unchanged_then_updates(odoo_server):
    odoo_server.require_live("upsert compares with state the recordings cannot replay")
    tag = uuid.uuid4().hex[:8]
    rows = [
        {
            "id": f"contract_upsert_{tag}_{n}",
            "name": f"Upsert {tag} {n}",
            "ref": f"UP-{tag}-{n}",
            "is_company": True,
        }
        for n in range(3)
    ]

    async with odoo_server.client() as client:
        first = await client.upsert("res.partner", rows, batch_size=2)
        second = await client.upsert("res.partner", rows)
        changed = [dict(rows[0], name=f"Upsert {tag} renamed"), *rows[1:]]
        third = await client.upsert("res.partner", changed)

    assert [r.outcome for r in first.rows] == [RowOutcome.CREATED] * 3
    assert first.load_calls == 2
    assert [r.outcome for r in second.rows] == [RowOutcome.UNCHANGED] * 3
    assert second.load_calls == 0
    assert [r.outcome for r in third.rows] == [
        RowOutcome.UPDATED,
        RowOutcome.UNCHANGED,
        RowOutcome.UNCHANGED,
    ]
    assert [r.record_id for r in third.rows] == [r.record_id for r in first.rows]


async def test_upsert_bad_row_fails_alone_and_names_row_field_and_value(odoo_server):
    odoo_server.require_live(
        "upsert reads ir.model.data in ways the recordings did not"
    )
    tag = uuid.uuid4().hex[:8]
    rows = [
        {
            "id": f"contract_bad_{tag}_0",
            "name": f"Good {tag}",
            "country_id/id": "base.us",
        },
        {
            "id": f"contract_bad_{tag}_1",
            "name": f"Bad {tag}",
            "country_id/id": "base.xx",
        },
        {
            "id": f"contract_bad_{tag}_2",
            "name": f"Good {tag} 2",
            "country_id/id": "base.us",
        },
    ]

    async with odoo_server.client() as client:
        result = await client.upsert("res.partner", rows)

    assert [r.outcome for r in result.rows] == [
        RowOutcome.CREATED,
        RowOutcome.FAILED,
        RowOutcome.CREATED,
    ]
    error = result.rows[1].error
    assert isinstance(error, OdooRowError)
    assert (error.row, error.field, error.value) == (1, "country_id", "base.xx")
    assert error.category is ErrorCategory.MISSING_REFERENCE


async def test_change_cursor_misses_nothing_and_repeats_nothing(odoo_server):
    odoo_server.require_live("the cursor pages over state the recordings cannot replay")
    tag = uuid.uuid4().hex[:8]
    domain = [["ref", "like", f"CUR-{tag}-"]]

    async with odoo_server.client() as client:
        first = await client.create_many(
            "res.partner",
            [{"name": f"Cursor {tag} {n}", "ref": f"CUR-{tag}-{n}"} for n in range(5)],
        )
        await _let_the_second_pass()
        cursor = client.changes(
            "res.partner", fields=["name"], domain=domain, page_size=2, settle_s=0
        )
        seen = [record["id"] async for record in cursor]
        second = await client.create_many(
            "res.partner",
            [
                {"name": f"Cursor {tag} b{n}", "ref": f"CUR-{tag}-b{n}"}
                for n in range(3)
            ],
        )
        await client.write("res.partner", [first[0]], {"name": f"Cursor {tag} again"})
        await _let_the_second_pass()
        again = client.changes(
            "res.partner",
            fields=["name"],
            domain=domain,
            page_size=2,
            position=cursor.position,
            settle_s=0,
        )
        later = [record["id"] async for record in again]

    assert sorted(seen) == sorted(first)
    assert len(seen) == len(set(seen))
    assert sorted(later) == sorted([*second, first[0]])
    assert isinstance(cursor.position, CursorPosition)


async def _let_the_second_pass() -> None:
    """Odoo reads `write_date` to the second; the cursor reads only seconds that are over."""
    await asyncio.sleep(1.05)


async def test_upsert_refuses_a_timesheet_without_project_and_lands_the_rest(
    odoo_server,
):
    odoo_server.require_live(
        "upsert reads ir.model.data in ways the recordings did not"
    )
    tag = uuid.uuid4().hex[:8]

    async with odoo_server.client() as client:
        projects = await client.search("project.project", [], limit=1, order="id asc")
        employees = await client.search("hr.employee", [], limit=1, order="id asc")
        if not projects or not employees:
            pytest.skip(f"{odoo_server.name}: no project or employee to log time on")
        base = {
            "employee_id/.id": employees[0],
            "date": "2026-11-26",
            "unit_amount": 1.5,
        }
        rows = [
            {
                "id": f"contract_ts_{tag}_0",
                "name": f"Work {tag}",
                "project_id/.id": projects[0],
                **base,
            },
            {"id": f"contract_ts_{tag}_1", "name": f"Admin {tag}", **base},
            {
                "id": f"contract_ts_{tag}_2",
                "name": f"Work {tag} 2",
                "project_id/.id": projects[0],
                **base,
            },
        ]
        result = await client.upsert("account.analytic.line", rows)

    assert [r.outcome for r in result.rows] == [
        RowOutcome.CREATED,
        RowOutcome.FAILED,
        RowOutcome.CREATED,
    ]
    refused = result.rows[1].error
    assert isinstance(refused, OdooValueRefused)
    assert (refused.row, refused.field) == (1, "project_id")
    assert refused.category is ErrorCategory.MISSING_REFERENCE
    assert result.load_calls == 1
