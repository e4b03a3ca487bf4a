"""Look up and remember which outside record stands for a business key.

References are value mappings (`rules/store/mapping_tables.py`) in the
namespace `<system>.<kind>` — `odoo.project`: `P-01` → `29` — so the mappings
the engine learns and the ones a person approves through an `add_mapping`
proposal live in one place and are looked up the same way.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from opsgate.rules.store.mapping_tables import ValueMapping


def reference_namespace(system: str, kind: str) -> str:
    """The mapping namespace of references of `kind` in `system`."""
    return f"{system}.{kind}"


def remember_reference(
    session: Session,
    system: str,
    kind: str,
    key: str,
    remote_id: int,
    *,
    created_by: str = "engine",
) -> None:
    """Record (or move) the reference for `key` in the caller's transaction."""
    namespace = reference_namespace(system, kind)
    existing = session.exec(
        select(ValueMapping).where(
            ValueMapping.namespace == namespace, ValueMapping.source_value == key
        )
    ).first()
    if existing is None:
        existing = ValueMapping(
            namespace=namespace,
            source_value=key,
            target_value=str(remote_id),
            created_by=created_by,
        )
    else:
        existing.target_value = str(remote_id)
    session.add(existing)
    session.flush()


AMBIGUOUS = -1
"""The remote id a name is remembered with once it names two records."""


def name_kind(kind: str) -> str:
    """The kind references by name are remembered under (`project_name`)."""
    return f"{kind}_name"


def remember_name(
    session: Session, system: str, kind: str, name: str, remote_id: int
) -> None:
    """Remember `name` (case and spacing aside) for `remote_id`, unless it is taken.

    A name that already stands for another record is marked ambiguous, so it
    resolves to nothing rather than to the wrong one; a code or an explicit
    mapping still resolves.
    """
    key = " ".join(name.split()).casefold()
    if not key:
        return
    namespace = reference_namespace(system, name_kind(kind))
    existing = session.exec(
        select(ValueMapping).where(
            ValueMapping.namespace == namespace, ValueMapping.source_value == key
        )
    ).first()
    if existing is None:
        existing = ValueMapping(
            namespace=namespace,
            source_value=key,
            target_value=str(remote_id),
            created_by="engine",
        )
    elif existing.target_value != str(remote_id):
        existing.target_value = str(AMBIGUOUS)
    session.add(existing)
    session.flush()


def resolve(references: dict[tuple[str, str], int], kind: str, key: str) -> int | None:
    """The remote id for `key`: as a code first, then as a name (never ambiguous)."""
    found = references.get((kind, key))
    if found is not None:
        return found
    by_name = references.get((name_kind(kind), " ".join(key.split()).casefold()))
    return None if by_name is None or by_name == AMBIGUOUS else by_name


def load_references(
    session: Session, system: str, kinds: tuple[str, ...]
) -> dict[tuple[str, str], int]:
    """Every reference of the given kinds, as `{(kind, key): remote id}`."""
    namespaces = {reference_namespace(system, kind): kind for kind in kinds}
    rows = session.exec(
        select(
            ValueMapping.namespace, ValueMapping.source_value, ValueMapping.target_value
        ).where(col(ValueMapping.namespace).in_(namespaces))
    ).all()
    return {(namespaces[ns], key): int(value) for ns, key, value in rows}
