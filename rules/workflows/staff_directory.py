"""Who is who: consultants as the HR system of record last described them.

Time tools name people by email, by name, or by an HR id; the directory finds
the consultant behind any of these from the consultant events in the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from opsgate.rules.canonical import Consultant, Timesheet
from opsgate.rules.store.tables import Event


@dataclass(frozen=True)
class StaffDirectory:
    """Consultants indexed by HR key, email and name."""

    by_key: dict[str, Consultant]
    by_email: dict[str, Consultant]
    by_name: dict[str, Consultant]

    @classmethod
    def load(cls, session: Session) -> StaffDirectory:
        """Read every consultant event, the latest per consultant winning."""
        rows = session.exec(
            select(Event.data)
            .where(
                Event.type == "opsgate.consultant.upserted",
                col(Event.data).is_not(None),
            )
            .order_by(col(Event.accepted_at))
        ).all()
        by_key: dict[str, Consultant] = {}
        for data in rows:
            consultant = Consultant.model_validate(data)
            by_key[consultant.source_key] = consultant
        return cls(
            by_key=by_key,
            by_email={
                c.work_email.lower(): c
                for c in by_key.values()
                if c.work_email is not None
            },
            by_name={c.name.casefold(): c for c in by_key.values()},
        )

    def find(self, entry: Timesheet) -> Consultant | None:
        """The consultant an entry belongs to, by HR key, then email, then name."""
        if entry.consultant_key and entry.consultant_key in self.by_key:
            return self.by_key[entry.consultant_key]
        if entry.consultant_email and entry.consultant_email.lower() in self.by_email:
            return self.by_email[entry.consultant_email.lower()]
        if entry.consultant_name:
            return self.by_name.get(entry.consultant_name.casefold())
        return None
