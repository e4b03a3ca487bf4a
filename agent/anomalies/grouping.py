"""Group timesheet rows by a key and reach each group's rows without scanning."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opsgate.rules.billing.lines import FloatArray, IntArray, TimesheetLines


@dataclass(frozen=True)
class Groups:
    """Rows grouped by an integer key; group `g` holds `rows_of(g)`."""

    of_row: IntArray
    """The group of each row."""
    keys: IntArray
    """The key of each group, ascending."""
    order: IntArray
    """Row numbers sorted by group."""
    starts: IntArray
    """Where each group begins in `order`; one extra entry at the end."""

    @property
    def count(self) -> int:
        """Return the number of groups."""
        return len(self.keys)

    def rows_of(self, group: int) -> IntArray:
        """Return the row numbers of `group`."""
        return self.order[self.starts[group] : self.starts[group + 1]]

    def sum(self, values: FloatArray) -> FloatArray:
        """Return the sum of `values` per group."""
        totals = np.bincount(self.of_row, weights=values, minlength=self.count)
        return totals.astype(np.float64)

    def size(self) -> IntArray:
        """Return the number of rows per group."""
        return np.bincount(self.of_row, minlength=self.count).astype(np.int64)


def group_by(key: IntArray) -> Groups:
    """Group rows whose `key` values are equal."""
    keys, of_row = np.unique(key, return_inverse=True)
    order = np.argsort(of_row, kind="stable")
    starts = np.searchsorted(of_row[order], np.arange(len(keys) + 1))
    return Groups(
        of_row=of_row.astype(np.int64),
        keys=keys.astype(np.int64),
        order=order.astype(np.int64),
        starts=starts.astype(np.int64),
    )


def consultant_days(lines: TimesheetLines) -> Groups:
    """Group rows by consultant and work date."""
    return group_by(lines.consultant * 10_000_000 + lines.day)


def day_of_key(key: IntArray) -> IntArray:
    """Return the date ordinal inside a consultant-day key."""
    return key % 10_000_000


def owner_of_key(key: IntArray) -> IntArray:
    """Return the consultant (or project) code inside a consultant-day key."""
    return key // 10_000_000


def median_by(owner: IntArray, values: FloatArray, owners: int) -> FloatArray:
    """Return the median of `values` per `owner` code (NaN for owners with none)."""
    order = np.lexsort((values, owner))
    sorted_owner, sorted_values = owner[order], values[order]
    starts = np.searchsorted(sorted_owner, np.arange(owners))
    ends = np.searchsorted(sorted_owner, np.arange(owners), side="right")
    counts = ends - starts
    medians = np.full(owners, np.nan)
    has = counts > 0
    low = starts[has] + (counts[has] - 1) // 2
    high = starts[has] + counts[has] // 2
    medians[has] = (sorted_values[low] + sorted_values[high]) / 2
    return medians


def count_by(owner: IntArray, owners: int) -> IntArray:
    """Return how many entries each `owner` code has."""
    return np.bincount(owner, minlength=owners).astype(np.int64)


def group_by_columns(*columns: IntArray) -> Groups:
    """Group rows equal in every column; a group's key is its first row number."""
    size = len(columns[0])
    order = np.lexsort(columns[::-1]).astype(np.int64)
    change = np.zeros(size, dtype=np.bool_)
    if size:
        change[0] = True
    for column in columns:
        ordered = column[order]
        change[1:] |= ordered[1:] != ordered[:-1]
    starts = np.append(np.flatnonzero(change), size).astype(np.int64)
    of_row = np.empty(size, dtype=np.int64)
    of_row[order] = np.cumsum(change) - 1
    return Groups(of_row=of_row, keys=order[starts[:-1]], order=order, starts=starts)


_EPOCH_ORDINAL = 719_163
"""`date(1970, 1, 1).toordinal()`: where numpy's day count starts."""


def month_of(days: IntArray) -> IntArray:
    """Return a month number (months since 1970-01) per date ordinal, vectorised."""
    as_dates = (days - _EPOCH_ORDINAL).astype("datetime64[D]")
    return as_dates.astype("datetime64[M]").astype(np.int64)


def month_end_ordinal(months: IntArray) -> IntArray:
    """Return the date ordinal of the last day of each month number."""
    next_first = (months + 1).astype("datetime64[M]").astype("datetime64[D]")
    return next_first.astype(np.int64) - 1 + _EPOCH_ORDINAL
