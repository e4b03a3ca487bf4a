"""Apply a JSON Patch (RFC 6902 `add`, `replace`, `remove`) to a payload."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from opsgate.rules.gate.errors import GateRefusal, RefusalReason

PatchOp = Mapping[str, Any]


def apply_patch(document: Any, patch: Sequence[PatchOp]) -> Any:
    """Return a patched copy of `document`; the original is untouched."""
    result = copy.deepcopy(document)
    for number, op in enumerate(patch, start=1):
        result = _apply_one(result, op, number)
    return result


def as_merge_patch(before: Any, after: Any) -> dict[str, Any]:
    """Return the JSON merge patch (RFC 7396) that turns `before` into `after`.

    Raises:
        GateRefusal: `after` holds a null, which a merge patch cannot express.
    """
    if not isinstance(before, dict) or not isinstance(after, dict):
        raise _bad("A merge patch needs an object payload before and after.")
    merge: dict[str, Any] = {key: None for key in before if key not in after}
    for key, value in after.items():
        if value is None:
            raise _bad(
                f"The patched payload sets {key!r} to null; replay cannot send "
                "that as a merge patch."
            )
        old = before.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            nested = as_merge_patch(old, value)
            if nested:
                merge[key] = nested
        elif old != value or key not in before:
            merge[key] = value
    return merge


def diff_lines(document: Any, patch: Sequence[PatchOp]) -> list[dict[str, Any]]:
    """Return one `{path, before, after}` row per operation, for previews."""
    rows = []
    for op in patch:
        path = str(op.get("path", ""))
        before = _lookup(document, path)
        after = None if op.get("op") == "remove" else op.get("value")
        rows.append({"path": path, "before": before, "after": after})
    return rows


def _apply_one(document: Any, op: PatchOp, number: int) -> Any:
    kind = op.get("op")
    path = op.get("path")
    if kind not in {"add", "replace", "remove"} or not isinstance(path, str):
        raise _bad(
            f"Patch operation {number} is not add/replace/remove with a "
            f"path: got {dict(op)!r}."
        )
    parts = _parts(path)
    if not parts:
        return op.get("value") if kind != "remove" else None
    parent = document
    for part in parts[:-1]:
        parent = _child(parent, part, path)
    last = parts[-1]
    if isinstance(parent, list):
        _set_in_list(parent, last, kind, op.get("value"), path)
    elif isinstance(parent, dict):
        if kind == "remove":
            parent.pop(last, None)
        else:
            parent[last] = op.get("value")
    else:
        raise _bad(f"Patch path {path!r} does not lead into an object or a list.")
    return document


def _set_in_list(items: list[Any], key: str, kind: str, value: Any, path: str) -> None:
    if key == "-" and kind == "add":
        items.append(value)
        return
    if not key.isdigit() or int(key) >= len(items) + (kind == "add"):
        raise _bad(f"Patch path {path!r} names list index {key!r}, out of range.")
    index = int(key)
    if kind == "remove":
        del items[index]
    elif kind == "add":
        items.insert(index, value)
    else:
        items[index] = value


def _child(node: Any, part: str, path: str) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return node[int(part)]
    raise _bad(f"Patch path {path!r} does not exist at {part!r}.")


def _lookup(document: Any, path: str) -> Any:
    node = document
    for part in _parts(path):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _parts(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise _bad(f"Patch path {path!r} must start with '/'.")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _bad(message: str) -> GateRefusal:
    return GateRefusal(message, reason=RefusalReason.BAD_INPUT, proposal_id=None)
