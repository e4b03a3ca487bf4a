import shutil
from pathlib import Path

import pytest

from opsgate.rules.store.db import create_schema, create_store_engine
from tests.tui.fixture_store import build_fixture_store


@pytest.fixture(scope="session")
def fixture_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "template.db"
    engine = create_store_engine(f"sqlite:///{path}")
    create_schema(engine)
    build_fixture_store(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def store_path(fixture_template: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture store, so a test may write to it."""
    path = tmp_path / "opsgate.db"
    shutil.copy(fixture_template, path)
    return path
