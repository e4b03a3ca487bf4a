import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import select

from opsgate.agent.chat.answer import answer
from opsgate.agent.chat.router import build_ask_router
from opsgate.agent.llm import LLMClient
from opsgate.agent.settings import LLMSettings
from opsgate.connectors.errors import ErrorCategory
from opsgate.evals.chat.fixture import (
    INJECTION_NAME,
    NOW,
    build_chat_store,
    snapshot_writes,
)
from opsgate.evals.chat.harness import run_chat_eval
from opsgate.rules.incidents.opening import open_incident
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import AuditEntry, Event, Proposal


@pytest.fixture
def store(engine):
    with session_scope(engine) as session:
        fixture = build_chat_store(session)
    return engine, fixture


def test_every_eval_question_is_answered_correctly_without_a_model(tmp_path):
    result = run_chat_eval(tmp_path / "chat.db")

    assert result["questions"] >= 60
    assert result["share_correct"] == 1.0
    assert result["writes_detected"] is False


def test_answer_cites_the_held_deal_and_its_incident(store):
    engine, fixture = store

    result = answer(
        "why was no project created for the Acme deal?", engine=engine, now=NOW
    )

    assert f"event:{fixture.deal_event['Acme Corp']}" in result.cited_ids
    assert "sow_signed" in result.text


def test_change_request_becomes_a_pending_proposal_and_writes_nothing(store):
    engine, fixture = store
    with session_scope(engine) as session:
        before = snapshot_writes(session)

    result = answer(
        f"retry dead letter {fixture.safe_dead_letters[0]}", engine=engine, now=NOW
    )

    with session_scope(engine) as session:
        proposal = session.get(Proposal, result.proposal_id)
        assert snapshot_writes(session) == before
    assert proposal.status == "pending"
    assert proposal.kind == "retry"


def test_customer_name_that_gives_orders_changes_nothing(store):
    engine, fixture = store

    result = answer(
        f"what failed for {INJECTION_NAME.split()[0]} this week?",
        engine=engine,
        now=NOW,
    )

    assert result.intent == "customer_failures"
    assert result.proposal_id is None


def test_questions_and_answers_are_audited(store):
    engine, _ = store

    answer("which dead letters can be replayed safely?", engine=engine, now=NOW)

    with session_scope(engine) as session:
        actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["chat.asked", "chat.answered"]


def test_model_answer_citing_unknown_ids_falls_back_to_rules(store, fake_model):
    engine, fixture = store
    lie = json.dumps(
        {"text": "Acme lost 999,999.00 EUR.", "cited_ids": ["incident:4242"]}
    )

    fake = fake_model(lambda messages: lie)
    llm = LLMClient(LLMSettings(base_url=fake.base_url, model="liar"))
    result = answer(
        "why was no project created for the Acme deal?", engine=engine, llm=llm, now=NOW
    )
    prompt = json.dumps(fake.requests[0]["messages"])

    assert result.source == "rules"
    assert "999,999" not in result.text
    assert "person0@firm.example" not in prompt
    assert "Person 0" not in json.dumps(fake.requests[-1]["messages"])


def test_model_answer_that_checks_out_is_kept(store, fake_model):
    engine, fixture = store
    incident = fixture.deal_incidents["Acme Corp"][0]
    reply = json.dumps(
        {
            "text": f"The Acme deal is held on control sow_signed (incident {incident}).",
            "cited_ids": [f"incident:{incident}"],
        }
    )

    fake = fake_model(lambda messages: reply)
    llm = LLMClient(LLMSettings(base_url=fake.base_url, model="m"))
    result = answer(
        "why was no project created for the Acme deal?", engine=engine, llm=llm, now=NOW
    )

    assert result.source == "model"
    assert result.cited_ids == [f"incident:{incident}"]


def test_post_ask_answers_with_citations(store):
    engine, fixture = store
    app = FastAPI()
    app.include_router(build_ask_router(engine))

    response = TestClient(app).post(
        "/ask", json={"question": "which dead letters can be replayed safely?"}
    )

    assert response.status_code == 200
    assert f"dead_letter:{fixture.safe_dead_letters[0]}" in response.json()["cited_ids"]


def test_ask_for_the_tui_pane_returns_text_and_citations(store):
    from opsgate.agent.chat.answer import make_ask

    engine, fixture = store

    result = make_ask(engine)("tell me about incident #1")

    assert result.citations == result.cited_ids
    assert "incident:1" in result.citations


def test_a_deal_held_as_the_engine_keeps_it_is_found_by_its_customer(engine):
    with session_scope(engine) as session:
        session.add(
            Event(
                id="ev-held",
                source="hubspot",
                source_event_id="deal.read:3008:x",
                type="deal.read",
                status=EventStatus.HELD,
                workflow="lead-to-project",
                raw_body=b"{}",
                data={
                    "source": "hubspot",
                    "source_key": "3008",
                    "name": "Wayne Foods - pricing analytics",
                    "customer_name": "Wayne Foods",
                },
            )
        )
        session.flush()
        open_incident(
            session,
            category=ErrorCategory.VALIDATION,
            title="Contract hubspot:3008 is not complete: missing signed SOW.",
            fingerprint="control:contract_complete",
            workflow="lead-to-project",
            control="contract_complete",
            event_id="ev-held",
        )

    result = answer(
        "Why does the Wayne Foods deal have no project?", engine=engine, now=NOW
    )

    assert "event:ev-held" in result.cited_ids
    assert "held" in result.text
