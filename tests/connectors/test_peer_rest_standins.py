"""The CRM, HR and time-tracker read-back clients against their loopback stand-ins."""

from datetime import date

import pytest
from pydantic import SecretStr

from opsgate.connectors.bamboohr.employees_api import (
    BambooHREmployees,
    BambooHRSettings,
)
from opsgate.connectors.bamboohr.standin import BambooHRStandin
from opsgate.connectors.clockify.standin import ClockifyStandin
from opsgate.connectors.clockify.workspace_api import (
    ClockifySettings,
    ClockifyWorkspace,
)
from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.hubspot.crm_api import HubSpotCrm, HubSpotSettings
from opsgate.connectors.hubspot.standin import HubSpotStandin
from opsgate.connectors.toggl.standin import TogglStandin
from opsgate.connectors.toggl.track_api import TogglSettings, TogglTrack


@pytest.fixture(scope="module")
def hubspot():
    standin = HubSpotStandin()
    standin.add_company("1001", {"name": "Acme Corporation", "country": "US"})
    standin.add_deal(
        "3001", {"dealname": "Acme - migration", "amount": "48000"}, "1001"
    )
    yield standin.start()
    standin.stop()


@pytest.fixture(scope="module")
def bamboohr():
    standin = BambooHRStandin()
    standin.put_employee("5001", {"firstName": "Ada", "lastName": "Lindqvist"})
    yield standin.start()
    standin.stop()


def crm(hubspot, token="demo-hubspot-token"):
    return HubSpotCrm(
        settings=HubSpotSettings(base_url=hubspot.url, access_token=SecretStr(token))
    )


async def test_deal_is_read_back_with_its_company(hubspot):
    async with crm(hubspot) as client:
        deal = await client.get_deal("3001")
        company = await client.get_company(deal["company_ids"][0])

    assert deal["dealname"] == "Acme - migration"
    assert company["name"] == "Acme Corporation"


async def test_account_status_update_reaches_the_crm(hubspot):
    async with crm(hubspot) as client:
        await client.update_company("1001", {"account_status": "overdue"})

    assert ("1001", {"account_status": "overdue"}) in hubspot.updates


async def test_unknown_deal_is_a_missing_reference_and_a_wrong_token_an_auth_error(
    hubspot,
):
    async with crm(hubspot) as client:
        with pytest.raises(ConnectorError) as missing:
            await client.get_deal("9999")
    async with crm(hubspot, token="wrong") as client:
        with pytest.raises(ConnectorError) as refused:
            await client.get_deal("3001")

    assert missing.value.category is ErrorCategory.MISSING_REFERENCE
    assert not missing.value.retryable
    assert refused.value.category is ErrorCategory.AUTH


async def test_employee_is_read_back_from_the_hr_system(bamboohr):
    settings = BambooHRSettings(
        base_url=bamboohr.url,
        company_domain=bamboohr.company_domain,
        api_key=SecretStr(bamboohr.api_key),
    )
    async with BambooHREmployees(settings=settings) as client:
        employee = await client.get_employee("5001")

    assert (employee["id"], employee["firstName"]) == ("5001", "Ada")


def test_a_stand_in_that_is_not_running_says_so():
    with pytest.raises(ConnectorError, match="not running"):
        _ = HubSpotStandin().url


async def test_toggl_names_behind_an_entry_are_read_once_and_then_cached():
    standin = TogglStandin()
    standin.add_user("42", 7, "ana@firm.example", "Ana Silva")
    standin.add_project("42", 9, "Rollout", client=(3, "Northwind"))
    standin.start()
    try:
        settings = TogglSettings(
            base_url=standin.url, api_token=SecretStr(standin.api_token)
        )
        entry = {"workspace_id": "42", "user_id": "7", "project_id": "9"}
        async with TogglTrack(settings=settings) as client:
            first = await client.complete(entry)
            again = await client.complete({**entry, "user_id": "7"})
    finally:
        standin.stop()

    assert first == again
    assert first["user_email"] == "ana@firm.example"
    assert first["project_name"] == "Rollout"
    assert first["customer_name"] == "Northwind"
    assert standin.calls == 3  # users, project, client: once each


async def test_clockify_period_is_read_page_by_page():
    standin = ClockifyStandin()
    for n in range(205):
        standin.add_entry(
            {
                "id": f"e{n}",
                "workspaceId": "w",
                "userId": "u",
                "timeInterval": {
                    "start": f"2026-11-02T{8 + n % 9:02d}:{n % 60:02d}:00Z",
                    "end": f"2026-11-02T{9 + n % 9:02d}:{n % 60:02d}:00Z",
                    "duration": "PT1H",
                },
            }
        )
    standin.start()
    try:
        settings = ClockifySettings(
            base_url=standin.url, api_key=SecretStr(standin.api_key)
        )
        async with ClockifyWorkspace(settings=settings) as client:
            entries = await client.period_entries(
                "w", "u", date(2026, 11, 2), date(2026, 11, 2)
            )
            outside = await client.period_entries(
                "w", "u", date(2026, 11, 3), date(2026, 11, 8)
            )
    finally:
        standin.stop()

    assert len(entries) == 205
    assert {e["hours"] for e in entries} == {"1.0000"}
    assert outside == []


async def test_wrong_clockify_key_is_an_auth_error():
    standin = ClockifyStandin().start()
    try:
        settings = ClockifySettings(base_url=standin.url, api_key=SecretStr("wrong"))
        async with ClockifyWorkspace(settings=settings) as client:
            with pytest.raises(ConnectorError) as refused:
                await client.person("w", "u")
    finally:
        standin.stop()

    assert refused.value.category is ErrorCategory.AUTH
