"""What every request handler of one app shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from opsgate.rules.catalog.model import Catalog
from opsgate.server.group_commit import GroupCommitWriter
from opsgate.server.metrics import ServerMetrics
from opsgate.settings import Settings

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware; tests pin it."""


@dataclass
class ServerState:
    """The app's settings, store, catalog, writer, metrics and clock."""

    settings: Settings
    engine: Engine
    catalog: Catalog
    writer: GroupCommitWriter
    metrics: ServerMetrics
    clock: Clock
