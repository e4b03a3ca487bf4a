"""A client for the parts of HubSpot's CRM v3 REST API that Opsgate uses.

Webhook notifications from HubSpot are thin (an object id and one property),
so the lead-to-project workflow reads the deal and its company here, and the
contract-to-cash workflow writes the account status back to the company.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx
import structlog
from pydantic import BaseModel, ConfigDict, SecretStr

from opsgate.connectors.http_errors import raise_for_status, translate_httpx_errors

log = structlog.get_logger(__name__)

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


class HubSpotCrm:
    """Read deals and companies, and update company properties."""

    target = "hubspot"

    def __init__(
        self,
        *,
        settings: HubSpotSettings,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"accept": "application/json"}
        if settings.access_token is not None:
            headers["authorization"] = (
                f"Bearer {settings.access_token.get_secret_value()}"
            )
        self._http = httpx.AsyncClient(
            base_url=settings.base_url,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout_s),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
            transport=transport,
        )

    async def get_deal(self, deal_id: str) -> dict[str, Any]:
        """Return the deal's properties and its associated company ids."""
        body = await self._request(
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
        body = await self._request(
            "GET",
            f"/crm/v3/objects/companies/{company_id}",
            operation="get:company",
            params={"properties": ",".join(COMPANY_PROPERTIES)},
        )
        return {"id": body["id"], **body.get("properties", {})}

    async def update_company(self, company_id: str, properties: dict[str, str]) -> None:
        """Set properties on a company (PATCH is idempotent: same values, same state)."""
        await self._request(
            "PATCH",
            f"/crm/v3/objects/companies/{company_id}",
            operation="update:company",
            json={"properties": properties},
        )

    async def _request(
        self, method: str, path: str, *, operation: str, **kwargs: Any
    ) -> Any:
        with translate_httpx_errors(self.target, operation):
            response = await self._http.request(method, path, **kwargs)
        log.info(
            "hubspot.called",
            operation=operation,
            status=response.status_code,
            duration_ms=round(response.elapsed.total_seconds() * 1000, 1),
        )
        raise_for_status(response, target=self.target, operation=operation)
        return response.json()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
