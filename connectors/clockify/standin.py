"""A Clockify stand-in: workspace users and people's time entries.

It serves what `ClockifyWorkspace` reads over the REST API v1 URLs, with
`X-Api-Key`, for the tests and the demo, where no Clockify workspace can be
reached; entries are filtered by start and paged as Clockify pages them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from opsgate.connectors.loopback import LoopbackStandin


class ClockifyStandin(LoopbackStandin):
    """In-memory Clockify workspaces behind the API's read URLs."""

    name = "clockify"

    def __init__(self, *, api_key: str = "demo-clockify-key") -> None:
        super().__init__()
        self.api_key = api_key
        self.users: dict[str, list[dict[str, Any]]] = {}
        self.entries: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.calls = 0
        """Authenticated requests answered."""

    def add_user(self, workspace_id: str, user_id: str, email: str, name: str) -> None:
        """Make a person a member of a workspace."""
        self.users.setdefault(workspace_id, []).append(
            {"id": user_id, "email": email, "name": name, "status": "ACTIVE"}
        )

    def add_entry(self, entry: dict[str, Any]) -> None:
        """Store a time entry (Clockify's hydrated shape) for its person."""
        key = (str(entry["workspaceId"]), str(entry["userId"]))
        self.entries.setdefault(key, []).append(entry)

    def _app(self) -> FastAPI:
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

        @app.middleware("http")
        async def authenticate(request: Request, call_next: Any) -> Any:
            if request.headers.get("x-api-key") != self.api_key:
                return JSONResponse(
                    {"message": "Full authentication is required", "code": 4001},
                    status_code=401,
                )
            self.calls += 1
            return await call_next(request)

        @app.get("/v1/workspaces/{ws}/users")
        async def users(ws: str, request: Request) -> Any:
            return _page(self.users.get(ws, []), request)

        @app.get("/v1/workspaces/{ws}/user/{uid}/time-entries")
        async def entries(ws: str, uid: str, request: Request) -> Any:
            start = _instant(request.query_params.get("start"))
            end = _instant(request.query_params.get("end"))
            chosen = [
                entry
                for entry in self.entries.get((ws, uid), [])
                if _within(_instant(entry["timeInterval"]["start"]), start, end)
            ]
            return _page(chosen, request)

        return app


def _page(items: list[dict[str, Any]], request: Request) -> list[dict[str, Any]]:
    page = int(request.query_params.get("page", 1))
    size = int(request.query_params.get("page-size", 50))
    return items[(page - 1) * size : page * size]


def _within(
    moment: datetime | None, start: datetime | None, end: datetime | None
) -> bool:
    return (
        moment is not None
        and (start is None or moment >= start)
        and (end is None or moment < end)
    )


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
