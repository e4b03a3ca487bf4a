from datetime import date

from sqlmodel import select

from opsgate.agent.anomalies.dismissal import dismiss_flag
from opsgate.agent.graphs.anomalies import AnomaliesContext, build_anomalies_graph
from opsgate.evals.billing.dataset import build_labelled_firm
from opsgate.evals.billing.store_fixture import write_firm
from opsgate.rules.store.anomaly_tables import AnomalyFlagRecord
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import Incident, Proposal


def _run(engine, **state):
    graph = build_anomalies_graph()
    return graph.invoke(
        {"as_of": date(2027, 1, 20).isoformat(), **state},
        context=AnomaliesContext(engine=engine),
    )


def test_flags_become_data_quality_incidents_with_proposals_once(engine):
    with session_scope(engine) as session:
        write_firm(session, build_labelled_firm(22, "held_out"))

    first = _run(engine)
    second = _run(engine)

    with session_scope(engine) as session:
        incidents = session.exec(select(Incident)).all()
        proposals = session.exec(select(Proposal)).all()
    assert len(incidents) == len(first["flags"]) > 0
    assert {i.category for i in incidents} == {"data_quality"}
    assert len(proposals) == len(incidents)
    assert {r["outcome"] for r in second["raised"]} == {"known"}


def test_dismissed_flag_is_not_raised_again(engine):
    with session_scope(engine) as session:
        write_firm(session, build_labelled_firm(22, "held_out"))
    first = _run(engine)
    fingerprint = first["flags"][0]["fingerprint"]

    with session_scope(engine) as session:
        dismiss_flag(session, fingerprint, by="ana", reason="agreed with the customer")
    again = _run(engine)

    assert fingerprint not in {f["fingerprint"] for f in again["flags"]}
    with session_scope(engine) as session:
        record = session.exec(
            select(AnomalyFlagRecord).where(
                AnomalyFlagRecord.fingerprint == fingerprint
            )
        ).one()
        incident = session.get(Incident, record.incident_id)
    assert record.status == "dismissed"
    assert incident.status == "resolved"


def test_project_filter_narrows_flags_not_history(engine):
    with session_scope(engine) as session:
        write_firm(session, build_labelled_firm(22, "held_out"))

    state = _run(engine, project="P-2201", raise_incidents=False)

    assert state["flags"]
    assert {f["project"] for f in state["flags"]} == {"P-2201"}
    assert state["raised"] == []
