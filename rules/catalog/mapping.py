"""Apply a catalog mapping to a source payload: values, then the canonical object.

select_mapping(entry, event_type, payload) -> MappingRule | None
map_payload(entry, mapping, payload, headers) -> CanonicalObject
    raises MappingFailure (a value could not be read or transformed)
    raises ValidationFailure (the canonical object refused the values)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from opsgate.rules.canonical import CANONICAL_TYPES, CanonicalObject
from opsgate.rules.catalog.model import FieldRule, MappingRule, SourceEntry
from opsgate.rules.catalog.paths import MISSING, resolve
from opsgate.rules.catalog.transforms import TRANSFORMS, TransformError


class MappingFailure(ValueError):
    """Raised when a payload value cannot be read or transformed; names the path."""

    def __init__(self, message: str, *, path: str, value: Any) -> None:
        super().__init__(message)
        self.path = path
        self.value = value


class ValidationFailure(ValueError):
    """Raised when the mapped values do not make a valid canonical object."""

    def __init__(
        self, message: str, *, field: str, path: str | None, value: Any
    ) -> None:
        super().__init__(message)
        self.field = field
        self.path = path
        self.value = value


def mapping_label(entry: SourceEntry, mapping: MappingRule) -> str:
    """Return the name messages use for a mapping: `hubspot.deal→contract`."""
    return f"{entry.source}.{mapping.name}→{mapping.canonical}"


def select_mapping(
    entry: SourceEntry, event_type: str, payload: Any
) -> MappingRule | None:
    """Return the first mapping whose condition holds for this event."""
    for mapping in entry.mappings:
        if mapping.when.matches_type(event_type) and all(
            resolve(path, payload) == expected
            for path, expected in mapping.when.equals.items()
        ):
            return mapping
    return None


def read_field(
    rule: FieldRule, payload: Any, headers: Mapping[str, str] | None = None
) -> Any:
    """Return the value `rule` yields, or `MISSING`; raise `MappingFailure` if bad."""
    if rule.const is not None:
        value = rule.const
    else:
        value = resolve(rule.path, payload, headers) if rule.path else MISSING
        if value is MISSING or value is None:
            if rule.default is not None:
                return rule.default
            if rule.required:
                raise MappingFailure(
                    f"at {rule.path}: expected a value, found none",
                    path=str(rule.path),
                    value=None,
                )
            return value
    for name in rule.transform:
        try:
            value = TRANSFORMS[name](value, rule.table)
        except TransformError as exc:
            raise MappingFailure(
                f"at {rule.path or 'const'}: {exc}", path=str(rule.path), value=value
            ) from None
    return value


def map_payload(
    entry: SourceEntry,
    mapping: MappingRule,
    payload: Any,
    headers: Mapping[str, str] | None = None,
) -> CanonicalObject:
    """Map `payload` into the mapping's canonical object, validated."""
    label = mapping_label(entry, mapping)
    values = _copied(mapping, payload, label)
    for field, rule in mapping.fields.items():
        try:
            value = read_field(rule, payload, headers)
        except MappingFailure as exc:
            raise MappingFailure(
                f"Mapping {label} failed {exc}.", path=exc.path, value=exc.value
            ) from None
        if value is not MISSING and value is not None:
            values[field] = value
    values.setdefault("source", entry.source)
    return _validated(mapping, values, label)


def _copied(mapping: MappingRule, payload: Any, label: str) -> dict[str, Any]:
    if mapping.copy_from is None:
        return {}
    copied = resolve(mapping.copy_from, payload)
    if not isinstance(copied, Mapping):
        raise MappingFailure(
            f"Mapping {label} failed at {mapping.copy_from}: expected an object, "
            f"got {None if copied is MISSING else copied!r}.",
            path=mapping.copy_from,
            value=None if copied is MISSING else copied,
        )
    return dict(copied)


def _validated(
    mapping: MappingRule, values: dict[str, Any], label: str
) -> CanonicalObject:
    model = CANONICAL_TYPES[mapping.canonical]
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(step) for step in first["loc"]) or mapping.canonical
        top = str(first["loc"][0]) if first["loc"] else ""
        rule = mapping.fields.get(top)
        path = (
            rule.path
            if rule is not None
            else (
                f"{mapping.copy_from}.{top}"
                if mapping.copy_from and top in values
                else None
            )
        )
        value = values.get(top) if first["type"] != "missing" else None
        where = f"{field} (from {path})" if path else field
        detail = str(first["msg"]).removeprefix("Value error, ")
        got = "no value" if first["type"] == "missing" else f"got {value!r}"
        raise ValidationFailure(
            f"Validation of {label} failed at {where}: {detail}, {got}.",
            field=field,
            path=path,
            value=value,
        ) from None
