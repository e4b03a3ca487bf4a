"""What a model does beyond storing fields: defaults, rules, computed fields.

Each business module (`partners.py`, `sales.py`, ...) registers one
`Behaviour` per model it covers; the ORM calls its hooks at the moments Odoo
would run the model's overrides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opsgate.connectors.odoo.standin.orm import Env

Row = dict[str, Any]
Method = Callable[..., Any]


@dataclass
class Behaviour:
    """The hooks of one model; every hook is optional."""

    required: tuple[str, ...] = ()
    """Fields a caller must give (those without a default in Odoo)."""
    order: str = "id"
    """The model's default `_order`."""
    defaults: Callable[[Env, Row], Row] | None = None
    """Return default values for a new record given the caller's values."""
    before_create: Callable[[Env, Row], None] | None = None
    """Refuse a new record before it is inserted (no id is taken)."""
    after_create: Callable[[Env, list[int]], None] | None = None
    """Fill in what Odoo computes once the records exist."""
    before_write: Callable[[Env, list[int], Row], None] | None = None
    """Refuse a write (business rules that look at the written fields)."""
    after_write: Callable[[Env, list[int], Row], None] | None = None
    """Recompute what depends on the written fields."""
    check: Callable[[Env, list[int]], None] | None = None
    """Constraints, run after create and write (inside the transaction)."""
    before_unlink: Callable[[Env, list[int]], None] | None = None
    """Refuse a deletion."""
    computed: dict[str, Callable[[Env, Row], Any]] = field(default_factory=dict)
    """Fields computed on read (and searchable through the same function)."""
    display_name: Callable[[Env, Row], str] | None = None
    """The record's display name (default: its `name`)."""
    methods: dict[str, Method] = field(default_factory=dict)
    """Public methods callable over RPC: `fn(env, ids, *args, **kwargs)`."""
    model_methods: dict[str, Method] = field(default_factory=dict)
    """`@api.model` methods: `fn(env, *args, **kwargs)`, no ids."""


BEHAVIOURS: dict[str, Behaviour] = {}


def register(model: str, behaviour: Behaviour) -> Behaviour:
    """Make `behaviour` the one the ORM uses for `model`."""
    BEHAVIOURS[model] = behaviour
    return behaviour


def behaviour_of(model: str) -> Behaviour:
    """Return the model's behaviour, or an empty one."""
    return BEHAVIOURS.setdefault(model, Behaviour())
