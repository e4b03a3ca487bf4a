"""The stand-in's in-memory database: tables, id sequences, transactions.

Every request runs in one transaction, as with Odoo: an error anywhere in the
request puts back every row it touched (the recordings show a failed `load`
or a failed multi-record `write` leaving nothing behind). All records written
by one transaction share its start time as `write_date`, which is what Odoo
stores (with microseconds) and reads back cut to the second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import product
from typing import Any

Row = dict[str, Any]

INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "ir.model.data": (("module", "name"), ("model", "res_id")),
}
"""Columns looked up by value instead of by a scan, as Odoo's own indexes on
`ir_model_data` (unique `(module, name)`, and `(model, res_id)`) do."""


class _Index:
    """Row ids by the values of some columns, kept as rows change."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self.ids: dict[tuple[Any, ...], set[int]] = {}

    def key(self, row: Row) -> tuple[Any, ...] | None:
        key = tuple(row.get(column) for column in self.columns)
        try:
            hash(key)
        except TypeError:
            return None
        return key

    def add(self, row: Row) -> None:
        key = self.key(row)
        if key is not None:
            self.ids.setdefault(key, set()).add(row["id"])

    def discard(self, row: Row) -> None:
        key = self.key(row)
        ids = self.ids.get(key) if key is not None else None
        if ids is not None:
            ids.discard(row["id"])
            if not ids:
                del self.ids[key]  # type: ignore[arg-type]


class Outcome:
    """Set `failed` inside `savepoint_all` to undo the block without raising."""

    failed: bool = False


class Database:
    """Tables of rows keyed by id, with an undo log per transaction."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self.tables: dict[str, dict[int, Row]] = {}
        """Rows by id per model; change them through `insert`, `update`, `delete`."""
        self._indexes: dict[str, list[_Index]] = {
            model: [_Index(columns) for columns in groups]
            for model, groups in INDEXES.items()
        }
        self.sequences: dict[str, int] = {}
        self.xmlids: dict[tuple[str, str], tuple[str, int]] = {}
        """(module, name) → (model, res_id), the index over `ir.model.data`."""
        self.lock = threading.RLock()
        self._clock = clock or (lambda: datetime.now(UTC).replace(tzinfo=None))
        self._undo: list[tuple[str, int, Row | None]] | None = None
        self._xmlid_undo: list[tuple[tuple[str, str], tuple[str, int] | None]] = []
        self.now: datetime = self._clock()
        """The current transaction's start time (naive UTC, microseconds)."""
        self.created = 0
        """Records created by the current (or last) transaction, for pacing."""
        self.updated = 0
        """Records updated by the current (or last) transaction, for pacing."""

    def table(self, model: str) -> dict[int, Row]:
        """Return the rows of `model`, creating the table on first use."""
        return self.tables.setdefault(model, {})

    def next_id(self, model: str) -> int:
        """Take the next id of `model`'s sequence (not given back on rollback)."""
        value = self.sequences.get(model, 1)
        self.sequences[model] = value + 1
        return value

    def set_next_id(self, model: str, value: int) -> None:
        """Move `model`'s sequence so the next record gets `value`."""
        self.sequences[model] = value

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block as one transaction: everything or nothing."""
        with self.lock:
            if self._undo is not None:
                yield
                return
            self._undo, self._xmlid_undo = [], []
            self.now = self._clock()
            self.created = self.updated = 0
            try:
                yield
            except BaseException:
                self._rollback()
                raise
            finally:
                self._undo = None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo only this block's changes when it raises."""
        if self._undo is None:
            yield
            return
        mark, xmark = len(self._undo), len(self._xmlid_undo)
        try:
            yield
        except BaseException:
            self._rollback(mark, xmark)
            raise

    @contextmanager
    def savepoint_all(self) -> Iterator[Outcome]:
        """Undo this block's changes when it raises or marks itself failed."""
        outcome = Outcome()
        undo = self._undo if self._undo is not None else []
        mark, xmark = len(undo), len(self._xmlid_undo)
        try:
            yield outcome
        except BaseException:
            self._rollback(mark, xmark)
            raise
        if outcome.failed:
            self._rollback(mark, xmark)

    def _rollback(self, mark: int = 0, xmark: int = 0) -> None:
        undo = self._undo or []
        while len(undo) > mark:
            model, record_id, before = undo.pop()
            rows = self.table(model)
            current = rows.pop(record_id, None)
            if current is not None:
                self._unindex(model, current)
            if before is not None:
                rows[record_id] = before
                self._index(model, before)
        while len(self._xmlid_undo) > xmark:
            key, previous = self._xmlid_undo.pop()
            if previous is None:
                self.xmlids.pop(key, None)
            else:
                self.xmlids[key] = previous

    def insert(self, model: str, row: Row) -> None:
        """Add a new row (its `id` already set)."""
        if self._undo is not None:
            self._undo.append((model, row["id"], None))
        self.table(model)[row["id"]] = row
        self._index(model, row)

    def update(self, model: str, record_id: int, values: Row) -> None:
        """Change some columns of a row."""
        rows = self.table(model)
        if self._undo is not None:
            self._undo.append((model, record_id, dict(rows[record_id])))
        self._unindex(model, rows[record_id])
        rows[record_id].update(values)
        self._index(model, rows[record_id])

    def delete(self, model: str, record_id: int) -> None:
        """Remove a row."""
        rows = self.table(model)
        if self._undo is not None:
            self._undo.append((model, record_id, dict(rows[record_id])))
        self._unindex(model, rows[record_id])
        del rows[record_id]

    def indexed_ids(
        self, model: str, equal: Mapping[str, Collection[Any]]
    ) -> set[int] | None:
        """Ids of the rows whose columns hold one of the values `equal` names.

        Answers from an index over columns that `equal` all names, or returns
        None when no index covers them (the caller scans). A superset of the
        matches at most: the caller still tests each row.
        """
        best: set[int] | None = None
        for index in self._indexes.get(model, ()):
            if not all(column in equal for column in index.columns):
                continue
            found: set[int] = set()
            for key in product(*(equal[column] for column in index.columns)):
                found |= index.ids.get(key, set())
            if best is None or len(found) < len(best):
                best = found
        return best

    def _index(self, model: str, row: Row) -> None:
        for index in self._indexes.get(model, ()):
            index.add(row)

    def _unindex(self, model: str, row: Row) -> None:
        for index in self._indexes.get(model, ()):
            index.discard(row)

    def set_xmlid(self, module: str, name: str, model: str, res_id: int) -> None:
        """Point an external id at a record (index only; see `ir.model.data`)."""
        key = (module, name)
        self._xmlid_undo.append((key, self.xmlids.get(key)))
        self.xmlids[key] = (model, res_id)

    def drop_xmlid(self, module: str, name: str) -> None:
        """Forget an external id."""
        key = (module, name)
        if key in self.xmlids:
            self._xmlid_undo.append((key, self.xmlids[key]))
            del self.xmlids[key]
