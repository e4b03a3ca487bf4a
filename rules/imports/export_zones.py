"""The time zone a tool's CSV exports were read in, so keys stay the same.

Toggl and Clockify exports print wall-clock start times; an entry's key is
its person and start instant, so the zone an export is read in decides its
keys. Reading the same export in two zones makes two sets of keys, and the
same time would reach Odoo twice. The first import of a tool's export
remembers the zone (as the value mapping `import.timezone`: tool → zone);
a later import in another zone is refused unless the caller says the
profile's zone really changed.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import select

from opsgate.rules.store.db import session_scope
from opsgate.rules.store.mapping_tables import ValueMapping

NAMESPACE = "import.timezone"
ZONED_SOURCES = frozenset({"toggl", "clockify"})
"""Tools whose export keys depend on the zone (Harvest's do not)."""


class ZoneChanged(Exception):
    """An export is read in another zone than the tool's earlier imports."""

    def __init__(self, source: str, before: str, now: str) -> None:
        super().__init__(
            f"{source} exports were imported before with times in {before}; this "
            f"import reads them in {now}, which gives the same entries other keys "
            f"and would count their time twice. Pass --timezone {before} (or set "
            f"[{source}] timezone = {before!r}); if the {source} profile's zone "
            "really changed, pass --timezone-changed."
        )
        self.source, self.before, self.now = source, before, now


def check_zone(engine: Engine, source: str, zone: str, *, changed: bool) -> None:
    """Remember `zone` for `source`, or raise `ZoneChanged` when it differs.

    With `changed`, the new zone replaces the remembered one.
    """
    if source not in ZONED_SOURCES:
        return
    with session_scope(engine) as session:
        known = session.exec(
            select(ValueMapping).where(
                ValueMapping.namespace == NAMESPACE, ValueMapping.source_value == source
            )
        ).first()
        if known is None:
            session.add(
                ValueMapping(
                    namespace=NAMESPACE,
                    source_value=source,
                    target_value=zone,
                    created_by="import",
                )
            )
        elif known.target_value != zone:
            if not changed:
                raise ZoneChanged(source, known.target_value, zone)
            known.target_value = zone
            session.add(known)
