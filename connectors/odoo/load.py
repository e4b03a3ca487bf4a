"""Odoo's `load` (the CSV import behind upserts) with bad rows isolated.

One bad row makes `load` write nothing for the whole call (`ids: false` and one
message per bad row). `load_rows` turns the messages into per-row errors and
sends the remaining rows again, so the good ones land.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.odoo.calls import OdooCall
from opsgate.connectors.odoo.errors import TARGET, OdooRowError, OutcomeUncertain
from opsgate.connectors.odoo.faults import OdooFault, classify

if TYPE_CHECKING:
    from opsgate.connectors.odoo.client import OdooClient


@dataclass
class LoadResult:
    """What became of each row of a `load`, by its index in the rows given."""

    record_ids: dict[int, int] = field(default_factory=dict)
    """Row index to the id of the record it created or updated."""
    errors: dict[int, ConnectorError] = field(default_factory=dict)
    """Row index to the error that kept it out."""
    calls: int = 0
    """`load` calls made (the first, plus one per resend)."""


def row_error(
    model: str,
    row: int,
    message: Mapping[str, Any],
    columns: Sequence[str],
    cells: Sequence[str],
) -> OdooRowError:
    """The error for one `load` message about one row."""
    text = str(message.get("message", "")).strip()
    field_name = message.get("field")
    value: str | None = None
    if field_name:
        for index, column in enumerate(columns):
            if column.split("/", 1)[0] == field_name:
                value = cells[index]
                break
    fault = OdooFault(protocol="load", http_status=200, name=None, message=text)
    category = classify(fault)
    if category is ErrorCategory.UNKNOWN:
        category = ErrorCategory.VALIDATION
    where = f" in field {field_name!r} (value {value!r})" if field_name else ""
    return OdooRowError(
        f"Odoo rejected row {row} of {model} load{where}: {text!r}.",
        row=row,
        field=str(field_name) if field_name else "",
        value=value,
        category=category,
        retryable=False,
        target=TARGET,
        operation="load",
        model=model,
        fault=dict(message),
    )


async def load_rows(
    client: OdooClient,
    model: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    indexes: Sequence[int] | None = None,
) -> LoadResult:
    """Load rows; rows Odoo rejects come back as errors, the rest land.

    `indexes` gives the caller's index of each row (0..n-1 by default), used
    in results and error messages.
    """
    result = LoadResult()
    pending = list(range(len(rows)))
    names = list(indexes) if indexes is not None else pending.copy()
    for _ in range(len(rows) + 1):
        if not pending:
            break
        answer = await _load_once(client, model, columns, [rows[i] for i in pending])
        result.calls += 1
        ids = answer.get("ids")
        if isinstance(ids, list) and len(ids) == len(pending):
            result.record_ids.update(
                {names[i]: int(rid) for i, rid in zip(pending, ids, strict=True)}
            )
            return result
        rejected: dict[int, ConnectorError] = dict(
            _rejected(model, answer, pending, names, columns, rows)
        )
        if not rejected:
            rejected = {i: _whole_call_error(model, answer, names[i]) for i in pending}
        result.errors.update({names[i]: error for i, error in rejected.items()})
        pending = [i for i in pending if i not in rejected]
    return result


async def _load_once(
    client: OdooClient,
    model: str,
    columns: Sequence[str],
    data: Sequence[Sequence[str]],
) -> Mapping[str, Any]:
    call = OdooCall(
        model, "load", None, {"fields": list(columns), "data": [list(r) for r in data]}
    )
    try:
        answer = await client.execute(call)
    except OutcomeUncertain as exc:
        raise ConnectorError(
            exc.message
            + " `load` is idempotent by external id, so it can be sent again.",
            category=exc.category,
            retryable=True,
            target=TARGET,
            operation="load",
            model=model,
            fault=exc.fault,
        ) from exc
    if not isinstance(answer, Mapping):
        raise ConnectorError(
            f"Odoo answered {model}.load with {type(answer).__name__}, not a result dict.",
            category=ErrorCategory.SCHEMA_DRIFT,
            retryable=False,
            target=TARGET,
            operation="load",
            model=model,
        )
    return answer


def _rejected(
    model: str,
    answer: Mapping[str, Any],
    pending: list[int],
    names: list[int],
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> dict[int, OdooRowError]:
    rejected: dict[int, OdooRowError] = {}
    for message in answer.get("messages") or []:
        if message.get("type") != "error" or not isinstance(message.get("record"), int):
            continue
        position = message["record"]
        if 0 <= position < len(pending) and pending[position] not in rejected:
            row = pending[position]
            rejected[row] = row_error(model, names[row], message, columns, rows[row])
    return rejected


def _whole_call_error(
    model: str, answer: Mapping[str, Any], row: int
) -> ConnectorError:
    messages = answer.get("messages") or []
    text = str(messages[0].get("message", "")) if messages else "no message"
    return ConnectorError(
        f"Odoo refused the whole {model} load (row {row} with it): {text!r}.",
        category=ErrorCategory.VALIDATION,
        retryable=False,
        target=TARGET,
        operation="load",
        model=model,
        fault={"messages": messages},
    )
