"""Read what a Clockify webhook does not carry: e-mails and approved periods.

Clockify's entry webhooks name the project, client and task, but the person
usually only by id and name; an approval request names a person and a
period, not its entries. This client reads a workspace's users and one
person's entries for a period over the REST API v1 (`X-Api-Key`), keeping
the user list for `cache_ttl_s`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
from cachetools import TTLCache
from pydantic import BaseModel, ConfigDict, SecretStr

from opsgate.connectors.clockify.webhook import entry_fields
from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.rest_api import RestApi
from opsgate.connectors.timesheet_export.zones import IanaZone

PAGE_SIZE = 200
"""Entries per page when reading an approved period."""


class ClockifySettings(BaseModel):
    """How to reach Clockify's API, and what its webhooks' entries mean."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = "https://api.clockify.me/api"
    """Base URL of the REST API."""
    api_key: SecretStr | None = None
    """A workspace admin's API key; needed to read e-mails and approved periods."""
    timezone: IanaZone = "UTC"
    """The firm's time zone: the day a webhook entry belongs to, and the
    default `--timezone` for Clockify CSV imports, so both give the same keys."""
    approval_required: bool = False
    """True when the workspace approves timesheets: an entry whose webhook
    carries no approval status counts as not approved until its period is."""
    cache_ttl_s: float = 300.0
    """Seconds a workspace's user list is reused."""
    timeout_s: float = 10.0
    """Seconds to wait for one call."""


class ClockifyWorkspace(RestApi):
    """A workspace's users and a person's entries for a period."""

    target = "clockify"

    def __init__(
        self,
        *,
        settings: ClockifySettings,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        key = settings.api_key.get_secret_value() if settings.api_key else ""
        super().__init__(
            base_url=settings.base_url,
            headers={"x-api-key": key},
            timeout_s=settings.timeout_s,
            transport=transport,
        )
        self._users: TTLCache[str, dict[str, dict[str, Any]]] = TTLCache(
            maxsize=100, ttl=settings.cache_ttl_s
        )

    async def person(self, workspace_id: str, user_id: str) -> dict[str, Any]:
        """Return `{id, email, name}` of a workspace member, or raise naming them."""
        if workspace_id not in self._users:
            users: dict[str, dict[str, Any]] = {}
            page = 1
            while True:
                batch = await self.get(
                    f"/v1/workspaces/{workspace_id}/users",
                    operation="get:users",
                    page=page,
                    **{"page-size": PAGE_SIZE},
                )
                for user in batch:
                    users[str(user.get("id"))] = {
                        "id": str(user.get("id")),
                        "email": user.get("email"),
                        "name": user.get("name"),
                    }
                if len(batch) < PAGE_SIZE:
                    break
                page += 1
            self._users[workspace_id] = users
        found = self._users[workspace_id].get(str(user_id))
        if found is None:
            raise ConnectorError(
                f"Clockify user {user_id} is not a member of workspace "
                f"{workspace_id}; the entry's person cannot be named.",
                category=ErrorCategory.MISSING_REFERENCE,
                retryable=False,
                target=self.target,
                operation="get:users",
            )
        return dict(found)

    async def complete(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Fill an entry's person e-mail (and name) when its webhook had none."""
        filled = dict(entry)
        if not filled.get("user_email"):
            person = await self.person(
                str(entry["workspace_id"]), str(entry["user_id"])
            )
            filled["user_email"] = person["email"]
            filled["user_name"] = filled.get("user_name") or person["name"]
        return filled

    async def period_entries(
        self, workspace_id: str, user_id: str, first: date, last: date
    ) -> list[dict[str, Any]]:
        """Return the person's entries from `first` to `last`, as webhook fields."""
        return [
            entry_fields(entry, "time_entry.updated")
            for entry in await self.entries(workspace_id, user_id, first, last)
        ]

    async def entries(
        self, workspace_id: str, user_id: str, first: date, last: date
    ) -> list[dict[str, Any]]:
        """Return the person's entries that start from `first` to `last`, hydrated."""
        start = datetime.combine(first, time(), UTC)
        end = datetime.combine(last + timedelta(days=1), time(), UTC)
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            batch = await self.get(
                f"/v1/workspaces/{workspace_id}/user/{user_id}/time-entries",
                operation="get:time-entries",
                start=_instant(start),
                end=_instant(end),
                hydrated="true",
                page=page,
                **{"page-size": PAGE_SIZE},
            )
            found.extend(batch)
            if len(batch) < PAGE_SIZE:
                return found
            page += 1


def _instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
