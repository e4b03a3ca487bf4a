from typer.testing import CliRunner

from opsgate.cli import app
from opsgate.rules.store.db import create_schema, create_store_engine
from tests.rules.support.desk_events import (
    deliver,
    jira_issue,
    open_billing_incident,
)


def _store(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = create_store_engine(url)
    create_schema(engine)
    return url, engine


def test_incidents_command_lists_by_impact_with_the_open_tickets(tmp_path):
    url, engine = _store(tmp_path)
    small = open_billing_incident(engine, customer="Globex", amount="100")
    large = open_billing_incident(engine, amount="9000")
    deliver(engine, "jira", jira_issue(organisation="Acme Corporation"))
    engine.dispose()

    result = CliRunner().invoke(app, ["incidents", "--database-url", url])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[0] == str(large)
    assert "Acme Corporation / P-08" in lines[0]
    assert lines[1].strip() == "1 open support ticket: jira:TES-41"
    assert lines[2].split()[0] == str(small)
    assert len(lines) == 3


def test_incidents_command_says_when_there_are_none(tmp_path):
    url, engine = _store(tmp_path)
    engine.dispose()

    result = CliRunner().invoke(app, ["incidents", "--database-url", url])

    assert result.output == "No unresolved incidents.\n"
