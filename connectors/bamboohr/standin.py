"""A BambooHR stand-in serving employees in the REST API's shape."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from opsgate.connectors.loopback import LoopbackStandin


class BambooHRStandin(LoopbackStandin):
    """In-memory employees behind BambooHR's `/api/gateway.php/<co>/v1` URLs."""

    name = "bamboohr"

    def __init__(
        self, *, company_domain: str = "opsgate-demo", api_key: str = "demo-bamboo-key"
    ) -> None:
        super().__init__()
        self.company_domain = company_domain
        self.api_key = api_key
        self.employees: dict[str, dict[str, Any]] = {}

    def put_employee(self, employee_id: str, fields: dict[str, Any]) -> None:
        """Create or replace an employee's fields."""
        self.employees[employee_id] = {"id": employee_id, **fields}

    def _app(self) -> FastAPI:
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
        expected = "Basic " + base64.b64encode(f"{self.api_key}:x".encode()).decode()
        prefix = f"/api/gateway.php/{self.company_domain}/v1"

        @app.get(prefix + "/employees/{employee_id}")
        async def get_employee(employee_id: str, request: Request) -> Any:
            if request.headers.get("authorization") != expected:
                return Response(status_code=401)
            if employee_id not in self.employees:
                return JSONResponse({"error": "Employee not found"}, status_code=404)
            wanted = request.query_params.get("fields", "").split(",")
            record = self.employees[employee_id]
            return {"id": employee_id} | {f: record.get(f) for f in wanted if f}

        return app
