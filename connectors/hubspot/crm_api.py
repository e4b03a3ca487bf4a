"""A client for the parts of HubSpot's CRM v3 REST API that Opsgate uses.

Webhook notifications from HubSpot are thin (an object id and one property),
so the lead-to-project workflow reads the deal and its company here, and the
contract-to-cash workflow writes the account status back to the company.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr

from opsgate.connectors.rest_api import RestApi

DEAL_PROPERTIES = (
    "dealname",
    "amount",
    "deal_currency_code",
    "dealstage",
    "closedate",
    "billing_type",
    "sow_signed",
    "legal_entity",
    "start_date",
    "hourly_rate",
    "hours_sold",
    "project_code",
)
COMPANY_PROPERTIES = ("name", "domain", "country", "legal_entity", "account_status")


class HubSpotSettings(BaseModel):
    """How to reach a HubSpot portal's CRM API."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://api.hubapi.com"
    """Base URL of the API."""
    access_token: SecretStr | None = None
    """Private app access token (Bearer)."""
    webhook_secret: SecretStr | None = None
    """The app's client secret, used to verify webhook signatures."""
    timeout_s: float = 10.0
    """Seconds to wait for one call."""


class HubSpotCrm(RestApi):
    """Read deals and companies, and update company properties."""

    target = "hubspot"

    def __init__(
        self,
        *,
        settings: HubSpotSettings,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {}
        if settings.access_token is not None:
            headers["authorization"] = (
                f"Bearer {settings.access_token.get_secret_value()}"
            )
        super().__init__(
            base_url=settings.base_url,
            headers=headers,
            timeout_s=settings.timeout_s,
            transport=transport,
        )

    async def get_deal(self, deal_id: str) -> dict[str, Any]:
        """Return the deal's properties and its associated company ids."""
        body = await self.request(
            "GET",
            f"/crm/v3/objects/deals/{deal_id}",
            operation="get:deal",
            params={
                "properties": ",".join(DEAL_PROPERTIES),
                "associations": "companies",
            },
        )
        companies = body.get("associations", {}).get("companies", {}).get("results", [])
        return {
            "id": body["id"],
            **body.get("properties", {}),
            "company_ids": [c["id"] for c in companies],
        }

    async def get_company(self, company_id: str) -> dict[str, Any]:
        """Return the company's properties."""
        body = await self.request(
            "GET",
            f"/crm/v3/objects/companies/{company_id}",
            operation="get:company",
            params={"properties": ",".join(COMPANY_PROPERTIES)},
        )
        return {"id": body["id"], **body.get("properties", {})}

    async def update_company(self, company_id: str, properties: dict[str, str]) -> None:
        """Set properties on a company (PATCH is idempotent: same values, same state)."""
        await self.request(
            "PATCH",
            f"/crm/v3/objects/companies/{company_id}",
            operation="update:company",
            json={"properties": properties},
        )
