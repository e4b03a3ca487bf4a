"""Multi-row inserts for the hot paths (accept, enqueue, attempts, audit).

SQLAlchemy's executemany processes every parameter of every row through its
generic machinery; at tens of thousands of rows a second that is most of the
cost. `insert_rows` looks up each column's bind processor once, applies it
directly (formatting a repeated timestamp only once), and hands plain tuples
to the driver. Stored values are exactly what SQLAlchemy would store. On
databases other than SQLite it simply uses SQLAlchemy's own executemany,
whose psycopg path is already lean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, DateTime, Table, insert
from sqlmodel import SQLModel

Processor = Callable[[Any], Any]


def insert_rows(
    connection: Connection,
    model: type[SQLModel] | Table,
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Insert `rows` (all with the same keys) into `model`'s table in one executemany."""
    if not rows:
        return
    table = model if isinstance(model, Table) else _table_of(model)
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    placeholders = ", ".join("?" for _ in names)
    columns = ", ".join(f'"{name}"' for name in names)
    statement = f'INSERT INTO "{table.name}" ({columns}) VALUES ({placeholders})'
    processed = [
        (index, process)
        for index, name in enumerate(names)
        if (process := _processor(connection, table, name)) is not None
    ]
    values_of = itemgetter(*names)
    parameters = []
    for row in rows:
        values = list(values_of(row)) if len(names) > 1 else [row[names[0]]]
        for index, process in processed:
            values[index] = process(values[index])
        parameters.append(tuple(values))
    connection.exec_driver_sql(statement, parameters)


def _table_of(model: type[SQLModel]) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def _processor(connection: Connection, table: Table, name: str) -> Processor | None:
    column = table.c[name]
    dialect = connection.dialect
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if process is not None and isinstance(column.type, DateTime):
        return _remember_last(process)
    return process


def _remember_last(process: Processor) -> Processor:
    """Wrap `process` so a value repeated row after row is formatted once."""
    last: list[Any] = [object(), None]

    def remembered(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return remembered
