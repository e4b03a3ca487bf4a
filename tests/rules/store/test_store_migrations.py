from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from opsgate.rules.store.db import (
    create_store_engine,
    registered_metadata,
    upgrade_to_head,
)


@pytest.fixture
def empty_engine(empty_database_url: str) -> Iterator[Engine]:
    engine = create_store_engine(empty_database_url)
    yield engine
    engine.dispose()


def test_migrations_produce_exactly_the_model_schema(empty_engine):
    upgrade_to_head(empty_engine)

    with empty_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, registered_metadata())

    assert diff == []


def test_upgrade_to_head_twice_changes_nothing(empty_engine):
    upgrade_to_head(empty_engine)
    tables_before = set(inspect(empty_engine).get_table_names())

    upgrade_to_head(empty_engine)

    assert set(inspect(empty_engine).get_table_names()) == tables_before
    assert {"event", "delivery", "attempt", "dead_letter", "audit_entry"} <= (
        tables_before
    )
