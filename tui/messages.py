"""Messages the TUI's screens and dialogs send each other."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """A write went through; views showing the store should re-read it."""

    what: str
    """A short description (`proposal 12 executed`)."""


@dataclass
class RefreshTick(Message):
    """Time to re-read the store for a live view."""

    def can_replace(self, message: Message) -> bool:
        """A newer tick makes an older, unhandled one pointless."""
        return isinstance(message, RefreshTick)
