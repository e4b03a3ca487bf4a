"""Calling a model method by name, with positional or named arguments.

`execute_kw` (JSON-RPC, XML-RPC) passes record ids as the first positional
argument and the rest positionally or by keyword; JSON-2 passes everything by
name, ids under `ids`. Both end in `call_method`, which refuses private
methods, unknown models and methods the way each Odoo version does.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from opsgate.connectors.odoo.standin.behaviour import behaviour_of
from opsgate.connectors.odoo.standin.faults import (
    AccessError,
    HttpFault,
    PythonFault,
    UserError,
    type_error,
)
from opsgate.connectors.odoo.standin.load import load
from opsgate.connectors.odoo.standin.orm import Env, Model, normalise_ids
from opsgate.connectors.odoo.standin.registry import model_specs

PRIVATE_PUBLIC_NAMES = frozenset(
    {"exists", "browse", "sudo", "with_context", "ensure_one"}
)
"""Public-looking names that are `@api.private` (refused since Odoo 19)."""


@dataclass(frozen=True)
class Signature:
    """A generic method's parameters: names in order, which are required."""

    params: tuple[str, ...]
    required: tuple[str, ...] = ()
    takes_ids: bool = False


GENERIC: dict[str, Signature] = {
    "create": Signature(("vals_list",), ("vals_list",)),
    "write": Signature(("vals",), ("vals",), takes_ids=True),
    "unlink": Signature((), takes_ids=True),
    "read": Signature(("fields", "load"), takes_ids=True),
    "copy": Signature(("default",), takes_ids=True),
    "search": Signature(("domain", "offset", "limit", "order"), ("domain",)),
    "search_count": Signature(("domain", "limit"), ("domain",)),
    "search_read": Signature(("domain", "fields", "offset", "limit", "order")),
    "name_search": Signature(("name", "domain", "operator", "limit")),
    "fields_get": Signature(("allfields", "attributes")),
    "load": Signature(("fields", "data"), ("fields", "data")),
}

INSTALLED_LANGS = ("en_US", "fr_FR")


def check_model(env: Env, model: str, *, json2: bool) -> None:
    """Refuse an unknown model with the version's exception."""
    if model in model_specs():
        return
    if json2:
        raise HttpFault(404, f"the model {model!r} does not exist")
    raise UserError(f"Object {model} doesn't exist")


def _resolve(
    env: Env, model: str, method: str, *, json2: bool
) -> tuple[Signature, Callable[..., Any]]:
    private = method.startswith("_") or (
        env.version >= 19 and method in PRIVATE_PUBLIC_NAMES
    )
    if private:
        raise AccessError(
            f"Private methods (such as '{model}.{method}') cannot be called remotely."
        )
    records = Model(env, model)
    if method in GENERIC:
        bound = _generic(env, records, method)
        return GENERIC[method], bound
    behaviour = behaviour_of(model)
    if method in behaviour.methods:
        fn = behaviour.methods[method]
        params = tuple(inspect.signature(fn).parameters)[2:]
        return Signature(params, takes_ids=True), lambda ids, *a, **kw: fn(
            env, ids, *a, **kw
        )
    if method in behaviour.model_methods:
        fn = behaviour.model_methods[method]
        params = tuple(inspect.signature(fn).parameters)[1:]
        return Signature(params, required=params), lambda *a, **kw: fn(env, *a, **kw)
    message = f"The method '{model}.{method}' does not exist"
    if json2:
        raise HttpFault(404, message)
    raise PythonFault("AttributeError", message)


def _generic(env: Env, records: Model, method: str) -> Callable[..., Any]:
    if method == "load":
        return lambda fields, data: load(env, records.name, fields, data)
    if method == "read":
        return lambda ids, fields=None, load="_classic_read": records.read(ids, fields)
    if method == "name_search":

        def name_search(
            name: str = "",
            domain: Any = None,
            operator: str = "ilike",
            limit: int = 100,
            args: Any = None,
        ) -> Any:
            return records.name_search(name, domain or args, operator, limit)

        return name_search
    bound: Callable[..., Any] = getattr(records, method)
    return bound


def apply_context(env: Env, context: Any) -> Env:
    """Merge a caller's `context` into the environment, checking `lang`."""
    if context is None:
        return env
    if not isinstance(context, dict):
        try:
            context = dict(context)
        except (TypeError, ValueError) as exc:
            raise PythonFault("ValueError", str(exc)) from exc
    lang = context.get("lang")
    if lang and lang not in INSTALLED_LANGS:
        raise UserError(f"Invalid language code: {lang}")
    return env.with_context(**context)


def execute_kw(
    env: Env,
    model: str,
    method: str,
    args: Sequence[Any],
    kwargs: dict[str, Any] | None,
) -> Any:
    """Run `model.method(*args, **kwargs)` as `execute_kw` does."""
    kwargs = dict(kwargs or {})
    env = apply_context(env, kwargs.pop("context", None))
    check_model(env, model, json2=False)
    signature, fn = _resolve(env, model, method, json2=False)
    args = list(args or [])
    if signature.takes_ids:
        ids = normalise_ids(args.pop(0) if args else [], model)
        call_args: list[Any] = [ids, *args]
    else:
        call_args = args
    for name in kwargs:
        if name not in signature.params and name != "args":
            # search_read hands unknown keywords on to _read_format (recorded).
            where = "_read_format" if method == "search_read" else method
            raise type_error(
                f"BaseModel.{where}() got an unexpected keyword argument {name!r}"
            )
    if method == "create" and call_args and isinstance(call_args[0], dict):
        return fn(*call_args, **kwargs)[0]
    if method == "copy":
        return fn(*call_args, **kwargs)[0]
    return fn(*call_args, **kwargs)


def call_json2(env: Env, model: str, method: str, body: dict[str, Any]) -> Any:
    """Run a JSON-2 call: named arguments, `ids` and `context` beside them."""
    body = dict(body)
    env = apply_context(env, body.pop("context", None))
    check_model(env, model, json2=True)
    signature, fn = _resolve(env, model, method, json2=True)
    ids = body.pop("ids", None)
    if ids not in (None, []) and not signature.takes_ids:
        raise HttpFault(422, f"cannot call {model}.{method} with ids")
    for name in signature.required:
        if name not in body:
            raise HttpFault(422, f"missing a required argument: {name!r}")
    kwargs = {name: value for name, value in body.items() if name in signature.params}
    if len(kwargs) != len(body):
        missing = next((p for p in signature.params if p not in body), None)
        raise HttpFault(
            422,
            f"missing a required argument: {missing!r}"
            if missing
            else f"got an unexpected keyword argument {next(iter(body))!r}",
        )
    if signature.takes_ids:
        return fn(normalise_ids(ids, model), **kwargs)
    return fn(**kwargs)
