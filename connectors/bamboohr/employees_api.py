"""A client for BambooHR's employees REST API.

BambooHR's event webhooks carry only ids and the names of changed fields, so
staffing-to-delivery reads the employee here before mapping it.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx
import structlog
from pydantic import BaseModel, ConfigDict, SecretStr

from opsgate.connectors.http_errors import raise_for_status, translate_httpx_errors

log = structlog.get_logger(__name__)

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


class BambooHREmployees:
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
        self._http = httpx.AsyncClient(
            base_url=f"{settings.base_url}/api/gateway.php/{settings.company_domain}/v1",
            headers={"accept": "application/json"},
            auth=auth,
            timeout=httpx.Timeout(settings.timeout_s),
            limits=httpx.Limits(max_connections=10, max_keepalive_connections=5),
            transport=transport,
        )

    async def get_employee(self, employee_id: str) -> dict[str, Any]:
        """Return the employee's fields, with `id` as a string."""
        operation = "get:employee"
        with translate_httpx_errors(self.target, operation):
            response = await self._http.get(
                f"/employees/{employee_id}",
                params={"fields": ",".join(EMPLOYEE_FIELDS)},
            )
        log.info(
            "bamboohr.called",
            operation=operation,
            status=response.status_code,
            duration_ms=round(response.elapsed.total_seconds() * 1000, 1),
        )
        raise_for_status(response, target=self.target, operation=operation)
        body: dict[str, Any] = response.json()
        return body | {"id": str(body.get("id", employee_id))}

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
