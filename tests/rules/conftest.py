"""Databases for the store, delivery and audit tests: a SQLite file and PostgreSQL.

`store_url` and `store_engine` are parametrized over both; the PostgreSQL
variant carries the `postgres` marker, runs in a database created for this
test run (`opsgate_test_<random>`) and dropped afterwards, and skips with a
message when the server is absent -- unless OPSGATE_TEST_REQUIRE_SERVICES=1,
where it fails instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from opsgate.rules.store.db import create_schema, create_store_engine

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _admin_url() -> str:
    return os.environ.get("OPSGATE_TEST_POSTGRES_URL", POSTGRES_ADMIN_URL)


def _services_required() -> bool:
    return os.environ.get("OPSGATE_TEST_REQUIRE_SERVICES") == "1"


def postgres_or_skip() -> str:
    """Return the admin URL when PostgreSQL answers; skip (or fail on CI)."""
    url = _admin_url()
    try:
        with psycopg.connect(url, connect_timeout=3):
            pass
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL not reachable at {url!r}: {exc}".strip()
        if _services_required():
            pytest.fail(message)
        pytest.skip(message)
    return url


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database for this run, yield its URL, drop it after."""
    admin_url = postgres_or_skip()
    name = f"opsgate_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_database_url() -> Iterator[str]:
    """One database with the schema for the whole run; tables emptied per test."""
    with fresh_postgres_database() as url:
        engine = create_store_engine(url)
        create_schema(engine)
        engine.dispose()
        yield url


def _empty_postgres_tables(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A database URL with the schema in place and every table empty."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        engine = create_store_engine(url)
        create_schema(engine)
        engine.dispose()
        yield url
        return
    url = request.getfixturevalue("postgres_database_url")
    engine = create_store_engine(url)
    _empty_postgres_tables(engine)
    engine.dispose()
    yield url


@pytest.fixture
def store_engine(store_url: str) -> Iterator[Engine]:
    """An engine on `store_url`, disposed after the test."""
    engine = create_store_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    """A SQLite file store with the schema, for tests that need only SQLite."""
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL to a database with no tables at all (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    with fresh_postgres_database() as url:
        yield url
