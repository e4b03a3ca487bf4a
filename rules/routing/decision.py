"""Decide what becomes of one accepted event: routed, rejected or ignored.

A pure function of the catalog, the systems of record and the event's raw
body; the stage applies the decision to the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from opsgate.connectors.errors import ErrorCategory
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
from opsgate.rules.workflows.controls import ControlFailure, WorkflowControls


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
    """Valid, but a workflow control failed; the event waits and incidents say why."""

    data: dict[str, Any]
    type: str
    subject: str
    workflow: str | None
    schema_version: str
    failures: tuple[ControlFailure, ...]


@dataclass(frozen=True)
class Ignored:
    """Valid, but no rule routes it anywhere."""

    reason: str


Decision = Routed | Held | Rejected | Ignored


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
    """Map, validate, check ownership, run the workflow's controls, route one event."""
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
    data = canonical.model_dump(mode="json")
    failures = controls.check(mapping.controls, canonical) if controls else []
    if failures:
        return Held(
            data=data,
            type=mapping.emits or event_type,
            subject=subject or canonical.source_key,
            workflow=mapping.workflow,
            schema_version=canonical.schema_version,
            failures=tuple(failures),
        )
    if not mapping.routes:
        return Ignored(f"Mapping {label} has no routes.")
    command = {
        "kind": canonical.kind,
        "external_id": canonical.external_id,
        "schema_version": canonical.schema_version,
        "object": data,
    }
    return Routed(
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
