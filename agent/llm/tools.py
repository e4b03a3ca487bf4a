"""Read-only tools a model may call, and the wording of their errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

UNKNOWN_TOOL = (
    "Tool {name!r} is not available. Only these read-only tools exist: {names}."
)
"""What the model is told when it calls a tool that does not exist."""
BAD_ARGUMENTS = "Tool {name!r} could not read its arguments: {error}."
"""What the model is told when its arguments are not valid JSON of the schema."""


@dataclass(frozen=True)
class ToolResult:
    """What a read-only tool returns, with the exact query it ran."""

    status: Literal["ok", "error", "no_data"]
    query: str
    """The query or lookup that was run, so the model can correct itself."""
    params: dict[str, Any] = field(default_factory=dict)
    data: Any = None

    def as_dict(self) -> dict[str, Any]:
        """Return the result as plain data for the model."""
        return {
            "status": self.status,
            "query": self.query,
            "params": self.params,
            "data": self.data,
        }


@dataclass(frozen=True)
class ReadOnlyTool:
    """A tool that reads and never writes; the only kind a model is given."""

    name: str
    description: str
    parameters: dict[str, Any]
    """JSON Schema of the arguments."""
    run: Callable[..., ToolResult]

    def schema(self) -> dict[str, Any]:
        """Return the OpenAI `tools` entry for this tool."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }
