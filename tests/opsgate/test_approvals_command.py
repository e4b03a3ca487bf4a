from typer.testing import CliRunner

from opsgate.cli import app
from opsgate.connectors.errors import ErrorCategory
from opsgate.rules.gate import propose
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope
from opsgate.rules.store.statuses import ProposalKind, ProposalStatus
from opsgate.rules.store.tables import Incident, Proposal

GATE_TOML = """
[gate.people]
ana = "approver"
vic = "viewer"
"""


def _store(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = create_store_engine(url)
    create_schema(engine)
    with session_scope(engine) as session:
        session.add(Incident(category=ErrorCategory.UNKNOWN, title="Odd failure."))
        session.flush()
        proposal = propose(
            session,
            kind=ProposalKind.SKIP_WITH_REASON,
            summary="Skip the odd failure.",
            record_ref="incident:1",
            incident_id=1,
            params={"reason": "test data"},
        )
    return url, engine, proposal.id


def test_approve_command_approves_and_lists_nothing_left(tmp_path, monkeypatch):
    url, engine, proposal_id = _store(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "opsgate.toml").write_text(GATE_TOML)
    runner = CliRunner()

    listed = runner.invoke(app, ["approvals", "--database-url", url])
    approved = runner.invoke(
        app,
        [
            "approve",
            str(proposal_id),
            "--reason",
            "fine",
            "--as",
            "ana",
            "--database-url",
            url,
        ],
    )
    after = runner.invoke(app, ["approvals", "--database-url", url])

    assert "Skip the odd failure." in listed.output
    assert approved.exit_code == 0, approved.output
    assert "No proposals wait" in after.output
    with session_scope(engine) as session:
        assert session.get(Proposal, proposal_id).status == ProposalStatus.EXECUTED


def test_refused_approval_exits_nonzero_with_the_reason(tmp_path, monkeypatch):
    url, _, proposal_id = _store(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "opsgate.toml").write_text(GATE_TOML)

    result = CliRunner().invoke(
        app,
        [
            "reject",
            str(proposal_id),
            "--reason",
            "no",
            "--as",
            "vic",
            "--database-url",
            url,
        ],
    )

    assert result.exit_code == 1
    assert "role 'viewer' may not reject" in result.output
