"""Benchmark the TUI over a store with 100,000 incidents.

Prints: time to first paint (app start until the incidents table shows its
first page), key-to-paint while scrolling the incidents table and while
typing a filter (key press until the terminal receives the next frame), and
the store queries behind them. Runs headless at 120x40.

    .venv/bin/python bench/tui_paint.py [--incidents 100000] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from opsgate.rules.store.db import (  # noqa: E402
    create_schema,
    create_store_engine,
    session_scope,
)
from opsgate.tui.queries import (  # noqa: E402
    IncidentFilter,
    count_incidents,
    list_incidents,
    load_overview,
)
from tests.tui.fixture_store import (  # noqa: E402
    FIXTURE_NOW,
    add_bulk_incidents,
    build_fixture_store,
)
from tests.tui.snapshot_app import make_app  # noqa: E402

SIZE = (120, 40)


def build(path: Path, incidents: int) -> None:
    if path.exists():
        return
    started = time.perf_counter()
    engine = create_store_engine(f"sqlite:///{path}")
    create_schema(engine)
    build_fixture_store(engine)
    add_bulk_incidents(engine, incidents)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    print(
        f"built {path} with {incidents:,} extra incidents in "
        f"{time.perf_counter() - started:.1f} s"
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(name: str, samples_s: list[float]) -> None:
    ms = [s * 1000 for s in samples_s]
    print(
        f"{name:<34} n={len(ms):<4} median {statistics.median(ms):6.1f} ms  "
        f"p95 {pct(ms, 0.95):6.1f} ms  max {max(ms):6.1f} ms"
    )


def time_queries(path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{path}")
    cases = {
        "query: first page (open)": lambda s: list_incidents(s, IncidentFilter()),
        "query: first page (all)": lambda s: list_incidents(
            s, IncidentFilter(status=None)
        ),
        "query: page at offset 5000": lambda s: list_incidents(
            s, IncidentFilter(), offset=5000
        ),
        "query: text filter 'globex'": lambda s: list_incidents(
            s, IncidentFilter(text="globex")
        ),
        "query: count open": lambda s: count_incidents(s, IncidentFilter()),
        "query: count text 'globex'": lambda s: count_incidents(
            s, IncidentFilter(text="globex")
        ),
        "query: overview": lambda s: load_overview(s, now=FIXTURE_NOW),
    }
    for name, query in cases.items():
        samples = []
        for _ in range(7):
            started = time.perf_counter()
            with session_scope(engine) as session:
                query(session)
            samples.append(time.perf_counter() - started)
        report(name, samples)


class FrameClock:
    """When the app produced its frames, rendered to terminal text.

    Headless apps skip the terminal write, so this wraps `App._display` (a
    private method; only this bench touches it) and renders each update to
    the escape sequences a terminal would receive, timing that too.
    """

    def __init__(self, app: object) -> None:
        self.frames: list[float] = []
        original = app._display  # type: ignore[attr-defined]
        console = app.console  # type: ignore[attr-defined]

        def display(screen: object, renderable: object) -> None:
            original(screen, renderable)
            if renderable is not None and hasattr(renderable, "render_segments"):
                renderable.render_segments(console)
                self.frames.append(time.perf_counter())

        app._display = display  # type: ignore[attr-defined]

    async def next_after(self, instant: float, timeout_s: float = 2.0) -> float:
        deadline = time.perf_counter() + timeout_s
        while time.perf_counter() < deadline:
            later = [f for f in self.frames if f > instant]
            if later:
                return later[0] - instant
            await asyncio.sleep(0.0005)
        return timeout_s


async def paint_bench(path: Path) -> None:
    started = time.perf_counter()
    app = make_app(path, start="incidents")
    async with app.run_test(size=SIZE, headless=True) as pilot:
        table = app.screen.query_one("#table", DataTable)
        while table.row_count == 0 and time.perf_counter() - started < 30:
            await asyncio.sleep(0.001)
        await pilot.pause()
        first_paint = time.perf_counter() - started
        print(f"{'time to first paint (incidents)':<34} {first_paint * 1000:8.1f} ms")
        clock = FrameClock(app)

        scroll = []
        for key in ["down"] * 250 + ["pagedown"] * 20 + ["up"] * 50:
            instant = time.perf_counter()
            await pilot.press(key)
            scroll.append(await clock.next_after(instant))
        report("key-to-paint: scrolling", scroll)
        print(f"{'rows loaded after scrolling':<34} {table.row_count:,}")

        app.screen.query_one("#text").cursor_blink = False
        await pilot.press("slash")
        typing = []
        for key in "globex":
            instant = time.perf_counter()
            await pilot.press(key)
            typing.append(await clock.next_after(instant))
        report("key-to-paint: typing a filter", typing)

        results = []
        for text in ["acme", "timed out", "vat", "zzz-none"]:
            await pilot.press("ctrl+a", "ctrl+k", *text[:-1])
            await asyncio.sleep(0.2)
            await app.workers.wait_for_complete()
            instant = time.perf_counter()
            await pilot.press(text[-1])
            await asyncio.sleep(0.13)  # the filter's debounce
            await app.workers.wait_for_complete()
            await pilot.pause()
            results.append(time.perf_counter() - instant - 0.13)
        report("last key to results (- debounce)", results)


class PlainTable(App[None]):
    """Baseline: a bare Textual DataTable with the same 1,000 rows."""

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("impact", "at risk", "category", "title")
        for i in range(1000):
            table.add_row(f"{i:6.1f}", "32,622 EUR", "missing_reference", "x" * 90)


async def baseline_bench() -> None:
    app = PlainTable()
    async with app.run_test(size=SIZE, headless=True) as pilot:
        await pilot.pause()
        clock = FrameClock(app)
        samples = []
        for key in ["down"] * 250 + ["pagedown"] * 20 + ["up"] * 50:
            instant = time.perf_counter()
            await pilot.press(key)
            samples.append(await clock.next_after(instant))
        report("baseline: bare DataTable scrolling", samples)


async def overview_bench(path: Path) -> None:
    started = time.perf_counter()
    app = make_app(path, start="overview")
    async with app.run_test(size=SIZE, headless=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(
            f"{'time to first paint (overview)':<34} "
            f"{(time.perf_counter() - started) * 1000:8.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("var/bench_tui.db"))
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    build(args.db, args.incidents)
    time_queries(args.db)
    asyncio.run(paint_bench(args.db))
    asyncio.run(overview_bench(args.db))
    asyncio.run(baseline_bench())
    print(f"load average while measuring: {os.getloadavg()}")


if __name__ == "__main__":
    main()
