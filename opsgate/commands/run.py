"""`opsgate run`: the HTTP server, the routing stage and the delivery workers.

With `--once` (or `--push FILE`), the engine starts, takes the samples
through its own webhook endpoint, waits until they are routed and delivered,
prints each event, and stops: a smoke run of the whole path.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import AsyncExitStack
from importlib import resources
from pathlib import Path
from typing import Annotated

import httpx
import orjson
import structlog
import typer
import uvicorn
from pydantic import SecretStr
from sqlalchemy import Engine

from opsgate.commands.init import new_secret
from opsgate.connectors.odoo.client import OdooClient
from opsgate.connectors.webhooks.sender import post_signed
from opsgate.jobs import background_jobs
from opsgate.logs import configure_logging
from opsgate.rules.catalog.errors import CatalogError
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.delivery.targets import NullTarget, RecordingTarget, Target
from opsgate.rules.delivery.worker import run_workers
from opsgate.rules.routing.stage import run_routing
from opsgate.rules.store.db import create_store_engine, upgrade_to_head
from opsgate.server import create_app, serving_app
from opsgate.settings import Settings, load_settings
from opsgate.wiring import (
    configuration_warnings,
    open_connectors,
    workflow_controls,
)

log = structlog.get_logger(__name__)

SMOKE_WAIT_S = 15.0
"""Longest a smoke run waits for its samples to settle, in seconds."""


def shipped_sample() -> Path:
    """Return the sample `--once` pushes when no `--push` file is given."""
    return Path(
        str(resources.files("opsgate.samples") / "standard-customer-upserted.json")
    )


def build_targets(stand_ins: list[str]) -> list[Target]:
    """Return the delivery targets of this process.

    `null` always exists. Each name in `stand_ins` is served by a recording
    stand-in that applies each idempotency key once; the real connectors'
    targets come from `opsgate.wiring.open_connectors`.
    """
    targets: list[Target] = [NullTarget("null")]
    targets.extend(RecordingTarget(name) for name in stand_ins if name != "null")
    return targets


def run(
    host: Annotated[
        str | None, typer.Option(help="Interface; default from settings.")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=0, max=65535, help="Port; default from settings."),
    ] = None,
    once: Annotated[
        bool,
        typer.Option(
            "--once", help="Push the shipped sample (or --push files), then stop."
        ),
    ] = False,
    push: Annotated[
        list[Path] | None,
        typer.Option(help="Sample to push through the engine; repeatable."),
    ] = None,
    source: Annotated[
        str, typer.Option(help="Source the samples are posted as.")
    ] = "standard",
    stand_in: Annotated[
        list[str] | None,
        typer.Option(help="Serve this target with a recording stand-in; repeatable."),
    ] = None,
) -> None:
    """Run the engine: webhooks in, routing, delivery."""
    settings = load_settings()
    configure_logging(settings.logging)
    server = settings.server.model_copy(
        update={
            "host": host or settings.server.host,
            "port": settings.server.port if port is None else port,
        }
    )
    samples = list(push or []) or ([shipped_sample()] if once else [])
    settings = settings.model_copy(update={"server": server})
    if samples and source not in settings.webhooks.secrets:
        secrets = {**settings.webhooks.secrets, source: SecretStr(new_secret())}
        hooks = settings.webhooks.model_copy(update={"secrets": secrets})
        settings = settings.model_copy(update={"webhooks": hooks})
        log.warning("webhooks.secret_generated", source=source, reason="smoke run")
    try:
        catalog = load_catalog(
            settings.catalog.paths, include_shipped=settings.catalog.include_shipped
        )
    except CatalogError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=2) from None
    engine = create_store_engine(settings.database_url)
    upgrade_to_head(engine)
    stand_ins = list(stand_in or []) + (
        ["odoo"] if samples and settings.odoo is None else []
    )
    asyncio.run(
        serve_with_connectors(
            settings, engine, catalog, stand_ins, samples=samples, source=source
        )
    )


async def serve_with_connectors(
    settings: Settings,
    engine: Engine,
    catalog: Catalog,
    stand_ins: list[str],
    *,
    samples: list[Path],
    source: str,
) -> None:
    """Open the connectors settings name, then serve with their targets and jobs."""
    for warning in configuration_warnings(
        settings, catalog, stand_ins=tuple(stand_ins)
    ):
        log.warning("settings.incomplete", detail=warning)
        typer.echo(f"Warning: {warning}", err=True)
    async with AsyncExitStack() as stack:
        connectors = await open_connectors(stack, settings, engine, catalog)
        named = {target.name for target in connectors.targets}
        targets = connectors.targets + [
            target for target in build_targets(stand_ins) if target.name not in named
        ]
        await serve(
            settings,
            engine,
            catalog,
            targets,
            samples=samples,
            source=source,
            odoo=connectors.odoo,
        )


async def serve(
    settings: Settings,
    engine: Engine,
    catalog: Catalog,
    targets: list[Target],
    *,
    samples: list[Path],
    source: str,
    odoo: OdooClient | None = None,
) -> None:
    """Run server, routing, workers and background jobs until the server stops."""
    server = uvicorn.Server(
        uvicorn.Config(
            serving_app(create_app(settings, engine=engine, catalog=catalog)),
            host=settings.server.host,
            port=settings.server.port,
            log_config=None,
            access_log=False,
        )
    )
    routing_stop = threading.Event()
    routing = threading.Thread(
        target=run_routing,
        args=(engine, catalog, settings.systems_of_record, routing_stop),
        kwargs={
            "batch_size": settings.routing.batch_size,
            "poll_interval_s": settings.routing.poll_interval_s,
            "controls": workflow_controls(settings, engine),
        },
        name="routing",
        daemon=True,
    )
    workers_stop = asyncio.Event()
    routing.start()
    workers = asyncio.create_task(
        run_workers(
            engine, targets, stop_event=workers_stop, settings=settings.delivery
        )
    )
    smoke = (
        asyncio.create_task(
            _smoke(server, settings, samples, source, _scheme(catalog, source))
        )
        if samples
        else None
    )
    jobs: list[asyncio.Task[object]] = [
        asyncio.create_task(job)
        for job in (
            []
            if samples
            else background_jobs(settings, engine, catalog, odoo, workers_stop)
        )
    ]
    try:
        await server.serve()
        if not server.started:
            server.should_exit = True
            typer.echo(
                f"The server could not listen on {settings.server.host}:"
                f"{settings.server.port}; is another process using it? "
                "Choose another with --port or OPSGATE_SERVER__PORT.",
                err=True,
            )
            raise typer.Exit(code=3)
    finally:
        workers_stop.set()
        routing_stop.set()
        await workers
        await asyncio.gather(*jobs, return_exceptions=True)
        await asyncio.to_thread(routing.join)
        if smoke is not None:
            await smoke


def _scheme(catalog: Catalog, source: str) -> str:
    """The signature scheme `source` is checked with (unknown sources: standard)."""
    entry = catalog.get(source)
    return entry.signature if entry is not None else "standard-webhooks"


async def _smoke(
    server: uvicorn.Server,
    settings: Settings,
    samples: list[Path],
    source: str,
    scheme: str,
) -> None:
    try:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.05)
        base_url = _base_url(server, settings)
        secret = settings.webhooks.secrets[source].get_secret_value()
        with httpx.Client(timeout=10.0) as client:
            for sample in samples:
                response = await asyncio.to_thread(
                    post_signed,
                    client,
                    base_url,
                    source=source,
                    body=sample.read_bytes(),
                    secret=secret,
                    scheme=scheme,
                )
                typer.echo(
                    f"POST /webhooks/{source} {sample.name}: {response.status_code} {response.text}"
                )
                event_id = response.json().get("event_id")
                if event_id:
                    typer.echo(
                        orjson.dumps(
                            await _settled(client, base_url, event_id),
                            option=orjson.OPT_INDENT_2,
                        ).decode()
                    )
    finally:
        server.should_exit = True


def _base_url(server: uvicorn.Server, settings: Settings) -> str:
    port = settings.server.port
    for listener in server.servers:
        for sock in listener.sockets:
            port = sock.getsockname()[1]
    return f"http://{settings.server.host}:{port}"


async def _settled(client: httpx.Client, base_url: str, event_id: str) -> object:
    """Poll the event until it is routed and its deliveries finished (bounded)."""
    deadline = asyncio.get_running_loop().time() + SMOKE_WAIT_S
    while True:
        found = (
            await asyncio.to_thread(client.get, f"{base_url}/events/{event_id}")
        ).json()
        pending = found.get("status") == "accepted" or any(
            d["status"] in ("pending", "in_flight", "retrying")
            for d in found.get("deliveries", [])
        )
        if not pending or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(0.1)
