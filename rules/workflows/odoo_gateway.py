"""What the workflows need from Odoo, as a Protocol the Odoo client satisfies.

Keeping the workflows on this narrow surface lets them be read (and tested)
without the transport details of JSON-2, JSON-RPC or XML-RPC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from opsgate.connectors.errors import ConnectorError


class RowOutcome(Protocol):
    """How one row of an upsert ended."""

    @property
    def status(self) -> str:
        """`created`, `updated`, `unchanged` or `failed`."""

    @property
    def record_id(self) -> int | None:
        """The record's database id, when it landed."""

    @property
    def error(self) -> ConnectorError | None:
        """Why the row failed, naming row, field and value."""


class OdooGateway(Protocol):
    """The Odoo operations the four workflows use."""

    async def upsert(
        self, model: str, rows: Sequence[Mapping[str, Any]]
    ) -> Sequence[RowOutcome]:
        """Create or update rows keyed by their `id` external id, via `load`."""

    async def search_read(
        self,
        model: str,
        domain: Sequence[Any],
        *,
        fields: Sequence[str],
        limit: int | None = None,
        order: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Return matching records with the named fields."""

    async def read(
        self,
        model: str,
        ids: Sequence[int],
        *,
        fields: Sequence[str],
        context: Mapping[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Return the records that still exist, with the named fields."""

    async def create(self, model: str, values: Mapping[str, Any]) -> int:
        """Create one record and return its id."""

    async def write(
        self, model: str, ids: Sequence[int], values: Mapping[str, Any]
    ) -> bool:
        """Write values on existing records."""

    async def call(
        self,
        model: str,
        method: str,
        ids: Sequence[int],
        *,
        context: Mapping[str, Any] | None = None,
    ) -> Any:
        """Call a public method (`action_confirm`, `action_post`, ...) on records."""
