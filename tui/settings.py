"""The TUI's settings section (wired into the root `Settings` by the lead)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class TuiSettings(BaseModel):
    """How `opsgate tui` looks and behaves."""

    model_config = ConfigDict(extra="forbid")

    refresh_interval_s: float = 5.0
    """How often the live views re-read the store. Seconds."""
    sla_ack_h: float = 4.0
    """An open incident not acknowledged within this many hours breaches SLA."""
    page_size: int = 200
    """Rows fetched per page in the long tables."""
    theme: str = "textual-dark"
    """A Textual theme name (`textual-dark`, `nord`, `gruvbox`, ...)."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id to keys, overriding the defaults (`{"approvals.approve": "y"}`)."""
