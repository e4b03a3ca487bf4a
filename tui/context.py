"""What every screen needs: the store, the gateway, the clock and the mode."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from opsgate.rules.store.db import session_scope
from opsgate.tui.gateway import Gateway
from opsgate.tui.settings import TuiSettings

T = TypeVar("T")


class Answer(Protocol):
    """What the chat job returns: the text and the ids it cites."""

    @property
    def text(self) -> str:
        """The answer in plain words."""

    @property
    def citations(self) -> list[str]:
        """The ids the answer is based on (`event:<id>`, `incident:<n>`)."""


Ask = Callable[[str], Answer]
"""The chat pane's backend: a question in, a cited answer out."""

Similar = Callable[[int], list[str]]
"""Past incidents like incident N, one line each (the agent's incident memory)."""


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class TuiContext:
    """Shared by the app and its screens; built once by `opsgate tui`."""

    engine: Engine
    gateway: Gateway
    actor: str
    """Who approves, rejects and replays (`--as NAME`)."""
    readonly: bool = False
    """When set, every write is hidden."""
    settings: TuiSettings = field(default_factory=TuiSettings)
    clock: Callable[[], datetime] = _utcnow
    """The current time; tests fix it so snapshots stay still."""
    ask: Ask | None = None
    """The chat pane's backend, when the insights chat job is available."""
    similar: Similar | None = None
    """Stands in for the store's same-fingerprint match in the drill-down."""

    def read(self, query: Callable[[Session], T]) -> T:
        """Run `query` in a fresh session and return its result."""
        with session_scope(self.engine) as session:
            return query(session)

    async def read_async(self, query: Callable[[Session], T]) -> T:
        """Run `query` on a thread so the UI keeps answering keys."""
        return await asyncio.to_thread(self.read, query)
