"""The stable per-row dedupe key of a time entry, and its event id.

None of the three exports carries an entry id, so identity comes from
content. `entry_key` digests what describes the entry itself, normalised so
that export settings do not change it (dates as ISO, hours as a decimal,
text stripped):

- Harvest: date, person (Employee Id, else first + last name), client,
  project, task, notes, hours.
- Toggl and Clockify: the tool, the person (e-mail, lower-cased, else the
  user name), the instant the entry started (UTC, to the second) and the
  work: project, task, description (`tracked_identity`). A webhook's entry,
  read back, says the same, so an entry that arrives by webhook and again in
  a CSV export is one entry with one key (see
  `opsgate.rules.workflows.tracked_time`). The end and the hours are not part
  of it: a corrected duration updates the entry. A row without a start time
  falls back to its content (date, hours, client, project, task,
  description).

A counter is appended (`...-1`, `...-2`) for rows with the same digest in one
file: two identical Harvest rows on one day are two entries, and re-importing
the file, or an export that overlaps it by whole days, yields the same two
keys again.

The event id adds a digest of the entry's state (approved, invoiced,
billable, rates, amounts): when an entry becomes approved or invoiced in the
tool, the next import carries a new event for the same entry key, which
updates the one Odoo line (its external id comes from the entry key).

For Toggl and Clockify the state also holds what may be edited on the same
entry (end, hours, client, project, task, description): an edited entry is
an update of its Odoo line, not a new one.

Trade-offs, stated plainly: for Harvest an edit in the tool to any field of
the entry key (hours, notes, project) makes the re-exported row a new entry,
and the old one stays until reconciliation reports the drift; for Toggl and
Clockify the same holds for an edit of the start time, the person, the
project, the task or the description (a webhook edit keeps its key by entry
id, but a later CSV export of the edited entry is a new entry). The
CSV start times are wall-clock times in the exporting profile's zone, so a
CSV imported with the wrong `--timezone` gets keys that differ from the
webhook's by the offset, and the same time would be counted twice; the
import default comes from the tool's settings (`[toggl] timezone`). An
export whose date range cuts a day in half can shift the counter of true
duplicates on that day.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime


def digest(parts: Iterable[object]) -> str:
    """Return a short, stable digest of `parts` (None and '' are the same)."""
    joined = "\x1f".join("" if part is None else str(part).strip() for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:32]


class EntryKeys:
    """Hands out entry keys within one file, counting identical rows."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._seen: Counter[str] = Counter()

    def key(self, identity: Iterable[object]) -> str:
        """Return `<digest>-<n>` for the n-th row with this identity in the file."""
        base = entry_key_base(self._source, identity)
        self._seen[base] += 1
        return f"{base}-{self._seen[base]}"


def entry_key_base(source: str, identity: Iterable[object]) -> str:
    """Return the digest an entry key starts with, before its `-<n>` counter."""
    return digest([source, *identity])


def tracked_identity(
    person: str,
    started_at: datetime,
    *,
    project: str,
    task: str | None,
    description: str | None,
) -> tuple[str, ...]:
    """Return the identity Toggl and Clockify entries share across CSV and webhooks.

    `started_at` must be timezone-aware; it is compared in UTC, to the second.
    The work (project, task, description) is part of it because manual
    entries in both tools all start at the same default hour (09:00): the
    person and the start alone would make a day's entries one.
    """
    start = started_at.astimezone(UTC).replace(microsecond=0)
    return (
        person.strip().lower(),
        start.isoformat(),
        " ".join(project.split()),
        " ".join((task or "").split()),
        " ".join((description or "").split()),
    )


def event_id(entry_key: str, state: Iterable[object]) -> str:
    """Return the source event id: the entry key plus a digest of its state."""
    return f"{entry_key}.{digest(state)[:12]}"
