from datetime import UTC, datetime, timedelta

from sqlmodel import select

from opsgate.agent.llm.audit import store_audit, tokens_spent_since
from opsgate.agent.tools.store_reads import store_tools
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.rules.store.tables import AuditEntry, Incident


def _engine(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 's.db'}")
    create_schema(engine)
    return engine


def test_todays_spent_tokens_are_read_back_from_the_audit_log(tmp_path):
    engine = _engine(tmp_path)
    sink = store_audit(engine)
    sink("llm.called", {"model": "m", "total_tokens": 700})
    sink("llm.called", {"model": "m", "total_tokens": 60})

    spent = tokens_spent_since(engine, datetime.now(UTC) - timedelta(hours=1))
    later = tokens_spent_since(engine, datetime.now(UTC) + timedelta(hours=1))

    assert (spent, later) == (760, 0)


def test_store_tools_read_with_the_exact_query_and_never_write(tmp_path):
    engine = _engine(tmp_path)
    with session_scope(engine) as session:
        session.add(Incident(category=ErrorCategory.TIMEOUT, title="Odoo timed out."))
    tools = {tool.name: tool for tool in store_tools(engine)}

    found = tools["get_incident"].run(incident_id=1)
    missing = tools["list_attempts"].run(delivery_id=9)

    assert found.status == "ok" and found.data["title"] == "Odoo timed out."
    assert found.query == "incident 1" and found.params == {"incident_id": 1}
    assert missing.status == "no_data"
    with session_scope(engine) as session:
        assert session.exec(select(AuditEntry)).all() == []
