"""One call to an Odoo model method, in the shape every transport encodes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

READ_METHODS = frozenset(
    {
        "search",
        "search_read",
        "search_count",
        "read",
        "fields_get",
        "name_search",
        "check_object_reference",
        "context_get",
        "read_group",
        "formatted_read_group",
        "web_search_read",
        "web_read",
        "default_get",
    }
)
"""Methods that change nothing: a failure after sending them is safe to retry."""

# Leading parameters that `execute_kw` takes positionally (after the ids of a
# record method); the rest go as keyword arguments. JSON-2 names every one.
_POSITIONAL: dict[str, tuple[str, ...]] = {
    "search": ("domain",),
    "search_count": ("domain",),
    "search_read": ("domain",),
    "create": ("vals_list",),
    "write": ("vals",),
    "load": ("fields", "data"),
    "name_search": ("name",),
    "check_object_reference": ("module", "xml_id"),
}


@dataclass(frozen=True)
class OdooCall:
    """A model method with its records and named arguments."""

    model: str
    method: str
    ids: list[int] | None = None
    """Records the method runs on; None for model-level methods."""
    params: Mapping[str, Any] = field(default_factory=dict)
    """Named arguments, as JSON-2 takes them (`domain`, `fields`, `vals`...)."""
    context: Mapping[str, Any] | None = None

    @property
    def changes_data(self) -> bool:
        """True unless the method is known to only read."""
        return self.method not in READ_METHODS

    @property
    def operation(self) -> str:
        """`model.method`, as logs and errors name the call."""
        return f"{self.model}.{self.method}"

    def execute_kw_arguments(self) -> tuple[list[Any], dict[str, Any]]:
        """Split into `execute_kw`'s positional `args` and keyword `kwargs`."""
        args: list[Any] = [] if self.ids is None else [list(self.ids)]
        kwargs = dict(self.params)
        for name in _POSITIONAL.get(self.method, ()):
            if name not in kwargs:
                break
            args.append(kwargs.pop(name))
        if self.context:
            kwargs["context"] = dict(self.context)
        return args, kwargs

    def json2_body(self) -> dict[str, Any]:
        """The JSON-2 request body: named arguments, `ids` and `context`."""
        body: dict[str, Any] = {}
        if self.ids is not None:
            body["ids"] = list(self.ids)
        body.update(self.params)
        if self.context:
            body["context"] = dict(self.context)
        return body
