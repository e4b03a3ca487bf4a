"""A client for BambooHR's employees REST API.

BambooHR's event webhooks carry only ids and the names of changed fields, so
staffing-to-delivery reads the employee here before mapping it.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr

from opsgate.connectors.rest_api import RestApi

EMPLOYEE_FIELDS = (
    "firstName",
    "lastName",
    "workEmail",
    "jobTitle",
    "department",
    "hireDate",
    "terminationDate",
    "status",
    "payRate",
)


class BambooHRSettings(BaseModel):
    """How to reach a BambooHR company's API."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://api.bamboohr.com"
    """Base URL of the API."""
    company_domain: str = "example"
    """The company's BambooHR subdomain."""
    api_key: SecretStr | None = None
    """API key, sent as the Basic-auth user name."""
    webhook_secret: SecretStr | None = None
    """Secret used to verify webhook signatures."""
    timeout_s: float = 10.0
    """Seconds to wait for one call."""


class BambooHREmployees(RestApi):
    """Read employees by id."""

    target = "bamboohr"

    def __init__(
        self,
        *,
        settings: BambooHRSettings,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        auth = None
        if settings.api_key is not None:
            auth = httpx.BasicAuth(settings.api_key.get_secret_value(), "x")
        super().__init__(
            base_url=f"{settings.base_url}/api/gateway.php/{settings.company_domain}/v1",
            headers={},
            auth=auth,
            timeout_s=settings.timeout_s,
            transport=transport,
        )

    async def get_employee(self, employee_id: str) -> dict[str, Any]:
        """Return the employee's fields, with `id` as a string."""
        body: dict[str, Any] = await self.get(
            f"/employees/{employee_id}",
            operation="get:employee",
            fields=",".join(EMPLOYEE_FIELDS),
        )
        return body | {"id": str(body.get("id", employee_id))}
