"""Read what a Toggl webhook names by id: people, projects, clients, tasks.

Toggl's webhook payloads carry ids only, while time-to-billing matches
projects by name and people by e-mail. This client reads them over the Track
API v9 (`/api/v9/workspaces/{wid}/...`, HTTP Basic with the API token and
the word `api_token`) and keeps what it read for `cache_ttl_s`, so a busy
day's webhooks cost a few calls, not one per entry.
"""

from __future__ import annotations

from typing import Any

import httpx
from cachetools import TTLCache
from pydantic import BaseModel, ConfigDict, SecretStr

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.rest_api import RestApi
from opsgate.connectors.timesheet_export.zones import IanaZone


class TogglSettings(BaseModel):
    """How to reach Toggl Track's API, and the zone its users' days are in."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://api.track.toggl.com"
    """Base URL of the Track API."""
    api_token: SecretStr | None = None
    """An admin's API token (Profile → API Token); needed to read webhook entries."""
    timezone: IanaZone = "UTC"
    """The firm's time zone: the day a webhook entry belongs to, and the
    default `--timezone` for Toggl CSV imports, so both give the same keys."""
    cache_ttl_s: float = 300.0
    """Seconds a person, project, client or task read from Toggl is reused."""
    timeout_s: float = 10.0
    """Seconds to wait for one call."""


class TogglTrack(RestApi):
    """Workspace users, projects, clients and tasks, cached."""

    target = "toggl"

    def __init__(
        self,
        *,
        settings: TogglSettings,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        token = settings.api_token.get_secret_value() if settings.api_token else ""
        super().__init__(
            base_url=settings.base_url,
            headers={},
            auth=httpx.BasicAuth(token, "api_token"),
            timeout_s=settings.timeout_s,
            transport=transport,
        )
        self._cache: TTLCache[tuple[str, ...], Any] = TTLCache(
            maxsize=10_000, ttl=settings.cache_ttl_s
        )

    async def person(self, workspace_id: str, user_id: str) -> dict[str, Any]:
        """Return `{id, email, name}` of a workspace member, or raise naming them."""
        key = ("users", workspace_id)
        if key not in self._cache:
            users = await self.get(
                f"/api/v9/workspaces/{workspace_id}/users", operation="get:users"
            )
            self._cache[key] = {
                str(u.get("id")): {
                    "id": str(u.get("id")),
                    "email": u.get("email"),
                    "name": u.get("fullname") or u.get("name"),
                }
                for u in users
            }
        found = self._cache[key].get(str(user_id))
        if found is None:
            raise ConnectorError(
                f"Toggl user {user_id} is not a member of workspace {workspace_id}; "
                "the entry's person cannot be named.",
                category=ErrorCategory.MISSING_REFERENCE,
                retryable=False,
                target=self.target,
                operation="get:users",
            )
        return dict(found)

    async def project(self, workspace_id: str, project_id: str) -> dict[str, Any]:
        """Return the project (`name`, `client_id`, ...)."""
        return await self._cached(
            ("project", workspace_id, project_id),
            f"/api/v9/workspaces/{workspace_id}/projects/{project_id}",
            "get:project",
        )

    async def client(self, workspace_id: str, client_id: str) -> dict[str, Any]:
        """Return the client (`name`)."""
        return await self._cached(
            ("client", workspace_id, client_id),
            f"/api/v9/workspaces/{workspace_id}/clients/{client_id}",
            "get:client",
        )

    async def task(
        self, workspace_id: str, project_id: str, task_id: str
    ) -> dict[str, Any]:
        """Return the task (`name`)."""
        return await self._cached(
            ("task", workspace_id, task_id),
            f"/api/v9/workspaces/{workspace_id}/projects/{project_id}/tasks/{task_id}",
            "get:task",
        )

    async def _cached(
        self, key: tuple[str, ...], path: str, operation: str
    ) -> dict[str, Any]:
        if key not in self._cache:
            self._cache[key] = await self.get(path, operation=operation)
        return dict(self._cache[key])

    async def complete(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Fill an entry's person, project, client and task names from their ids."""
        filled = dict(entry)
        workspace = str(entry["workspace_id"])
        if not filled.get("user_email"):
            person = await self.person(workspace, str(entry["user_id"]))
            filled["user_email"] = person["email"]
            filled["user_name"] = filled.get("user_name") or person["name"]
        if filled.get("project_id") and not filled.get("project_name"):
            project = await self.project(workspace, str(filled["project_id"]))
            filled["project_name"] = project.get("name")
            if project.get("client_id") and not filled.get("customer_id"):
                filled["customer_id"] = str(project["client_id"])
        if filled.get("customer_id") and not filled.get("customer_name"):
            client = await self.client(workspace, str(filled["customer_id"]))
            filled["customer_name"] = client.get("name")
        if filled.get("task_id") and not filled.get("task_name"):
            task = await self.task(
                workspace, str(filled.get("project_id")), str(filled["task_id"])
            )
            filled["task_name"] = task.get("name")
        return filled
