"""The app factory: one FastAPI app per settings, store and catalog."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import Depends, FastAPI
from sqlalchemy import Engine

from opsgate import __version__
from opsgate.agent.chat.router import build_ask_router
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.catalog.model import Catalog
from opsgate.rules.store.db import create_store_engine
from opsgate.server import events, health, webhooks
from opsgate.server.api_token import require_api_token
from opsgate.server.fast_path import WebhookFastPath
from opsgate.server.group_commit import GroupCommitWriter
from opsgate.server.metrics import ServerMetrics
from opsgate.server.problems import Problem, handle_problem
from opsgate.server.state import Clock, ServerState
from opsgate.settings import Settings
from opsgate.wiring import llm_client


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    catalog: Catalog | None = None,
    clock: Clock = _utc_now,
) -> FastAPI:
    """Build the app; the group-commit writer runs while the app's lifespan does."""
    engine = engine or create_store_engine(settings.database_url)
    llm = llm_client(settings, engine)
    catalog = catalog or load_catalog(
        settings.catalog.paths, include_shipped=settings.catalog.include_shipped
    )
    state = ServerState(
        settings=settings,
        engine=engine,
        catalog=catalog,
        writer=GroupCommitWriter(
            engine,
            catalog,
            max_batch=settings.server.group_commit_max_batch,
            max_wait_ms=settings.server.group_commit_max_wait_ms,
        ),
        metrics=ServerMetrics(engine),
        clock=clock,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.writer.start()
        try:
            yield
        finally:
            state.writer.stop()

    app = FastAPI(
        title="Opsgate",
        version=__version__,
        summary="Webhooks in; events, health and metrics out.",
        lifespan=lifespan,
    )
    app.state.opsgate = state
    app.add_exception_handler(Problem, handle_problem)
    app.add_exception_handler(Exception, handle_problem)
    guarded = [Depends(require_api_token)]
    app.include_router(webhooks.router)
    app.include_router(health.router)
    app.include_router(events.router, dependencies=guarded)
    app.include_router(build_ask_router(state.engine, llm=llm), dependencies=guarded)
    return app


def serving_app(app: FastAPI) -> WebhookFastPath:
    """Wrap `app` for serving: webhook posts skip FastAPI's routing layers."""
    state: ServerState = app.state.opsgate
    return WebhookFastPath(app, state=state)
