"""`model.load(fields, data)`: Odoo's import, the connector's idempotent upsert.

As recorded: cells are strings; column `id` holds the external id; `x/id`
references a record by external id and `x/.id` by database id; a row may
reference a record created by an earlier row of the same call. The external
id decides whether a row creates or updates. Any bad row makes the whole call
write nothing: `ids` is `false` and there is one message per bad row
(conversion errors name the field, model errors carry only the message). An
unknown column is not a message but an exception.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from opsgate.connectors.odoo.standin.faults import OdooFault, PythonFault, value_error
from opsgate.connectors.odoo.standin.orm import Env, Model
from opsgate.connectors.odoo.standin.registry import Field

_TRUE = {"1", "true", "yes", "True", "TRUE"}
_FALSE = {"0", "false", "no", "False", "FALSE", ""}


class _CellError(Exception):
    """A cell that cannot be converted; becomes a load message."""

    def __init__(self, fld: Field, message: str, moreinfo: Any) -> None:
        super().__init__(message)
        self.fld = fld
        self.message = message
        self.moreinfo = moreinfo


def resolve_xmlid(env: Env, xmlid: str) -> tuple[str, int] | None:
    """Return (model, res_id) for `module.name` (no module: `__import__`)."""
    module, _, name = xmlid.rpartition(".")
    return env.db.xmlids.get((module or "__import__", name))


def register_xmlid(env: Env, xmlid: str, model: str, res_id: int) -> None:
    """Create the `ir.model.data` row for a newly loaded record."""
    module, _, name = xmlid.rpartition(".")
    module = module or "__import__"
    Model(env, "ir.model.data").create(
        {
            "module": module,
            "name": name,
            "model": model,
            "res_id": res_id,
            "noupdate": False,
        }
    )


def load(
    env: Env, model: str, fields: list[str], data: list[list[Any]]
) -> dict[str, Any]:
    """Import `data` rows into `model`; all or nothing."""
    target = Model(env, model)
    target.check_access("create")
    columns = [_column(target, name) for name in fields]
    messages: list[dict[str, Any]] = []
    ids: list[int] = []
    with env.db.savepoint_all() as outcome:
        for index, cells in enumerate(data):
            try:
                xmlid, values = _convert_row(env, target, columns, cells)
            except _CellError as err:
                messages.append(_cell_message(index, err))
                continue
            try:
                with env.db.savepoint():
                    ids.append(_upsert(env, target, xmlid, values))
            except PythonFault:
                raise
            except OdooFault as fault:
                messages.append(
                    {
                        "rows": {"from": index, "to": index},
                        "record": index,
                        "type": "error",
                        "message": fault.message,
                    }
                )
        outcome.failed = bool(messages)
    if messages:
        return {"ids": False, "messages": messages, "nextrow": 0}
    return {"ids": ids, "messages": [], "nextrow": 0}


def _column(target: Model, name: str) -> tuple[str, str, Field | None]:
    """Split a column name into (field, kind, Field); kind is '', 'id' or '.id'."""
    if name in ("id", ".id"):
        return (name, name, None)
    base, _, suffix = name.partition("/")
    if base not in target.spec.fields or suffix not in ("", "id", ".id"):
        raise value_error(f"Invalid field name {name!r}")
    return (base, suffix, target.spec.fields[base])


def _convert_row(
    env: Env,
    target: Model,
    columns: list[tuple[str, str, Field | None]],
    cells: list[Any],
) -> tuple[str | None, dict[str, Any]]:
    xmlid: str | None = None
    values: dict[str, Any] = {}
    for (fname, kind, fld), cell in zip(columns, cells, strict=False):
        text = "" if cell is None or cell is False else str(cell)
        if fname == "id":
            xmlid = text or None
        elif fname == ".id":
            values["__dbid"] = int(text) if text else None
        elif fld is not None:
            values[fname] = _convert_cell(env, fld, kind, text)
    return xmlid, values


def _convert_cell(env: Env, fld: Field, kind: str, text: str) -> Any:
    if fld.type in ("many2one", "many2many"):
        return _convert_reference(env, fld, kind, text)
    if not text:
        return False
    if fld.type == "boolean":
        return text not in _FALSE
    if fld.type in ("integer", "float", "monetary"):
        try:
            return int(text) if fld.type == "integer" else float(text)
        except ValueError:
            raise _CellError(
                fld,
                f"'{text}' does not seem to be a number for field '{fld.string}'",
                None,
            ) from None
    if fld.type == "date":
        try:
            datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            raise _CellError(
                fld,
                f"'{text}' does not seem to be a valid date for field '{fld.string}'",
                "Use the format '2012-12-31'",
            ) from None
        return text
    if fld.type == "datetime":
        try:
            datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise _CellError(
                fld,
                f"'{text}' does not seem to be a valid datetime for field '{fld.string}'",
                "Use the format '2012-12-31 23:59:59'",
            ) from None
        return text
    if fld.type == "selection":
        return _convert_selection(fld, text)
    return text


def _convert_selection(fld: Field, text: str) -> str:
    pairs = fld.attrs.get("selection", [])
    for value, label in pairs:
        if text in (value, label):
            return str(value)
    raise _CellError(
        fld,
        f"Value '{text}' not found in selection field '{fld.string}'",
        [label for _, label in pairs],
    )


def _convert_reference(env: Env, fld: Field, kind: str, text: str) -> Any:
    if not text:
        return False if fld.type == "many2one" else [[6, 0, []]]
    comodel = fld.relation or ""
    found: list[int] = []
    for part in text.split(",") if fld.type == "many2many" else [text]:
        part = part.strip()
        record_id: int | None = None
        if kind == "id":
            hit = resolve_xmlid(env, part)
            record_id = hit[1] if hit and hit[0] == comodel else None
            what = "external id"
        elif kind == ".id":
            record_id = (
                int(part)
                if part.isdigit() and int(part) in env.db.table(comodel)
                else None
            )
            what = "database id"
        else:
            matches = Model(env, comodel).name_search(part, operator="=", limit=1)
            record_id = matches[0][0] if matches else None
            what = "name"
        if record_id is None:
            raise _CellError(
                fld,
                f"No matching record found for {what} '{part}' in field '{fld.string}'",
                _possible_values(comodel),
            )
        found.append(record_id)
    return found[0] if fld.type == "many2one" else [[6, 0, found]]


def _possible_values(comodel: str) -> dict[str, Any]:
    return {
        "name": "Possible Values",
        "type": "ir.actions.act_window",
        "target": "new",
        "view_mode": "list,form",
        "views": [[False, "list"], [False, "form"]],
        "context": {"create": False},
        "help": "See all possible values",
        "res_model": "ir.model.data",
        "domain": [["model", "=", comodel]],
    }


def _cell_message(index: int, err: _CellError) -> dict[str, Any]:
    message: dict[str, Any] = {
        "rows": {"from": index, "to": index},
        "type": "error",
        "record": index,
        "field": err.fld.name,
        "message": err.message,
    }
    if err.moreinfo is not None:
        message["moreinfo"] = err.moreinfo
    message["field_name"] = err.fld.string
    return message


def _upsert(env: Env, target: Model, xmlid: str | None, values: dict[str, Any]) -> int:
    db_id = values.pop("__dbid", None)
    existing = resolve_xmlid(env, xmlid) if xmlid else None
    if existing is not None and existing[1] not in target.table:
        existing = None
    record_id = existing[1] if existing is not None else db_id
    if record_id is not None:
        target.write([record_id], values)
        return record_id
    new_id = target.create(values)[0]
    if xmlid:
        register_xmlid(env, xmlid, target.name, new_id)
    return new_id
