"""A Toggl Track stand-in: workspace users, projects, clients and tasks.

It serves what `TogglTrack` reads, over the Track API v9 URLs, with Basic
auth, for the tests and the demo, where no Toggl account can be reached. It
counts the calls it answers so tests can see the client's cache work.
"""

from __future__ import annotations

import base64
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from opsgate.connectors.loopback import LoopbackStandin


class TogglStandin(LoopbackStandin):
    """In-memory Toggl workspaces behind the Track API's read URLs."""

    name = "toggl"

    def __init__(self, *, api_token: str = "demo-toggl-token") -> None:
        super().__init__()
        self.api_token = api_token
        self.users: dict[str, list[dict[str, Any]]] = {}
        self.projects: dict[tuple[str, str], dict[str, Any]] = {}
        self.clients: dict[tuple[str, str], dict[str, Any]] = {}
        self.tasks: dict[tuple[str, str], dict[str, Any]] = {}
        self.calls = 0
        """Authenticated requests answered."""

    def add_user(self, workspace_id: str, user_id: int, email: str, name: str) -> None:
        """Make a person a member of a workspace."""
        self.users.setdefault(workspace_id, []).append(
            {"id": user_id, "email": email, "fullname": name}
        )

    def add_project(
        self,
        workspace_id: str,
        project_id: int,
        name: str,
        *,
        client: tuple[int, str] | None = None,
    ) -> None:
        """Store a project, and its client when one is given as (id, name)."""
        client_id = None
        if client is not None:
            client_id, client_name = client
            self.clients[(workspace_id, str(client_id))] = {
                "id": client_id,
                "wid": int(workspace_id),
                "name": client_name,
            }
        self.projects[(workspace_id, str(project_id))] = {
            "id": project_id,
            "workspace_id": int(workspace_id),
            "name": name,
            "client_id": client_id,
            "active": True,
        }

    def add_task(self, workspace_id: str, task_id: int, name: str) -> None:
        """Store a task."""
        self.tasks[(workspace_id, str(task_id))] = {"id": task_id, "name": name}

    def _app(self) -> FastAPI:
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
        expected = "Basic " + base64.b64encode(
            f"{self.api_token}:api_token".encode()
        ).decode("ascii")

        @app.middleware("http")
        async def authenticate(request: Request, call_next: Any) -> Any:
            if request.headers.get("authorization") != expected:
                return JSONResponse("Incorrect username and/or password", 403)
            self.calls += 1
            return await call_next(request)

        @app.get("/api/v9/workspaces/{wid}/users")
        async def users(wid: str) -> Any:
            return self.users.get(wid, [])

        @app.get("/api/v9/workspaces/{wid}/projects/{pid}")
        async def project(wid: str, pid: str) -> Any:
            return self.projects.get((wid, pid)) or _missing("project", pid)

        @app.get("/api/v9/workspaces/{wid}/clients/{cid}")
        async def client(wid: str, cid: str) -> Any:
            return self.clients.get((wid, cid)) or _missing("client", cid)

        @app.get("/api/v9/workspaces/{wid}/projects/{pid}/tasks/{tid}")
        async def task(wid: str, pid: str, tid: str) -> Any:
            return self.tasks.get((wid, tid)) or _missing("task", tid)

        return app


def _missing(kind: str, object_id: str) -> JSONResponse:
    return JSONResponse(f"{kind} {object_id} not found", status_code=404)
