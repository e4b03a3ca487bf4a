"""Run the engine in this process: HTTP server, routing stage and delivery workers.

`opsgate demo` and the tests start it on a loopback port; `opsgate run` keeps
it in the foreground. Stopping finishes the batches in hand, so nothing
claimed is left to a lease.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy import Engine

from opsgate.connectors.loopback import LoopbackServer
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.delivery.targets import Target
from opsgate.rules.delivery.worker import WorkerStats, run_workers
from opsgate.rules.routing.stage import run_routing
from opsgate.rules.workflows.controls import WorkflowControls
from opsgate.server import create_app, serving_app
from opsgate.settings import Settings

log = structlog.get_logger(__name__)


@dataclass
class EngineRuntime:
    """The engine's three loops over one store, started and stopped together."""

    settings: Settings
    engine: Engine
    catalog: Catalog
    targets: Sequence[Target]
    controls: WorkflowControls | None = None

    def __post_init__(self) -> None:
        self._server: LoopbackServer | None = None
        self._routing_stop = threading.Event()
        self._routing: threading.Thread | None = None
        self._workers_stop = asyncio.Event()
        self._workers: asyncio.Task[WorkerStats] | None = None

    @property
    def url(self) -> str:
        """Base URL of the HTTP server."""
        if self._server is None:
            raise ValueError("The engine is not running; call start() first.")
        return self._server.url

    async def start(self) -> EngineRuntime:
        """Start the server on a loopback port, the routing thread and the workers."""
        app = serving_app(
            create_app(self.settings, engine=self.engine, catalog=self.catalog)
        )
        self._server = LoopbackServer(app, name="opsgate").start()
        self._routing = threading.Thread(
            target=run_routing,
            args=(
                self.engine,
                self.catalog,
                self.settings.systems_of_record,
                self._routing_stop,
            ),
            kwargs={
                "batch_size": self.settings.routing.batch_size,
                "poll_interval_s": self.settings.routing.poll_interval_s,
                "controls": self.controls,
            },
            name="routing",
            daemon=True,
        )
        self._routing.start()
        self._workers = asyncio.create_task(
            run_workers(
                self.engine,
                list(self.targets),
                stop_event=self._workers_stop,
                settings=self.settings.delivery,
            )
        )
        return self

    async def stop(self) -> WorkerStats | None:
        """Stop the three loops; return what the workers did."""
        self._workers_stop.set()
        self._routing_stop.set()
        stats = await self._workers if self._workers is not None else None
        if self._routing is not None:
            await asyncio.to_thread(self._routing.join)
        if self._server is not None:
            self._server.stop()
        return stats
