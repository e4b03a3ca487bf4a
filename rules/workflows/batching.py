"""Coalesce deliveries that arrive together into one call to the target.

Workers attempt a claimed batch concurrently, so the timesheets of one import
reach the Odoo target within microseconds of each other. Sending each in its
own `load` would cost one round trip per line (twenty times slower on a real
server); the coalescer gathers what arrives within a short window and hands
it over as one batch, and each caller gets back its own result.

One batch is flushed at a time. What arrives while a flush is in flight waits
for it and goes in the next batch, so the busier the target, the larger its
batches (up to `max_items`), and an idle target still answers within the
window.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Coalescer(Generic[Item, Result]):
    """Batch concurrent `submit` calls into one `flush(items)` call at a time."""

    def __init__(
        self,
        flush: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]],
        *,
        window_s: float = 0.005,
        max_items: int = 500,
    ) -> None:
        self._flush = flush
        self._window_s = window_s
        self._max_items = max_items
        self._pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """Queue `item`; return its result once its batch was flushed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._pending.append((item, future))
        if self._flushing is None:
            if len(self._pending) >= self._max_items:
                self._start_flush()
            elif self._timer is None:
                self._timer = loop.call_later(self._window_s, self._start_flush)
        return await future

    def _start_flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._flushing is not None:
            return
        batch = self._pending[: self._max_items]
        self._pending = self._pending[self._max_items :]
        if batch:
            task = asyncio.get_running_loop().create_task(self._run(batch))
            self._flushing = task
            task.add_done_callback(self._flushed)

    def _flushed(self, task: asyncio.Task[None]) -> None:
        self._flushing = None
        if self._pending:
            # What queued up meanwhile has waited long enough: send it now.
            self._start_flush()

    async def _run(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            results = await self._flush([item for item, _ in batch])
        except BaseException as exc:
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
