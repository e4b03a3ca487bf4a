from sqlmodel import select
from typer.testing import CliRunner

from opsgate.cli import app
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.rules.store.statuses import DeliveryStatus
from opsgate.rules.store.tables import AuditEntry, Delivery
from tests.agent.graphs.triage_seed import seed_incident

GATE_TOML = """
[gate.people]
ana = "approver"
"""


def test_triage_approve_resume_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "opsgate.toml").write_text(GATE_TOML)
    url = f"sqlite:///{tmp_path / 'var' / 'opsgate.db'}"
    engine = create_store_engine(url)
    create_schema(engine)
    incident_id, delivery_id = seed_incident(engine)
    runner = CliRunner()

    triaged = runner.invoke(
        app, ["agent", "triage", str(incident_id), "--database-url", url]
    )
    proposal_id = triaged.output.split("proposal:")[1].split()[0]
    approved = runner.invoke(
        app,
        [
            "approve",
            proposal_id,
            "--reason",
            "transient",
            "--as",
            "ana",
            "--no-execute",
            "--database-url",
            url,
        ],
    )
    resumed = runner.invoke(
        app, ["agent", "resume", str(incident_id), "--database-url", url]
    )

    assert triaged.exit_code == 0, triaged.output
    assert "rate_limit" in triaged.output and "waiting for approval" in triaged.output
    assert approved.exit_code == 0, approved.output
    assert "outcome:    verified" in resumed.output, resumed.output
    assert (tmp_path / "var" / "checkpoints.db").exists()
    assert (tmp_path / "var" / "chroma").exists()
    with session_scope(engine) as session:
        assert session.get(Delivery, delivery_id).status == DeliveryStatus.PENDING
        actions = set(session.exec(select(AuditEntry.action)).all())
    assert {"proposal.proposed", "proposal.approved", "proposal.executed"} <= actions


def test_approving_at_the_cli_carries_out_the_waiting_triage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "opsgate.toml").write_text(GATE_TOML)
    url = f"sqlite:///{tmp_path / 'var' / 'opsgate.db'}"
    engine = create_store_engine(url)
    create_schema(engine)
    incident_id, delivery_id = seed_incident(engine)
    runner = CliRunner()
    triaged = runner.invoke(
        app, ["agent", "triage", str(incident_id), "--database-url", url]
    )
    proposal_id = triaged.output.split("proposal:")[1].split()[0]

    approved = runner.invoke(
        app,
        [
            "approve",
            proposal_id,
            "--reason",
            "transient",
            "--as",
            "ana",
            "--database-url",
            url,
        ],
    )

    assert approved.exit_code == 0, approved.output
    assert f"Triage of incident {incident_id} resumed: verified." in approved.output
    with session_scope(engine) as session:
        assert session.get(Delivery, delivery_id).status == DeliveryStatus.PENDING
