"""Show a proposal's preview as a diff: what would change, where."""

from __future__ import annotations

import difflib
import json
from typing import Any

from textual.content import Content
from textual.widgets import Static


def preview_lines(preview: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Return the gate's preview as `(sign, text)` lines.

    Signs: `-` removed, `+` written, `~` marked, `@` a heading. The gate's
    preview holds `diff` rows (`path`, `before`, `after`), the `writes` it
    would make (`where`, `what`), `marks` on the incident and the deliveries
    it would `then_replay`; a `before`/`after` pair becomes a unified diff.
    """
    if not preview:
        return [(" ", "(this proposal has no preview)")]
    lines: list[tuple[str, str]] = []
    for row in preview.get("diff") or []:
        lines.append(("@", f"change {row.get('path')}"))
        lines.append(("-", _inline(row.get("before"))))
        lines.append(("+", _inline(row.get("after"))))
    if "before" in preview or "after" in preview:
        lines += _unified(preview.get("before"), preview.get("after"))
    for write in preview.get("writes") or []:
        lines.append(("@", f"write to {write.get('where')}"))
        lines += [("+", line) for line in _dump(write.get("what"))]
    for key, value in (preview.get("marks") or {}).items():
        lines.append(("~", f"mark {key}: {value}"))
    if preview.get("then_replay"):
        ids = ", ".join(str(i) for i in preview["then_replay"])
        lines.append(("@", f"then replay deliveries {ids}"))
    known = {"diff", "before", "after", "writes", "marks", "then_replay"}
    rest = {k: v for k, v in preview.items() if k not in known}
    lines += [(" ", line) for line in _dump(rest)]
    return lines or [(" ", "(this proposal writes nothing)")]


def _unified(before: Any, after: Any) -> list[tuple[str, str]]:
    return [
        (line[0], line[1:])
        for line in difflib.unified_diff(_dump(before), _dump(after), lineterm="", n=20)
        if not line.startswith(("---", "+++", "@@"))
    ]


def _inline(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _dump(value: Any) -> list[str]:
    if value in (None, {}, []):
        return []
    return json.dumps(value, indent=2, sort_keys=True, default=str).splitlines()


_STYLES = {
    "+": "$text-success",
    "-": "$text-error",
    "~": "$text-warning",
    "@": "$text-accent",
    " ": "",
}


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
            line = f"{text}\n" if sign == "@" else f"{sign} {text}\n"
            parts.append((line, _STYLES[sign]))
        self.update(Content.assemble(*parts).rstrip())
