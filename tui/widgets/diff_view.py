"""Show a proposal's preview as a diff: what would change, where."""

from __future__ import annotations

import difflib
import json
from typing import Any

from textual.content import Content
from textual.widgets import Static


def preview_lines(preview: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Return the preview as `(sign, text)` lines: `+`, `-`, ` ` or `@`.

    A preview with `before` and `after` becomes a unified diff of the two;
    any other preview is shown whole, as lines that would be written.
    """
    if not preview:
        return [(" ", "(this proposal has no preview)")]
    head = [
        ("@", f"{key}: {preview[key]}")
        for key in ("target", "operation")
        if key in preview
    ]
    if "before" in preview or "after" in preview:
        before = _dump(preview.get("before"))
        after = _dump(preview.get("after"))
        body = [
            (line[0], line[1:])
            for line in difflib.unified_diff(before, after, lineterm="", n=20)
            if not line.startswith(("---", "+++", "@@"))
        ]
        return head + (body or [(" ", "(no change)")])
    rest = {k: v for k, v in preview.items() if k not in ("target", "operation")}
    return head + [("+", line) for line in _dump(rest)]


def _dump(value: Any) -> list[str]:
    if value in (None, {}, []):
        return []
    return json.dumps(value, indent=2, sort_keys=True, default=str).splitlines()


_STYLES = {"+": "$text-success", "-": "$text-error", "@": "$text-accent", " ": ""}


class DiffView(Static):
    """A proposal preview, additions and removals coloured by the theme."""

    DEFAULT_CSS = """
    DiffView {
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    """

    def show(self, preview: dict[str, Any] | None) -> None:
        """Render `preview`."""
        parts: list[Content | tuple[str, str] | str] = []
        for sign, text in preview_lines(preview):
            parts.append((f"{sign} {text}\n" if sign != "@" else f"{text}\n", _STYLES[sign]))
        self.update(Content.assemble(*parts).rstrip())
