"""A HubSpot CRM stand-in: deals and companies over the v3 REST shapes.

It serves what `HubSpotCrm` reads and records what it writes, for the demo and
the tests, where no HubSpot portal can be reached.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from opsgate.connectors.loopback import LoopbackStandin


class HubSpotStandin(LoopbackStandin):
    """In-memory deals and companies behind HubSpot's CRM v3 URLs."""

    name = "hubspot"

    def __init__(self, *, access_token: str = "demo-hubspot-token") -> None:
        super().__init__()
        self.access_token = access_token
        self.deals: dict[str, dict[str, Any]] = {}
        self.companies: dict[str, dict[str, Any]] = {}
        self.deal_companies: dict[str, list[str]] = {}
        self.updates: list[tuple[str, dict[str, str]]] = []
        """Every company update received, in order: (company id, properties)."""

    def add_company(self, company_id: str, properties: dict[str, str]) -> None:
        """Store a company."""
        self.companies[company_id] = dict(properties)

    def add_deal(
        self, deal_id: str, properties: dict[str, str], company_id: str
    ) -> None:
        """Store a deal associated with one company."""
        self.deals[deal_id] = dict(properties)
        self.deal_companies[deal_id] = [company_id]

    def _app(self) -> FastAPI:
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

        @app.middleware("http")
        async def authenticate(request: Request, call_next: Any) -> Any:
            if request.headers.get("authorization") != f"Bearer {self.access_token}":
                return _error(
                    401,
                    "INVALID_AUTHENTICATION",
                    "Authentication credentials not found.",
                )
            return await call_next(request)

        @app.get("/crm/v3/objects/deals/{deal_id}")
        async def get_deal(deal_id: str) -> Any:
            if deal_id not in self.deals:
                return _error(
                    404, "OBJECT_NOT_FOUND", f"Object not found. objectId={deal_id}"
                )
            associations = {
                "companies": {
                    "results": [
                        {"id": c, "type": "deal_to_company"}
                        for c in self.deal_companies.get(deal_id, [])
                    ]
                }
            }
            return _object(deal_id, self.deals[deal_id]) | {
                "associations": associations
            }

        @app.get("/crm/v3/objects/companies/{company_id}")
        async def get_company(company_id: str) -> Any:
            if company_id not in self.companies:
                return _error(
                    404, "OBJECT_NOT_FOUND", f"Object not found. objectId={company_id}"
                )
            return _object(company_id, self.companies[company_id])

        @app.patch("/crm/v3/objects/companies/{company_id}")
        async def update_company(company_id: str, request: Request) -> Any:
            if company_id not in self.companies:
                return _error(
                    404, "OBJECT_NOT_FOUND", f"Object not found. objectId={company_id}"
                )
            properties = (await request.json()).get("properties", {})
            self.companies[company_id].update(properties)
            self.updates.append((company_id, dict(properties)))
            return _object(company_id, self.companies[company_id])

        return app


def _object(object_id: str, properties: dict[str, Any]) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    return {
        "id": object_id,
        "properties": {"hs_object_id": object_id, **properties},
        "createdAt": now,
        "updatedAt": now,
        "archived": False,
    }


def _error(status: int, category: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"status": "error", "message": message, "category": category},
        status_code=status,
    )
