"""Build the TUI over a fixture store, the same way for snapshots and Pilot tests."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import ModuleType

from textual.worker import WorkerCancelled

from opsgate.rules.store.db import create_store_engine
from opsgate.tui.app import OpsgateApp
from opsgate.tui.context import TuiContext
from opsgate.tui.gateway import Gateway
from opsgate.tui.settings import TuiSettings
from tests.tui.fixture_store import FIXTURE_GATE, FIXTURE_NOW


def make_app(
    db_path: Path,
    *,
    start: str = "overview",
    actor: str = "ana",
    readonly: bool = False,
    gate: ModuleType | None = None,
    settings: TuiSettings | None = None,
) -> OpsgateApp:
    """Return the app over the store at `db_path`, its clock fixed at the fixture's."""
    engine = create_store_engine(f"sqlite:///{db_path}")
    gateway = Gateway(engine, actor=actor, gate=gate, gate_settings=FIXTURE_GATE)
    ctx = TuiContext(
        engine=engine,
        gateway=gateway,
        actor=actor,
        readonly=readonly,
        settings=settings or TuiSettings(refresh_interval_s=3600),
        clock=lambda: FIXTURE_NOW,
    )
    return OpsgateApp(ctx, start=start)


async def settle(pilot: object, *, waiting_for_dialog: bool = False) -> None:
    """Wait until every worker has finished and the screen has repainted.

    A worker that waits for a dialog never finishes while the dialog is up;
    pass `waiting_for_dialog` to wait for repaints only.
    """
    app = pilot.app  # type: ignore[attr-defined]
    for _ in range(3):
        await pilot.pause()  # type: ignore[attr-defined]
        if waiting_for_dialog:
            await pilot.pause(0.2)  # type: ignore[attr-defined]
            continue
        try:
            await asyncio.wait_for(app.workers.wait_for_complete(), 10)
        except WorkerCancelled:
            continue
    await pilot.pause()  # type: ignore[attr-defined]
