"""The catalog's shape: per source, how a body becomes an event and where it goes.

Catalog
 └── SourceEntry         one per source (one YAML file each, usually)
      ├── event: EventRule          id, type, time, subject, correlation
      └── mappings: [MappingRule]   when → canonical object → routes
           ├── fields: {name: FieldRule}
           └── routes: [Route]
"""

from __future__ import annotations

import fnmatch
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from opsgate.rules.catalog.transforms import TRANSFORMS

_STRICT = ConfigDict(extra="forbid", frozen=True)


class FieldRule(BaseModel):
    """Where one value comes from: a path or a constant, then transforms."""

    model_config = _STRICT

    path: str | None = None
    """Field path into the payload (`data.object.id`) or `header:<name>`."""
    const: Any = None
    """A fixed value, used instead of a path."""
    transform: tuple[str, ...] = ()
    """Named transforms applied in order (`[ms_epoch, date]`)."""
    table: dict[str, Any] | None = None
    """The table the `lookup` transform reads."""
    default: Any = None
    """Used when the path leads nowhere (or holds null)."""
    required: bool = False
    """When true, a path that leads nowhere is a mapping failure."""

    @model_validator(mode="before")
    @classmethod
    def _from_shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"path": value}
        if isinstance(value, dict) and isinstance(value.get("transform"), str):
            return {**value, "transform": [value["transform"]]}
        return value

    @field_validator("transform")
    @classmethod
    def _known_transforms(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        for name in names:
            if name not in TRANSFORMS:
                raise ValueError(
                    f"unknown transform {name!r}; known: {', '.join(sorted(TRANSFORMS))}"
                )
        return names

    @model_validator(mode="after")
    def _one_origin(self) -> FieldRule:
        if self.path is None and self.const is None and self.default is None:
            raise ValueError("a field needs `path`, `const` or `default`")
        if self.path is not None and self.const is not None:
            raise ValueError("a field takes `path` or `const`, not both")
        if "lookup" in self.transform and not self.table:
            raise ValueError("the `lookup` transform needs a `table`")
        return self


class When(BaseModel):
    """The condition under which a mapping applies."""

    model_config = _STRICT

    type: tuple[str, ...] = ()
    """Source event types it applies to; shell-style wildcards (`deal.*`)."""
    equals: dict[str, Any] = {}
    """Payload paths and the values they must hold."""

    @field_validator("type", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def matches_type(self, event_type: str) -> bool:
        """Return True when `event_type` is one this condition names (or none named)."""
        return not self.type or any(
            fnmatch.fnmatchcase(event_type, p) for p in self.type
        )


class Route(BaseModel):
    """One delivery a mapped event owes: a target and an operation there."""

    model_config = _STRICT

    target: str = Field(min_length=1, max_length=64)
    """The target system (`odoo`, `null`, ...)."""
    operation: str = Field(min_length=1, max_length=128)
    """What to do there (`upsert:res.partner`)."""


class MappingRule(BaseModel):
    """How one kind of source event becomes one canonical object, and its routes."""

    model_config = _STRICT

    name: str = Field(min_length=1)
    """Short name, unique in the source (`deal`); messages say `source.name→kind`."""
    when: When = When()
    """When the mapping applies; the first mapping that matches wins."""
    canonical: str
    """The canonical kind (`contract`, `customer`, ...)."""
    emits: str | None = None
    """The CloudEvents `type` of the mapped event (`opsgate.contract.won`)."""
    workflow: str | None = None
    """The workflow the event belongs to (`lead-to-project`)."""
    controls: tuple[str, ...] = ()
    """Workflow controls that must pass before the event is routed; until they
    do, the event is held and an incident names the control."""
    copy_from: str | None = Field(default=None, alias="copy")
    """A payload path whose keys are copied as canonical fields before `fields`."""
    fields: dict[str, FieldRule] = {}
    """Canonical field name → where its value comes from."""
    routes: tuple[Route, ...] = ()
    """Deliveries to create; none means the event is kept but goes nowhere."""


class EventRule(BaseModel):
    """How an accepted body yields its event attributes."""

    model_config = _STRICT

    id: FieldRule | None = None
    """The sender's event id. Without it: the signature's message id, else a body hash."""
    type: FieldRule | None = None
    """The source's event type."""
    time: FieldRule | None = None
    """When it happened (give a transform such as `ms_epoch` or `datetime`)."""
    subject: FieldRule | None = None
    """The business key the event is about."""
    correlation: FieldRule | None = None
    """What ties this event to others of the same flow."""


class SourceEntry(BaseModel):
    """Everything the catalog says about one source."""

    model_config = _STRICT

    source: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    """The source's name, as it appears in `/webhooks/{source}`."""
    description: str | None = None
    """What the source is."""
    signature: str = "standard-webhooks"
    """The webhook signature scheme (`standard-webhooks`)."""
    event: EventRule = EventRule()
    """How a body yields its event attributes."""
    mappings: tuple[MappingRule, ...] = ()
    """Tried in order; the first that matches maps the event."""
    file: str = ""
    """The file it was read from (set by the loader)."""


class Catalog(BaseModel):
    """The whole catalog: every source the engine knows."""

    model_config = ConfigDict(frozen=True)

    sources: dict[str, SourceEntry] = {}
    """Entries by source name."""

    def get(self, source: str) -> SourceEntry | None:
        """Return the entry for `source`, or None when the source is unknown."""
        return self.sources.get(source)
