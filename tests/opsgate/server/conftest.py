"""An app on a SQLite file store, its clock pinned to the Standard Webhooks vector."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from opsgate.rules.store.db import create_schema, create_store_engine
from opsgate.server import create_app
from opsgate.settings import Settings
from tests.opsgate.server.webhook_signing import PINNED, SECRET


@pytest.fixture
def store(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'server.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="sqlite:///unused.db",
        server={"max_body_bytes": 8192},
        webhooks={"secrets": {"standard": SECRET, "stripe": SECRET}},
    )


@pytest.fixture
def client(settings, store):
    app = create_app(settings, engine=store, clock=lambda: PINNED)
    with TestClient(app) as client:
        yield client
