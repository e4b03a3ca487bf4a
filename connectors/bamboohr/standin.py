"""A BambooHR stand-in serving employees in the REST API's shape."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.loopback import LoopbackServer


class BambooHRStandin:
    """In-memory employees behind BambooHR's `/api/gateway.php/<co>/v1` URLs."""

    def __init__(
        self, *, company_domain: str = "opsgate-demo", api_key: str = "demo-bamboo-key"
    ):
        self.company_domain = company_domain
        self.api_key = api_key
        self.employees: dict[str, dict[str, Any]] = {}
        self._server: LoopbackServer | None = None

    def put_employee(self, employee_id: str, fields: dict[str, Any]) -> None:
        """Create or replace an employee's fields."""
        self.employees[employee_id] = {"id": employee_id, **fields}

    @property
    def url(self) -> str:
        """Base URL while running (the host part; the client adds the gateway path)."""
        if self._server is None:
            raise ConnectorError(
                "The BambooHR stand-in is not running; call start() first.",
                category=ErrorCategory.UNAVAILABLE,
                retryable=False,
                target="bamboohr",
                operation="url",
            )
        return self._server.url

    def start(self) -> BambooHRStandin:
        """Serve on a loopback port."""
        self._server = LoopbackServer(self._app(), name="bamboohr").start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.stop()
            self._server = None

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
