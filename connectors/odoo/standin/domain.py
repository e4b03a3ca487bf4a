"""Odoo search domains, evaluated against the stand-in's rows.

Supports the prefix operators `&`, `|`, `!` and the leaf operators `=`, `!=`,
`<`, `<=`, `>`, `>=`, `in`, `not in`, `like`, `not like`, `ilike`,
`not ilike`, `=like`, `=ilike` and `child_of`, on plain and dotted
(`partner_id.name`) paths. A leaf on a field that is neither stored nor
searchable is treated as true, which is what Odoo does (with a log line on
its side) — the recordings show it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from opsgate.connectors.odoo.standin.faults import value_error
from opsgate.connectors.odoo.standin.registry import ModelSpec, model_specs
from opsgate.connectors.odoo.standin.values import DATE_FORMAT, DATETIME_FORMAT

OPERATORS = frozenset(
    {
        "=",
        "!=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        "in",
        "not in",
        "like",
        "not like",
        "ilike",
        "not ilike",
        "=like",
        "=ilike",
        "child_of",
        "parent_of",
    }
)


class RowReader(Protocol):
    """What a domain needs from the ORM: rows and (computed) field values."""

    def value(self, model: str, row: dict[str, Any], fname: str) -> Any:
        """Return the field's stored or computed value for `row`."""

    def rows(self, model: str) -> dict[int, dict[str, Any]]:
        """Return the rows of `model` by id."""


Predicate = Callable[[dict[str, Any]], bool]


def _leaf_text(leaf: Sequence[Any]) -> str:
    return repr(tuple(leaf))


def compile_domain(
    model: str, domain: Sequence[Any], get: RowReader, *, leaf_word: str = "leaf"
) -> Predicate:
    """Turn a domain into a predicate over rows of `model`.

    Args:
        model: the model searched.
        domain: the domain as the caller sent it.
        get: reads a field of a row, following computed fields.
        leaf_word: "leaf" (Odoo 18) or "condition" (Odoo 19) in error messages.
    """
    items = list(domain or [])
    stack: list[Predicate] = []
    for item in reversed(items):
        if item == "&" or item == "|":
            left, right = stack.pop(), stack.pop()
            stack.append(_combine(item, left, right))
        elif item == "!":
            stack.append(_negate(stack.pop()))
        elif isinstance(item, list | tuple) and len(item) == 3:
            stack.append(_compile_leaf(model, item, get, leaf_word))
        elif item in (True, 1):
            stack.append(lambda row: True)
        elif item in (False, 0):
            stack.append(lambda row: False)
        else:
            raise value_error(f"Invalid {leaf_word} {item!r}")
    predicate: Predicate = lambda row: True  # noqa: E731
    for part in reversed(stack):
        predicate = _combine("&", part, predicate)
    return predicate


def _negate(inner: Predicate) -> Predicate:
    return lambda row: not inner(row)


def _combine(op: str, left: Predicate, right: Predicate) -> Predicate:
    if op == "&":
        return lambda row: left(row) and right(row)
    return lambda row: left(row) or right(row)


def _compile_leaf(
    model: str, leaf: Sequence[Any], get: RowReader, leaf_word: str
) -> Predicate:
    path, operator, value = leaf
    if operator not in OPERATORS:
        raise value_error(f"Invalid operator in {leaf_word} {_leaf_text(leaf)}")
    specs = model_specs()
    names = str(path).split(".")
    spec = specs[model]
    if names[0] not in spec.fields:
        raise value_error(
            f"Invalid field {model}.{names[0]} in {leaf_word} {_leaf_text(leaf)}"
        )
    fld = spec.fields[names[0]]
    if not fld.searchable:
        return lambda row: True
    if len(names) > 1 and fld.relation:
        sub = _compile_leaf(
            fld.relation, [".".join(names[1:]), operator, value], get, leaf_word
        )
        return _through(model, fld.name, fld.relation, fld.type, sub, get)
    if operator in ("child_of", "parent_of"):
        return _hierarchy(model, fld.name, operator, value, get)
    test = _comparison(spec, fld.name, operator, value)
    return lambda row: test(get.value(model, row, fld.name))


def _through(
    model: str, fname: str, comodel: str, kind: str, sub: Predicate, get: RowReader
) -> Predicate:
    def predicate(row: dict[str, Any]) -> bool:
        value = get.value(model, row, fname)
        ids = value if isinstance(value, list) else ([value] if value else [])
        table = get.rows(comodel)
        return any(sub(table[i]) for i in ids if i in table)

    return predicate


def _hierarchy(
    model: str, fname: str, operator: str, value: Any, get: RowReader
) -> Predicate:
    targets = set(value if isinstance(value, list) else [value])

    def chain(row: dict[str, Any]) -> set[int]:
        seen: set[int] = set()
        current: dict[str, Any] | None = row
        table = get.rows(model)
        while current is not None and current["id"] not in seen:
            seen.add(current["id"])
            parent = current.get("parent_id")
            current = table.get(parent) if parent else None
        return seen

    if operator == "child_of":
        return lambda row: bool(chain(row) & targets)
    return lambda row: row["id"] in targets


def _normalise(kind: str, value: Any) -> Any:
    if isinstance(value, str) and kind == "date":
        try:
            return datetime.strptime(value[:10], DATE_FORMAT).date()
        except ValueError:
            return value
    if isinstance(value, str) and kind == "datetime":
        for fmt in (DATETIME_FORMAT + ".%f", DATETIME_FORMAT, DATE_FORMAT):
            try:
                return datetime.strptime(value, fmt)
            except ValueError:
                continue
    return value


def _like(pattern: str, *, anchored: bool, ignore_case: bool) -> Callable[[Any], bool]:
    if anchored:
        regex = "".join(
            ".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern
        )
        compiled = re.compile(f"^{regex}$", re.IGNORECASE if ignore_case else 0)
        return lambda text: bool(compiled.match(text))
    needle = pattern.lower() if ignore_case else pattern
    if ignore_case:
        return lambda text: needle in text.lower()
    return lambda text: needle in text


def _comparison(
    spec: ModelSpec, fname: str, operator: str, value: Any
) -> Callable[[Any], bool]:
    kind = spec.fields[fname].type
    value = _normalise(kind, value)
    if operator in ("in", "not in"):
        wanted = [
            _normalise(kind, v)
            for v in (value if isinstance(value, list | tuple) else [value])
        ]
        wanted_set = set(wanted)
        has_false = False in wanted_set

        def inside(current: Any) -> bool:
            if isinstance(current, list):
                return bool(set(current) & wanted_set) or (has_false and not current)
            return current in wanted_set or (has_false and current in (False, None))

        return inside if operator == "in" else (lambda current: not inside(current))
    if operator in ("like", "not like", "ilike", "not ilike", "=like", "=ilike"):
        match = _like(
            str(value),
            anchored=operator.startswith("="),
            ignore_case="ilike" in operator,
        )
        negate = operator.startswith("not")

        def text_test(current: Any) -> bool:
            if value in (False, None, ""):
                return not negate
            if current in (False, None):
                return negate
            hit = match(current if isinstance(current, str) else str(current))
            return hit != negate

        return text_test
    return _order_test(kind, operator, value)


def _order_test(kind: str, operator: str, value: Any) -> Callable[[Any], bool]:
    if operator in ("=", "!=", "<>"):
        equal = operator == "="
        if kind in ("one2many", "many2many"):

            def x2many_eq(current: Any) -> bool:
                ids = current or []
                hit = (not ids) if value is False else value in ids
                return hit == equal

            return x2many_eq

        def eq(current: Any) -> bool:
            if value is False or value is None:
                hit = current in (False, None, "") if kind != "boolean" else not current
            elif kind == "boolean":
                hit = bool(current) == bool(value)
            else:
                hit = current == value
            return hit == equal

        return eq

    def ordered(current: Any) -> bool:
        if current in (False, None) or value in (False, None):
            return False
        left, right = current, value
        if isinstance(left, date) != isinstance(right, date):
            return False
        try:
            if operator == "<":
                return bool(left < right)
            if operator == "<=":
                return bool(left <= right)
            if operator == ">":
                return bool(left > right)
            return bool(left >= right)
        except TypeError:
            return False

    return ordered
