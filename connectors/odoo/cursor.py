"""Incremental pulls by `write_date` that miss nothing and repeat nothing.

Odoo stores `write_date` with microseconds but reads it back cut to the
second, so `write_date > last_seen` skips the rest of that second and
`write_date = last_seen` matches nothing. The cursor therefore keeps the last
second seen and the ids already delivered at that second, asks for
`write_date >= second` ordered by `write_date, id`, and leaves out those ids
(but only within that second: a record written again later comes back).

A second is only read once it is over (plus `settle_s`): a record written
again within the second the cursor already stands on would read back with the
same `write_date` and be taken for one already delivered. So each page asks
for `write_date < <the last completed second>` too.

Known limitation: a transaction stamps its rows with its *start* time, so a
long call that commits after the cursor has passed that second is not seen
until it is written again. Raise `settle_s` above the longest write
transaction, and keep the nightly reconciliation for the rest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from opsgate.connectors.odoo.calls import OdooCall

if TYPE_CHECKING:
    from opsgate.connectors.odoo.client import OdooClient

_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class CursorPosition:
    """Where an incremental pull stands; store it between runs."""

    write_date: str | None = None
    """The last `write_date` delivered, as Odoo reads it (second precision, UTC)."""
    ids_at_write_date: frozenset[int] = field(default_factory=frozenset)
    """Ids already delivered whose `write_date` reads as `write_date`."""

    def after(self, record: Mapping[str, Any]) -> CursorPosition:
        """The position once `record` has been delivered."""
        stamp = str(record["write_date"])
        if stamp == self.write_date:
            return CursorPosition(stamp, self.ids_at_write_date | {int(record["id"])})
        return CursorPosition(stamp, frozenset({int(record["id"])}))

    def domain(self) -> list[Any]:
        """The domain leaves that select what comes after this position."""
        if self.write_date is None:
            return []
        leaves: list[Any] = [["write_date", ">=", self.write_date]]
        if self.ids_at_write_date:
            next_second = datetime.strptime(self.write_date, _FORMAT) + timedelta(
                seconds=1
            )
            leaves += [
                "|",
                ["write_date", ">=", next_second.strftime(_FORMAT)],
                ["id", "not in", sorted(self.ids_at_write_date)],
            ]
        return leaves


class ChangeCursor:
    """Async iterator over changed records; `position` follows each record."""

    def __init__(
        self,
        client: OdooClient,
        model: str,
        *,
        fields: Sequence[str],
        domain: Sequence[Any],
        position: CursorPosition,
        page_size: int,
        context: Mapping[str, Any] | None,
        settle_s: float = 1.0,
        clock: Callable[[], datetime] | None = None,
        max_pages: int = 100_000,
    ) -> None:
        self._client = client
        self._model = model
        self._fields = list(dict.fromkeys([*fields, "write_date"]))
        self._domain = list(domain)
        self._page_size = page_size
        self._context = context
        self._max_pages = max_pages
        self._settle_s = settle_s
        self._clock = clock or (lambda: datetime.now(UTC))
        self.position = position
        """The position after the last record yielded."""

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        return self._records()

    def _settled_before(self) -> str:
        """The start of the newest second that is over (UTC, Odoo's format)."""
        now = self._clock().astimezone(UTC) - timedelta(seconds=self._settle_s)
        return now.replace(microsecond=0).strftime(_FORMAT)

    async def _records(self) -> AsyncIterator[dict[str, Any]]:
        before = self._settled_before()
        for _ in range(self._max_pages):
            page = await self._page(before)
            for record in page:
                self.position = self.position.after(record)
                yield record
            if len(page) < self._page_size:
                return

    async def _page(self, before: str) -> list[dict[str, Any]]:
        params = {
            "domain": [
                *self._domain,
                *self.position.domain(),
                ["write_date", "<", before],
            ],
            "fields": self._fields,
            "order": "write_date asc, id asc",
            "limit": self._page_size,
        }
        call = OdooCall(self._model, "search_read", None, params, self._context)
        return list(await self._client.execute(call))
