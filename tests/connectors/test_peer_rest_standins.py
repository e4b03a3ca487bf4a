"""The CRM and HR read-back clients against their loopback stand-ins."""

import pytest
from pydantic import SecretStr

from opsgate.connectors.bamboohr.employees_api import (
    BambooHREmployees,
    BambooHRSettings,
)
from opsgate.connectors.bamboohr.standin import BambooHRStandin
from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.hubspot.crm_api import HubSpotCrm, HubSpotSettings
from opsgate.connectors.hubspot.standin import HubSpotStandin


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
