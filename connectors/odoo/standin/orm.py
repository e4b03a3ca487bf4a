"""The stand-in's ORM: the generic model methods every Odoo model answers.

`Env` is one request's view of the database (user, context, server version);
`Model` implements `create`, `write`, `unlink`, `read`, `search`,
`search_read`, `search_count`, `name_search`, `fields_get`, `copy` and
dispatches to the model's `Behaviour` for defaults, rules and computed
fields. Values are coerced as `values.py` describes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from opsgate.connectors.odoo.standin.access import access_message
from opsgate.connectors.odoo.standin.behaviour import Behaviour, behaviour_of
from opsgate.connectors.odoo.standin.domain import compile_domain
from opsgate.connectors.odoo.standin.faults import (
    AccessError,
    MissingError,
    PythonFault,
    ValidationError,
    value_error,
)
from opsgate.connectors.odoo.standin.registry import (
    INVERSES,
    Field,
    ModelSpec,
    model_specs,
)
from opsgate.connectors.odoo.standin.store import Database, Row
from opsgate.connectors.odoo.standin.values import (
    convert_scalar,
    default_for,
    render_scalar,
)

ADMIN_UID = 2
_RELATIONAL = ("many2one", "one2many", "many2many")


class Env:
    """One request's environment: database, user, context and server version."""

    def __init__(
        self,
        db: Database,
        *,
        uid: int,
        version: int,
        context: dict[str, Any] | None = None,
        is_admin: bool = True,
    ) -> None:
        self.db = db
        self.uid = uid
        self.version = version
        self.context = dict(context or {})
        self.is_admin = is_admin

    def __getitem__(self, model: str) -> Model:
        return Model(self, model)

    def with_context(self, **values: Any) -> Env:
        """Return a copy of this environment with more context."""
        return Env(
            self.db,
            uid=self.uid,
            version=self.version,
            context={**self.context, **values},
            is_admin=self.is_admin,
        )

    # The RowReader protocol used by domains.
    def value(self, model: str, row: Row, fname: str) -> Any:
        """Return a field's stored or computed value (raw, not rendered)."""
        return Model(self, model).raw_value(row, fname)

    def rows(self, model: str) -> dict[int, Row]:
        """Return every row of `model`."""
        return self.db.table(model)


class Model:
    """The generic methods of one model, bound to an environment."""

    def __init__(self, env: Env, name: str) -> None:
        self.env = env
        self.name = name
        self.spec: ModelSpec = model_specs()[name]
        self.behaviour: Behaviour = behaviour_of(name)

    @property
    def db(self) -> Database:
        """The database behind the environment."""
        return self.env.db

    @property
    def table(self) -> dict[int, Row]:
        """This model's rows."""
        return self.db.table(self.name)

    # reading values -----------------------------------------------------
    def raw_value(self, row: Row, fname: str) -> Any:
        """Return a field's value in stored form, computing it if needed."""
        if fname == "id":
            return row["id"]
        compute = self.behaviour.computed.get(fname)
        if compute is not None:
            return compute(self.env, row)
        if fname == "display_name":
            return self.display_name(row)
        inverse = INVERSES.get((self.name, fname))
        if inverse is not None:
            comodel = self.spec.fields[fname].relation or ""
            return sorted(
                rid
                for rid, other in self.db.table(comodel).items()
                if other.get(inverse) == row["id"]
            )
        if fname in row:
            return row[fname]
        return default_for(self.spec.fields[fname])

    def display_name(self, row: Row) -> str:
        """Return the record's display name."""
        if self.behaviour.display_name is not None:
            return self.behaviour.display_name(self.env, row)
        return str(row.get("name") or f"{self.name},{row['id']}")

    def render(self, row: Row, fname: str) -> Any:
        """Return a field's value as the wire shows it."""
        fld = self.spec.fields[fname]
        value = self.raw_value(row, fname)
        if fld.type == "many2one":
            if not value:
                return False
            comodel = fld.relation or ""
            target = self.db.table(comodel).get(value)
            if target is None:
                return False
            if comodel not in model_specs():
                return [value, str(target.get("name") or "")]
            return [value, Model(self.env, comodel).display_name(target)]
        if fld.type in ("one2many", "many2many"):
            return list(value or [])
        return render_scalar(fld, value)

    def browse_existing(self, ids: Sequence[int]) -> list[int]:
        """Return those of `ids` that exist, in order, without duplicates."""
        table = self.table
        seen: list[int] = []
        for record_id in ids:
            if record_id in table and record_id not in seen:
                seen.append(record_id)
        return seen

    def ensure_exist(self, ids: Sequence[int]) -> list[int]:
        """Raise MissingError (as Odoo does on write/unlink) for missing ids."""
        ids = normalise_ids(ids, self.name)
        missing = [i for i in ids if i not in self.table]
        if missing:
            raise MissingError.for_records(self.name, missing, self.env.uid)
        return ids

    # access -------------------------------------------------------------
    def check_access(self, operation: str) -> None:
        """Refuse operations a non-admin key may not do (recorded cases)."""
        if self.env.is_admin:
            return
        message = access_message(self.env.version, self.name, operation)
        if message is not None:
            raise AccessError(message)

    # create ---------------------------------------------------------------
    def create(self, vals_list: Any) -> list[int]:
        """Create records from one dict or a list of dicts; return their ids."""
        self.check_access("create")
        if isinstance(vals_list, dict):
            vals_list = [vals_list]
        if not isinstance(vals_list, list):
            raise value_error(f"Invalid values for create: {vals_list!r}")
        ids = [self._create_one(vals) for vals in vals_list]
        if self.name != "ir.model.data":
            self.db.created += len(ids)
        if self.behaviour.after_create is not None:
            self.behaviour.after_create(self.env, ids)
        if self.behaviour.check is not None:
            self.behaviour.check(self.env, ids)
        return ids

    def _create_one(self, vals: dict[str, Any]) -> int:
        self._check_field_names(vals, for_write=False)
        values = dict(vals)
        if self.behaviour.defaults is not None:
            values = {**self.behaviour.defaults(self.env, values), **values}
        if "active" in self.spec.fields:
            values.setdefault("active", True)
        if self.behaviour.before_create is not None:
            self.behaviour.before_create(self.env, values)
        record_id = self.db.next_id(self.name)
        row: Row = {"id": record_id}
        relational: dict[str, Any] = {}
        for fname, value in values.items():
            fld = self.spec.fields[fname]
            if fld.type in ("one2many", "many2many"):
                relational[fname] = value
            elif fld.type == "many2one":
                row[fname] = self._convert_many2one(fld, value)
            else:
                row[fname] = convert_scalar(self.name, fld, value)
        now = self.db.now
        row.update(create_date=now, write_date=now)
        row.update(create_uid=self.env.uid, write_uid=self.env.uid)
        self._check_required(row)
        self.db.insert(self.name, row)
        for fname, commands in relational.items():
            self._apply_x2many(record_id, self.spec.fields[fname], commands)
        return record_id

    def _check_field_names(self, vals: Any, *, for_write: bool) -> None:
        if not isinstance(vals, dict):
            raise value_error(f"Invalid values {vals!r} for {self.name}")
        for fname in vals:
            if fname not in self.spec.fields:
                if for_write and self.env.version >= 19:
                    raise PythonFault("KeyError", fname)
                raise value_error(f"Invalid field {fname!r} on model {self.name!r}")

    def _check_required(self, row: Row) -> None:
        for fname in self.behaviour.required:
            if row.get(fname) in (None, False, ""):
                raise ValidationError(
                    required_message(self.env.version, self.spec, fname)
                )

    def _convert_many2one(self, fld: Field, value: Any) -> Any:
        if value in (None, False, 0):
            return False
        if isinstance(value, list | tuple) and value:
            value = value[0]
        if isinstance(value, bool) or not isinstance(value, int):
            # Recorded: a name (string) in a many2one clears it, silently.
            return False
        comodel = fld.relation or ""
        if value not in self.db.table(comodel):
            raise MissingError.for_records(comodel, [value], self.env.uid)
        return value

    def _apply_x2many(self, record_id: int, fld: Field, commands: Any) -> None:
        comodel = fld.relation or ""
        inverse = INVERSES.get((self.name, fld.name))
        current = list(self.table[record_id].get(fld.name) or [])
        for command in commands or []:
            if isinstance(command, int):
                current.append(command)
                continue
            code = command[0]
            if code == 0:
                values = dict(command[2])
                if inverse:
                    values[inverse] = record_id
                new_ids = Model(self.env, comodel).create(values)
                current.extend(new_ids)
            elif code == 1:
                Model(self.env, comodel).write([command[1]], command[2])
            elif code == 2:
                Model(self.env, comodel).unlink([command[1]])
            elif code in (3, 5):
                current = [] if code == 5 else [i for i in current if i != command[1]]
            elif code == 4:
                current.append(command[1])
            elif code == 6:
                current = list(command[2])
        if inverse is None:
            self.db.update(self.name, record_id, {fld.name: current})

    # write ----------------------------------------------------------------
    def write(self, ids: Any, vals: dict[str, Any]) -> bool:
        """Write `vals` on every record of `ids`; MissingError for deleted ids."""
        self.check_access("write")
        ids = self.ensure_exist(ids)
        self._check_field_names(vals, for_write=True)
        if self.behaviour.before_write is not None:
            self.behaviour.before_write(self.env, ids, vals)
        converted: Row = {}
        relational: dict[str, Any] = {}
        for fname, value in vals.items():
            fld = self.spec.fields[fname]
            if fld.type in ("one2many", "many2many"):
                relational[fname] = value
            elif fld.type == "many2one":
                converted[fname] = self._convert_many2one(fld, value)
            else:
                converted[fname] = convert_scalar(self.name, fld, value)
        converted.update(write_date=self.db.now, write_uid=self.env.uid)
        self.db.updated += len(ids)
        for record_id in ids:
            self.db.update(self.name, record_id, converted)
            for fname, commands in relational.items():
                self._apply_x2many(record_id, self.spec.fields[fname], commands)
        for record_id in ids:
            self._check_required(self.table[record_id])
        if self.behaviour.after_write is not None:
            self.behaviour.after_write(self.env, ids, vals)
        if self.behaviour.check is not None:
            self.behaviour.check(self.env, ids)
        return True

    def touch(self, ids: Sequence[int], values: Row) -> None:
        """Write computed values without the caller-facing checks."""
        stamp = {"write_date": self.db.now, "write_uid": self.env.uid}
        for record_id in ids:
            self.db.update(self.name, record_id, {**values, **stamp})

    # unlink ---------------------------------------------------------------
    def unlink(self, ids: Any) -> bool:
        """Delete records (and their external ids)."""
        self.check_access("unlink")
        ids = self.ensure_exist(ids)
        if self.behaviour.before_unlink is not None:
            self.behaviour.before_unlink(self.env, ids)
        for record_id in ids:
            self.db.delete(self.name, record_id)
        data = self.db.table("ir.model.data")
        linked = self.db.indexed_ids(
            "ir.model.data", {"model": [self.name], "res_id": ids}
        )
        for xid in sorted(linked if linked is not None else data):
            row = data[xid]
            if row.get("model") == self.name and row.get("res_id") in ids:
                self.db.delete("ir.model.data", xid)
                self.db.drop_xmlid(row["module"], row["name"])
        return True

    # read -----------------------------------------------------------------
    def read(
        self, ids: Any, fields: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        """Read records; missing ids are silently dropped."""
        self.check_access("read")
        names = self._read_names(fields)
        out = []
        for record_id in self.browse_existing(normalise_ids(ids, self.name)):
            row = self.table[record_id]
            record = {"id": record_id}
            record.update((fname, self.render(row, fname)) for fname in names)
            out.append(record)
        return out

    def _read_names(self, fields: Sequence[str] | None) -> list[str]:
        if not fields:
            return [
                name
                for name, fld in self.spec.fields.items()
                if name != "id" and fld.type != "binary"
            ]
        for fname in fields:
            if fname not in self.spec.fields:
                raise value_error(f"Invalid field {fname!r} on {self.name!r}")
        return [fname for fname in fields if fname != "id"]

    # search ---------------------------------------------------------------
    def search(
        self,
        domain: Sequence[Any] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[int]:
        """Return the ids matching `domain`, ordered, paged."""
        self.check_access("read")
        rows = self._matching(domain)
        rows = self._ordered(rows, order or self.behaviour.order)
        ids = [row["id"] for row in rows]
        offset = int(offset or 0)
        return ids[offset : offset + limit] if limit else ids[offset:]

    def _matching(self, domain: Sequence[Any] | None) -> list[Row]:
        if domain is not None and not isinstance(domain, list | tuple):
            raise value_error(f"Invalid domain {domain!r}")
        domain = list(domain or [])
        word = "condition" if self.env.version >= 19 else "leaf"
        predicate = compile_domain(self.name, domain, self.env, leaf_word=word)
        hide_archived = (
            self.spec.has_active()
            and self.env.context.get("active_test", True)
            and not _mentions(domain, "active")
        )
        return [
            row
            for row in self._candidates(domain)
            if (not hide_archived or row.get("active", True)) and predicate(row)
        ]

    def _candidates(self, domain: list[Any]) -> Iterable[Row]:
        """The rows `domain` may match: from an index when one covers it, else all."""
        ids = self.db.indexed_ids(self.name, _equalities(domain))
        if ids is None:
            return self.table.values()
        table = self.table
        return [table[record_id] for record_id in sorted(ids) if record_id in table]

    def _ordered(self, rows: list[Row], order: str) -> list[Row]:
        terms = [term.split() for term in order.split(",") if term.strip()]
        result = sorted(rows, key=lambda row: row["id"])
        for term in reversed(terms):
            fname = term[0].strip('"')
            descending = len(term) > 1 and term[1].lower() == "desc"
            if fname not in self.spec.fields:
                raise value_error(f"Invalid field {fname!r} on model {self.name!r}")
            result.sort(key=self._sort_key_for(fname), reverse=descending)
        return result

    def _sort_key_for(self, fname: str) -> Callable[[Row], tuple[int, Any]]:
        return lambda row: _sort_key(self.render(row, fname))

    def search_count(
        self, domain: Sequence[Any] | None = None, limit: int | None = None
    ) -> int:
        """Count the records matching `domain`."""
        self.check_access("read")
        count = len(self._matching(domain))
        return min(count, limit) if limit else count

    def search_read(
        self,
        domain: Sequence[Any] | None = None,
        fields: Sequence[str] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[dict[str, Any]]:
        """Search, then read the found records in order."""
        ids = self.search(domain, offset=offset, limit=limit, order=order)
        return self.read(ids, fields)

    def name_search(
        self,
        name: str = "",
        domain: Sequence[Any] | None = None,
        operator: str = "ilike",
        limit: int = 100,
    ) -> list[list[Any]]:
        """Return `[id, display_name]` pairs whose name matches."""
        ids = self.search(domain or [], order=self.behaviour.order)
        out: list[list[Any]] = []
        for record_id in ids:
            label = self.display_name(self.table[record_id])
            test = (
                compile_domain("res.country", [["name", operator, name]], self.env)
                if name
                else None
            )
            if test is None or test({"id": 0, "name": label}):
                out.append([record_id, label])
            if limit and len(out) >= limit:
                break
        return out

    def fields_get(
        self,
        allfields: Sequence[str] | None = None,
        attributes: Sequence[str] | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Describe the fields, with only the asked attributes."""
        out: dict[str, dict[str, Any]] = {}
        for fname, fld in self.spec.fields.items():
            if allfields and fname not in allfields:
                continue
            attrs = fld.attrs
            if attributes:
                attrs = {k: v for k, v in attrs.items() if k in attributes}
            out[fname] = dict(sorted(attrs.items()))
        return out

    def copy(self, ids: Any, default: dict[str, Any] | None = None) -> list[int]:
        """Duplicate records, overriding `default`; return the new ids."""
        new_ids = []
        for record_id in self.ensure_exist(ids):
            row = self.table[record_id]
            values = {
                k: v
                for k, v in row.items()
                if k in self.spec.fields
                and k
                not in ("id", "create_date", "write_date", "create_uid", "write_uid")
                and self.spec.fields[k].type not in ("one2many", "many2many")
            }
            values.update(default or {})
            new_ids.extend(self.create(values))
        return new_ids


def _equalities(domain: Sequence[Any]) -> dict[str, set[Any]]:
    """Field → the values a plain conjunction of `=` / `in` leaves allows.

    Only for a domain without `|` or `!`, and only for values that compare as
    they hash (non-empty strings, integers); `False` and friends match empty
    fields, which no index lookup can find, so such leaves are left out.
    """
    if any(item in ("|", "!") for item in domain if isinstance(item, str)):
        return {}
    allowed: dict[str, set[Any]] = {}
    for item in domain:
        if not (isinstance(item, list | tuple) and len(item) == 3):
            continue
        fname, operator, value = item
        if operator == "=":
            values = [value]
        elif operator == "in" and isinstance(value, list | tuple):
            values = list(value)
        else:
            continue
        if not all(_exact(v) for v in values):
            continue
        wanted = set(values)
        allowed[fname] = allowed[fname] & wanted if fname in allowed else wanted
    return allowed


def _exact(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return (isinstance(value, str) and value != "") or isinstance(value, int)


def _mentions(domain: Sequence[Any], fname: str) -> bool:
    return any(
        isinstance(item, list | tuple) and len(item) == 3 and item[0] == fname
        for item in domain
    )


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is False or value is None:
        return (0, 0)
    if isinstance(value, list):
        return (
            1,
            value[1] if len(value) == 2 and isinstance(value[1], str) else str(value),
        )
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, str):
        return (1, value.lower())
    return (1, value)


def normalise_ids(ids: Any, model: str = "") -> list[int]:
    """Accept a list of ids or a bare id (JSON-2 `ids: 1`)."""
    if ids is None or ids is False:
        return []
    if isinstance(ids, int) and not isinstance(ids, bool):
        return [ids]
    if isinstance(ids, list | tuple):
        for record_id in ids:
            if not isinstance(record_id, int) or isinstance(record_id, bool):
                raise _bad_id(model, record_id)
        return list(ids)
    raise value_error(f"Invalid ids {ids!r}")


def _bad_id(model: str, value: Any) -> PythonFault:
    """PostgreSQL's refusal of a non-integer id, as psycopg2 reports it."""
    table = model.replace(".", "_")
    line = f'LINE 1: ..." FROM "{table}" WHERE "{table}"."id" IN (\'{value}\') AND...'
    caret = " " * line.index(f"'{value}'") + "^"
    return PythonFault(
        "psycopg2.errors.InvalidTextRepresentation",
        f'invalid input syntax for type integer: "{value}"\n{line}\n{caret}\n',
    )


def required_message(version: int, spec: ModelSpec, fname: str) -> str:
    """The NOT NULL message Odoo gives for a missing required field."""
    label = spec.fields[fname].string
    if version >= 19:
        return (
            "The operation cannot be completed: Missing required value for the field "
            f"'{label}' ({fname}).\nModel: '{spec.description}' ({spec.name})\n"
            "- create/update: a mandatory field is not set\n"
            "- delete: another model requires the record being deleted, you can "
            "archive it instead\n"
        )
    return (
        "The operation cannot be completed:\n"
        "- Create/update: a mandatory field is not set.\n"
        "- Delete: another model requires the record being deleted. If possible, "
        f"archive it instead.\n\nModel: {spec.description} ({spec.name})\n"
        f"Field: {label} ({fname})\n"
    )
