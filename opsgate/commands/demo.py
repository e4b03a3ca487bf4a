"""`opsgate demo`: a consulting firm's month through all four workflows, offline."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.console import Console

from opsgate.connectors.odoo.settings import OdooSettings
from opsgate.demo.report import print_report
from opsgate.demo.runner import DemoOptions, run_demo
from opsgate.logs import configure_logging
from opsgate.settings import LoggingSettings


def demo(
    seed: Annotated[int, typer.Option(help="Same seed, same month, same report.")] = 7,
    workdir: Annotated[
        Path, typer.Option(help="Where the demo's store and files go.")
    ] = Path("var/demo"),
    odoo_url: Annotated[
        str | None,
        typer.Option(help="Run against this real Odoo instead of the stand-in."),
    ] = None,
    odoo_db: Annotated[
        str | None, typer.Option(help="The real Odoo's database.")
    ] = None,
    odoo_api_key: Annotated[
        str | None,
        typer.Option(
            help="An API key of an Odoo admin user.", envvar="OPSGATE_DEMO_ODOO_API_KEY"
        ),
    ] = None,
    odoo_version: Annotated[
        int, typer.Option(help="The Odoo version the stand-in plays (18 or 19).")
    ] = 19,
    log_level: Annotated[
        str,
        typer.Option(
            help="Log level of the engine's lines; the report says what happened."
        ),
    ] = "CRITICAL",
) -> None:
    """Run a 40-consultant firm's month through Opsgate and print what happened."""
    configure_logging(LoggingSettings(level=log_level.upper(), format="console"))
    console = Console()
    odoo = None
    if odoo_url:
        if not odoo_api_key:
            raise typer.BadParameter(
                "--odoo-url needs --odoo-api-key.", param_hint="--odoo-api-key"
            )
        odoo = OdooSettings(
            url=odoo_url, database=odoo_db, api_key=SecretStr(odoo_api_key)
        )
    started = time.perf_counter()
    report = asyncio.run(
        run_demo(
            DemoOptions(
                seed=seed, workdir=workdir, odoo=odoo, odoo_version=odoo_version
            ),
            on_phase=lambda name: console.print(f"[bold]{name}[/bold] ..."),
        )
    )
    print_report(report, console)
    console.print(
        f"Finished in {time.perf_counter() - started:.1f} s. The store is "
        f"{workdir / 'demo.db'}: `opsgate tui --db sqlite:///{workdir / 'demo.db'}` to look around."
    )
