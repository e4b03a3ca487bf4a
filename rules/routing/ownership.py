"""Systems of record: which source owns each canonical object and field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict


class SystemsOfRecord(BaseModel):
    """Who owns what, keyed by canonical kind or `kind.field`.

    `{"customer": "hubspot", "customer.account_status": "odoo"}` says HubSpot
    owns customers except their account status, which Odoo owns. A kind or
    field that no key names has no owner: every source may update it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    owners: dict[str, str] = {}
    """Owning source by `kind` or `kind.field` (the field key wins)."""

    def owner_of(self, kind: str, field: str) -> str | None:
        """Return the source that owns `field` of `kind`, if any does."""
        return self.owners.get(f"{kind}.{field}", self.owners.get(kind))


@dataclass(frozen=True)
class OwnershipConflict:
    """One field a source tried to set without owning it."""

    kind: str
    field: str
    owner: str
    source: str


def find_conflicts(
    systems: SystemsOfRecord, *, kind: str, source: str, fields: Iterable[str]
) -> list[OwnershipConflict]:
    """Return the fields of `kind` that `source` sets but another system owns."""
    conflicts = []
    for field in sorted(fields):
        if field in ("source", "source_key"):
            continue
        owner = systems.owner_of(kind, field)
        if owner is not None and owner != source:
            conflicts.append(OwnershipConflict(kind, field, owner, source))
    return conflicts
