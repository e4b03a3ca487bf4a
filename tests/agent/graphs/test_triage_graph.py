import subprocess
import sys
import textwrap

from sqlmodel import select

from opsgate.agent.checkpoints import open_checkpointer
from opsgate.agent.graphs.triage import build_triage_graph
from opsgate.agent.graphs.triage_runs import resume_triage, start_triage, triage_status
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import DeliveryStatus, ProposalKind, ProposalStatus
from opsgate.rules.store.tables import AuditEntry, Delivery, Proposal
from tests.agent.graphs.triage_seed import GATE, seed_incident


def _approve(proposal_id, who="ana"):
    return {
        "proposal_id": proposal_id,
        "decision": "approved",
        "approver": who,
        "reason": "looks right",
    }


def test_triage_waits_for_approval_then_executes_through_the_gate(
    tmp_path, engine, context
):
    incident_id, delivery_id = seed_incident(engine)
    with open_checkpointer(str(tmp_path / "checkpoints.db")) as saver:
        graph = build_triage_graph(saver)

        waiting = start_triage(graph, context, incident_id)
        with session_scope(engine) as session:
            untouched = session.get(Delivery, delivery_id).status
        done = resume_triage(graph, context, incident_id, _approve(waiting.proposal_id))

    assert waiting.waiting and waiting.classification["category"] == "rate_limit"
    assert untouched == DeliveryStatus.DEAD
    assert done.outcome == "verified" and not done.waiting
    with session_scope(engine) as session:
        assert session.get(Delivery, delivery_id).status == DeliveryStatus.PENDING
        proposal = session.get(Proposal, waiting.proposal_id)
        assert proposal.kind == ProposalKind.RETRY
        assert proposal.status == ProposalStatus.EXECUTED


def test_waiting_triage_survives_a_process_restart(tmp_path, engine, context):
    incident_id, delivery_id = seed_incident(engine)
    checkpoints = tmp_path / "checkpoints.db"
    script = textwrap.dedent(
        f"""
        from opsgate.agent.checkpoints import open_checkpointer
        from opsgate.agent.classify import Classifier
        from opsgate.agent.classify.model import TriageModel
        from opsgate.agent.graphs.triage import build_triage_graph
        from opsgate.agent.graphs.triage_runs import start_triage
        from opsgate.agent.graphs.triage_state import TriageContext
        from opsgate.rules.gate import GateSettings
        from opsgate.rules.store.db import create_store_engine

        engine = create_store_engine({str(engine.url)!r})
        context = TriageContext(engine=engine, classifier=Classifier(TriageModel.load()),
                                gate=GateSettings.model_validate_json({GATE.model_dump_json()!r}))
        with open_checkpointer({str(checkpoints)!r}) as saver:
            status = start_triage(build_triage_graph(saver), context, {incident_id})
        print(status.proposal_id, status.waiting)
        """
    )
    first = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    proposal_id, waiting = first.stdout.split()[-2:]

    with open_checkpointer(str(checkpoints)) as saver:
        graph = build_triage_graph(saver)
        before = triage_status(graph, incident_id)
        done = resume_triage(graph, context, incident_id, _approve(int(proposal_id)))

    assert waiting == "True"
    assert before.waiting and before.proposal_id == int(proposal_id)
    assert done.outcome == "verified"


def test_running_the_steps_before_the_interrupt_twice_makes_one_proposal(
    tmp_path, engine, context
):
    incident_id, _ = seed_incident(engine)
    with (
        open_checkpointer(str(tmp_path / "a.db")) as first,
        open_checkpointer(str(tmp_path / "b.db")) as second,
    ):
        one = start_triage(build_triage_graph(first), context, incident_id)
        two = start_triage(build_triage_graph(second), context, incident_id)

    with session_scope(engine) as session:
        proposed = session.exec(
            select(AuditEntry).where(AuditEntry.action == "proposal.proposed")
        ).all()
    assert one.proposal_id == two.proposal_id
    assert len(proposed) == 1


def test_decision_for_another_proposal_is_refused_and_triage_keeps_waiting(
    tmp_path, engine, context
):
    incident_id, delivery_id = seed_incident(engine)
    with open_checkpointer(str(tmp_path / "c.db")) as saver:
        graph = build_triage_graph(saver)
        waiting = start_triage(graph, context, incident_id)

        after = resume_triage(
            graph, context, incident_id, _approve(waiting.proposal_id + 7)
        )

    assert after.waiting
    assert "waits for a decision on proposal" in after.refusal
    with session_scope(engine) as session:
        assert session.get(Delivery, delivery_id).status == DeliveryStatus.DEAD


def test_agent_cannot_approve_its_own_proposal_through_resume(
    tmp_path, engine, context
):
    incident_id, delivery_id = seed_incident(engine)
    with open_checkpointer(str(tmp_path / "d.db")) as saver:
        graph = build_triage_graph(saver)
        waiting = start_triage(graph, context, incident_id)

        after = resume_triage(
            graph, context, incident_id, _approve(waiting.proposal_id, who="agent")
        )

    assert after.waiting and "only people approve" in after.refusal
    with session_scope(engine) as session:
        assert session.get(Delivery, delivery_id).status == DeliveryStatus.DEAD


def test_rejection_ends_the_triage_without_writing(tmp_path, engine, context):
    incident_id, delivery_id = seed_incident(engine)
    with open_checkpointer(str(tmp_path / "e.db")) as saver:
        graph = build_triage_graph(saver)
        waiting = start_triage(graph, context, incident_id)

        done = resume_triage(
            graph,
            context,
            incident_id,
            {
                "proposal_id": waiting.proposal_id,
                "decision": "rejected",
                "approver": "ana",
                "reason": "upstream fixed it",
            },
        )

    assert done.outcome == "rejected" and not done.waiting
    with session_scope(engine) as session:
        assert session.get(Delivery, delivery_id).status == DeliveryStatus.DEAD


def test_approval_given_at_the_cli_is_picked_up_by_a_nudge(tmp_path, engine, context):
    from opsgate.rules.gate import approve

    incident_id, _ = seed_incident(engine)
    with open_checkpointer(str(tmp_path / "f.db")) as saver:
        graph = build_triage_graph(saver)
        waiting = start_triage(graph, context, incident_id)
        with session_scope(engine) as session:
            approve(
                session, waiting.proposal_id, approver="ben", reason="ok", settings=GATE
            )

        done = resume_triage(
            graph, context, incident_id, {"proposal_id": waiting.proposal_id}
        )

    assert done.outcome == "verified"


def test_schema_drift_without_a_patchable_field_escalates_without_approval(
    tmp_path, engine, context
):
    incident_id, _ = seed_incident(
        engine,
        message="The method 'res.partner.no_such_method' does not exist",
        name="builtins.AttributeError",
        http_status=200,
    )
    with open_checkpointer(str(tmp_path / "g.db")) as saver:
        done = start_triage(build_triage_graph(saver), context, incident_id)

    assert done.outcome == "verified" and not done.waiting
    with session_scope(engine) as session:
        assert session.get(Proposal, done.proposal_id).kind == ProposalKind.ESCALATE


def test_stale_proposal_ends_the_triage_without_writing(tmp_path, engine, context):
    incident_id, delivery_id = seed_incident(engine)
    with open_checkpointer(str(tmp_path / "h.db")) as saver:
        graph = build_triage_graph(saver)
        waiting = start_triage(graph, context, incident_id)
        with session_scope(engine) as session:
            session.get(Delivery, delivery_id).payload = {"name": "changed meanwhile"}

        done = resume_triage(graph, context, incident_id, _approve(waiting.proposal_id))

    assert done.outcome == "refused" and not done.waiting
    assert "stale" in done.refusal
    with session_scope(engine) as session:
        assert session.get(Delivery, delivery_id).status == DeliveryStatus.DEAD
