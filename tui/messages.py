"""Messages the TUI's screens and dialogs send each other."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """A write went through; views showing the store should re-read it."""

    what: str
    """A short description (`proposal 12 executed`)."""
