"""The base every canonical object shares: identity, source and version."""

from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SourceKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class CanonicalObject(BaseModel):
    """A business object as Opsgate understands it, whatever system sent it."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    kind: ClassVar[str]
    """The canonical type name used in event types (`opsgate.<kind>.<verb>`)."""
    schema_version: ClassVar[str] = "1.0"
    """Version of this object's schema; bumped on any incompatible change."""

    source: SourceKey
    """The system the object came from (`hubspot`, `harvest`, `odoo`, ...)."""
    source_key: SourceKey
    """The object's id in its source system, unique per source and kind."""

    @property
    def external_id(self) -> str:
        """The idempotent Odoo external id for this object (`opsgate.<src>_<kind>_<key>`)."""
        safe_key = "".join(c if c.isalnum() else "_" for c in self.source_key)
        return f"opsgate.{self.source}_{self.kind}_{safe_key}"


class Money(BaseModel):
    """An amount in one currency."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Decimal = Field(max_digits=18, decimal_places=4)
    """The amount, in the currency's major unit."""
    currency: Currency
    """ISO 4217 code, upper case."""
