"""Decide what becomes of one accepted event: routed, rejected or ignored.

A pure function of the catalog, the systems of record and the event's raw
body; the stage applies the decision to the store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.canonical import CanonicalObject
from opsgate.rules.catalog.mapping import (
    MappingFailure,
    ValidationFailure,
    map_payload,
    mapping_label,
    select_mapping,
)
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.routing.enqueue import NewDelivery
from opsgate.rules.routing.ownership import SystemsOfRecord, find_conflicts


@dataclass(frozen=True)
class Routed:
    """The event maps to a valid canonical object; these deliveries are owed."""

    data: dict[str, Any]
    type: str
    subject: str
    workflow: str | None
    schema_version: str
    deliveries: tuple[NewDelivery, ...]


@dataclass(frozen=True)
class Rejected:
    """Mapping, validation or ownership failed; an incident says why."""

    category: ErrorCategory
    message: str
    fingerprint: str
    workflow: str | None = None
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Held:
    """Valid, but a workflow control has not passed; an incident names it.

    `routed` is what routing would do once the controls pass: the event keeps
    its canonical object, and no delivery is created yet.
    """

    failures: tuple[ControlOutcome, ...]
    routed: Routed


@dataclass(frozen=True)
class Ignored:
    """Valid, but no rule routes it anywhere."""

    reason: str


Decision = Routed | Rejected | Held | Ignored


class ControlOutcome(Protocol):
    """A workflow control that did not pass (`rules.workflows.controls.ControlFailure`)."""

    @property
    def control(self) -> str:
        """Stable name of the control (`contract_complete`)."""

    @property
    def category(self) -> ErrorCategory:
        """The incident's category."""

    @property
    def message(self) -> str:
        """What is missing, naming the record and the field."""


WorkflowControls = Callable[
    [tuple[str, ...], CanonicalObject], Sequence[ControlOutcome]
]
"""Given the controls a catalog mapping names and the mapped object, those that failed."""


def decide(
    catalog: Catalog,
    systems: SystemsOfRecord,
    *,
    event_id: str,
    source: str,
    event_type: str,
    subject: str | None,
    raw_body: bytes,
    controls: WorkflowControls | None = None,
) -> Decision:
    """Map, validate, check ownership and workflow controls, and route one event."""
    entry = catalog.get(source)
    if entry is None:
        return Rejected(
            ErrorCategory.MAPPING,
            f"Routing of event {event_id!r} failed: source {source!r} is not in the catalog.",
            f"mapping:{source}:unknown_source",
        )
    payload = json.loads(raw_body)
    mapping = select_mapping(entry, event_type, payload)
    if mapping is None:
        return Ignored(f"No mapping of {source!r} applies to type {event_type!r}.")
    label = mapping_label(entry, mapping)
    try:
        canonical = map_payload(entry, mapping, payload)
    except MappingFailure as exc:
        return _failed(
            ErrorCategory.MAPPING,
            str(exc),
            label,
            exc.path,
            exc.value,
            mapping.workflow,
        )
    except ValidationFailure as exc:
        return _failed(
            ErrorCategory.VALIDATION,
            str(exc),
            label,
            exc.path or exc.field,
            exc.value,
            mapping.workflow,
        )
    conflicts = find_conflicts(
        systems, kind=canonical.kind, source=source, fields=canonical.model_fields_set
    )
    if conflicts:
        fields = ", ".join(
            f"{c.kind}.{c.field} (owned by {c.owner!r})" for c in conflicts
        )
        return Rejected(
            ErrorCategory.CONFLICT,
            f"Ownership check of {label} failed: {source!r} may not set {fields}; "
            "the update was not applied.",
            f"conflict:{label}:{','.join(c.field for c in conflicts)}",
            mapping.workflow,
            {
                "fields": [c.field for c in conflicts],
                "owners": [c.owner for c in conflicts],
            },
        )
    failures = (
        tuple(controls(mapping.controls, canonical))
        if controls and mapping.controls
        else ()
    )
    if not mapping.routes and not failures:
        return Ignored(f"Mapping {label} has no routes.")
    data = canonical.model_dump(mode="json")
    command = {
        "kind": canonical.kind,
        "external_id": canonical.external_id,
        "schema_version": canonical.schema_version,
        "object": data,
    }
    routed = Routed(
        data=data,
        type=mapping.emits or event_type,
        subject=subject or canonical.source_key,
        workflow=mapping.workflow,
        schema_version=canonical.schema_version,
        deliveries=tuple(
            NewDelivery(event_id, route.target, route.operation, command)
            for route in mapping.routes
        ),
    )
    return Held(failures, routed) if failures else routed


def _failed(
    category: ErrorCategory,
    message: str,
    label: str,
    path: str | None,
    value: Any,
    workflow: str | None,
) -> Rejected:
    return Rejected(
        category,
        message,
        f"{category.value}:{label}:{path}",
        workflow,
        {"path": path, "value": repr(value)},
    )
