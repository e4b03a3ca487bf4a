"""The group-commit writer: many requests' inserts in one transaction.

Each request hands its input to the writer thread and waits; the writer takes
every input waiting, accepts them in one transaction, commits, and only then
answers each request. The commit is what makes the answer safe to send.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from dataclasses import dataclass

import structlog
from sqlalchemy import Engine

from opsgate.rules.accept import AcceptRequest, AcceptResult, accept_many
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.store.db import session_scope

log = structlog.get_logger(__name__)


class WriterStopped(Exception):
    """Raised when an input is submitted to a writer that is not running."""


@dataclass
class _Pending:
    request: AcceptRequest
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[AcceptResult]


_STOP = object()


class GroupCommitWriter:
    """A thread that commits accepted inputs in groups."""

    def __init__(
        self, engine: Engine, catalog: Catalog, *, max_batch: int, max_wait_ms: float
    ) -> None:
        self._engine = engine
        self._catalog = catalog
        self._max_batch = max_batch
        self._max_wait_s = max_wait_ms / 1000
        self._queue: queue.SimpleQueue[_Pending | object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the writer thread."""
        self._thread = threading.Thread(
            target=self._run, name="group-commit", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Commit what is queued, then stop the thread."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None

    async def submit(self, request: AcceptRequest) -> AcceptResult:
        """Accept `request` in the next group; return once it is committed."""
        if self._thread is None:
            raise WriterStopped("The group-commit writer is not running.")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[AcceptResult] = loop.create_future()
        self._queue.put(_Pending(request, loop, future))
        return await future

    def _run(self) -> None:
        running = True
        while running:
            batch, running = self._next_batch()
            if batch:
                self._commit(batch)

    def _next_batch(self) -> tuple[list[_Pending], bool]:
        first = self._queue.get()
        if first is _STOP:
            return [], False
        batch = [first]
        deadline = time.monotonic() + self._max_wait_s
        while len(batch) < self._max_batch:
            try:
                timeout = deadline - time.monotonic()
                item = (
                    self._queue.get(timeout=timeout)
                    if timeout > 0
                    else self._queue.get_nowait()
                )
            except queue.Empty:
                break
            if item is _STOP:
                return [p for p in batch if isinstance(p, _Pending)], False
            batch.append(item)
        return [p for p in batch if isinstance(p, _Pending)], True

    def _commit(self, batch: list[_Pending]) -> None:
        try:
            with session_scope(self._engine) as session:
                results = accept_many(
                    session, self._catalog, [p.request for p in batch]
                )
        except Exception as exc:
            log.exception("accept.batch_failed", size=len(batch))
            if len(batch) > 1:
                # Commit each alone, so one input that breaks a batch fails alone.
                for pending in batch:
                    self._commit([pending])
                return
            batch[0].loop.call_soon_threadsafe(_fail, batch[0].future, exc)
            return
        # One wake-up per event loop, not one per request.
        by_loop: dict[
            asyncio.AbstractEventLoop, list[tuple[_Pending, AcceptResult]]
        ] = {}
        for pending, result in zip(batch, results, strict=True):
            by_loop.setdefault(pending.loop, []).append((pending, result))
        for loop, answered in by_loop.items():
            loop.call_soon_threadsafe(_succeed, answered)


def _succeed(answered: list[tuple[_Pending, AcceptResult]]) -> None:
    for pending, result in answered:
        if not pending.future.done():
            pending.future.set_result(result)


def _fail(future: asyncio.Future[AcceptResult], exc: Exception) -> None:
    if not future.done():
        future.set_exception(exc)
