"""The parts `opsgate run` builds from settings."""

from opsgate.agent.llm.audit import store_audit
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.store.db import create_schema, create_store_engine
from opsgate.settings import Settings
from opsgate.wiring import configuration_warnings, llm_client


def test_model_budget_starts_from_what_the_audit_log_says_was_spent_today(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    sink = store_audit(engine)
    sink("llm.called", {"model": "m", "total_tokens": 1200})
    sink("llm.called", {"model": "m", "total_tokens": 300})
    settings = Settings(
        database_url=str(engine.url),
        agent={"llm": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}},
    )

    client = llm_client(settings, engine)

    assert client is not None
    assert client.budget.spent == 1500
    engine.dispose()


def test_no_model_endpoint_means_no_client(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.db'}")

    assert llm_client(Settings(database_url=str(engine.url)), engine) is None


def test_start_up_names_a_secret_for_an_unknown_source_and_a_missing_read_back():
    settings = Settings(
        webhooks={
            "secrets": {"toggle": "x", "toggl": "y", "clockify": "z"},
        },
        clockify={"api_key": "k"},
    )

    warnings = configuration_warnings(settings, load_catalog([]), stand_ins=("odoo",))

    unknown, unread = sorted(warnings, key=lambda w: "toggle" not in w)
    assert len(warnings) == 2
    assert "'toggle', which is not a catalog source" in unknown
    assert "toggl webhooks are accepted but cannot be read back" in unread
    assert "[toggl] api_token" in unread


def test_start_up_says_when_no_odoo_is_configured():
    warnings = configuration_warnings(Settings(), load_catalog([]))

    assert any("No [odoo] is configured" in w for w in warnings)
    assert not configuration_warnings(Settings(), load_catalog([]), stand_ins=("odoo",))
