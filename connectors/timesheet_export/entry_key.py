"""The stable per-row dedupe key of a time entry, and its event id.

None of the three exports carries an entry id, so identity comes from
content. `entry_key` digests what describes the entry itself, normalised so
that export settings do not change it (dates as ISO, hours as a decimal,
text stripped):

- Harvest: date, person (Employee Id, else first + last name), client,
  project, task, notes, hours.
- Toggl and Clockify: person (e-mail, else user name), start and end date
  and time, client, project, task, description. Start and end are to the
  second and do not change with the duration display setting or report
  rounding, so they are used instead of the duration.

A counter is appended (`...-1`, `...-2`) for rows with the same digest in one
file: two identical Harvest rows on one day are two entries, and re-importing
the file, or an export that overlaps it by whole days, yields the same two
keys again.

The event id adds a digest of the entry's state (approved, invoiced,
billable, rates, amounts): when an entry becomes approved or invoiced in the
tool, the next import carries a new event for the same entry key, which
updates the one Odoo line (its external id comes from the entry key).

Trade-offs, stated plainly: an edit in the tool to any field of the entry
key (hours, notes, project, a start time) makes the re-exported row a new
entry, and the old one stays until reconciliation reports the drift; an
export whose date range cuts a day in half can shift the counter of true
duplicates on that day.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable


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
        base = digest([self._source, *identity])
        self._seen[base] += 1
        return f"{base}-{self._seen[base]}"


def event_id(entry_key: str, state: Iterable[object]) -> str:
    """Return the source event id: the entry key plus a digest of its state."""
    return f"{entry_key}.{digest(state)[:12]}"
