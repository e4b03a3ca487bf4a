"""Answer a question about integration health, citing the ids the answer rests on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from opsgate.agent.chat import wording
from opsgate.agent.chat.intents import Understanding, classify
from opsgate.agent.chat.requests import propose_change
from opsgate.agent.chat.tools import (
    contract_events,
    customer_failures,
    deal_status,
    incident_detail,
    open_incidents,
    read_only_tools,
    replayable_dead_letters,
    unbilled_time,
)
from opsgate.agent.llm import LLMClient, ToolResult
from opsgate.agent.summary.verification import verify_narrative
from opsgate.rules.audit.chain import record
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import DeadLetter, Event, Incident, Proposal

log = structlog.get_logger(__name__)

HELP = (
    "I answer questions about integration health: why a deal has no project, what "
    "failed for a customer, unbilled time on a project (P-12), which dead letters can "
    "be replayed, or what an incident (#7) is about."
)


@dataclass(frozen=True)
class Answer:
    """An answer, the ids it cites, and how it was reached."""

    text: str
    cited_ids: list[str] = field(default_factory=list)
    """`event:<id>`, `incident:<n>`, `dead_letter:<n>`, `proposal:<n>`."""
    intent: str = "unknown"
    source: str = "rules"
    """`rules` or `model`."""
    proposal_id: int | None = None
    """Set when the question asked for a change and a proposal was made."""

    @property
    def citations(self) -> list[str]:
        """The cited ids, under the name the TUI's chat pane reads."""
        return self.cited_ids

    def to_dict(self) -> dict[str, Any]:
        """Return the answer as plain data."""
        return asdict(self)


class ChatReply(BaseModel):
    """What the model must return."""

    text: str = Field(max_length=3000)
    cited_ids: list[str] = Field(default_factory=list, max_length=50)


def known_customers(session: Session) -> list[str]:
    """Return the customer names the store knows, from contracts and incidents."""
    names = {
        str((data or {}).get("customer_name"))
        for data in session.exec(select(Event.data).where(contract_events())).all()
        if (data or {}).get("customer_name")
    }
    names |= {c for c in session.exec(select(Incident.customer)).all() if c}
    return sorted(names)


def known_people(session: Session, limit: int = 20_000) -> list[str]:
    """Return people's names the store knows (consultants, timesheet authors), to mask."""
    rows = session.exec(
        select(Event.data)
        .where(
            col(Event.type).startswith("opsgate.consultant.")
            | col(Event.type).startswith("opsgate.timesheet.")
        )
        .limit(limit)
    ).all()
    return sorted(
        {
            str(name)
            for data in rows
            for name in ((data or {}).get("name"), (data or {}).get("consultant_name"))
            if name
        }
    )


def answer(
    question: str,
    *,
    engine: Engine,
    llm: LLMClient | None = None,
    now: datetime | None = None,
    actor: str = "chat",
) -> Answer:
    """Answer `question` from the store; a change request becomes a proposal."""
    now = now or datetime.now(UTC)
    question = (question or "").strip()[:2000]
    with session_scope(engine) as session:
        record(session, actor=actor, action="chat.asked", detail={"question": question})
        understanding = classify(question, customers=known_customers(session), now=now)
        result = _by_rules(session, understanding, question, now, actor)
    if llm is not None and llm.available and understanding.intent != "change_request":
        result = _by_model(engine, llm, question, now, result)
    with session_scope(engine) as session:
        record(
            session,
            actor=actor,
            action="chat.answered",
            detail={
                "intent": result.intent,
                "source": result.source,
                "cited_ids": result.cited_ids,
                "text": result.text[:2000],
            },
        )
    log.info(
        "chat.answered",
        intent=result.intent,
        source=result.source,
        cited=len(result.cited_ids),
    )
    return result


def make_ask(
    engine: Engine, *, llm: LLMClient | None = None
) -> Callable[[str], Answer]:
    """Return `ask(question) -> Answer` over `engine`, for the TUI's chat pane."""

    def ask(question: str) -> Answer:
        return answer(question, engine=engine, llm=llm)

    return ask


def _by_rules(
    session: Session,
    understanding: Understanding,
    question: str,
    now: datetime,
    actor: str,
) -> Answer:
    intent = understanding.intent
    if intent == "change_request":
        outcome = propose_change(session, understanding, question, actor=actor)
        return Answer(
            outcome.text, list(outcome.cited), intent, "rules", outcome.proposal_id
        )
    text, cited = _tool_answer(session, understanding, now)
    return Answer(text, cited, intent)


def _tool_answer(
    session: Session, u: Understanding, now: datetime
) -> tuple[str, list[str]]:
    if u.intent == "deal_status" and u.customer:
        return wording.word_deal_status(u.customer, deal_status(session, u.customer))
    if u.intent == "customer_failures" and u.customer:
        return wording.word_failures(
            u.customer, customer_failures(session, u.customer, u.since or now)
        )
    if u.intent == "unbilled_time" and u.project:
        return wording.word_unbilled(u.project, unbilled_time(session, u.project, now))
    if u.intent == "replayable_dead_letters":
        return wording.word_dead_letters(replayable_dead_letters(session))
    if u.intent == "incident_detail" and u.incident_id is not None:
        return wording.word_incident(incident_detail(session, u.incident_id))
    if u.intent == "open_incidents":
        return wording.word_open_incidents(open_incidents(session))
    if u.intent in ("deal_status", "customer_failures"):
        return (
            "I could not tell which customer you mean; name it as the store knows it.",
            [],
        )
    if u.intent == "unbilled_time":
        return (
            "Name the project by its code (P-12) and I will total its unbilled time.",
            [],
        )
    return HELP, []


def _by_model(
    engine: Engine, llm: LLMClient, question: str, now: datetime, fallback: Answer
) -> Answer:
    """Let the model choose among the read-only tools; keep its answer only if it checks out."""
    with Session(engine) as session:
        llm.masker.add_names(known_people(session))
    reply = llm.structured(
        "chat_answer",
        ChatReply,
        data={"question": question},
        tools=read_only_tools(engine, now),
        purpose="chat",
    )
    if reply.value is None:
        return fallback
    with session_scope(engine) as session:
        evidence = _evidence(session, fallback)
        known = all(_exists(session, cid) for cid in reply.value.cited_ids)
        verdict = verify_narrative(reply.value.text, evidence, fallback.text, question)
        if known and verdict.ok and reply.value.cited_ids:
            return Answer(
                reply.value.text, list(reply.value.cited_ids), fallback.intent, "model"
            )
        record(
            session,
            actor="agent",
            action="chat.model_answer_discarded",
            detail={
                "unknown_numbers": list(verdict.unknown_numbers),
                "cited_ids": reply.value.cited_ids,
                "ids_known": known,
            },
        )
    return fallback


def _evidence(session: Session, fallback: Answer) -> dict[str, Any]:
    return {"cited": fallback.cited_ids, "text": fallback.text}


def _exists(session: Session, cited: str) -> bool:
    table, _, key = cited.partition(":")
    tables: dict[str, Any] = {
        "event": Event,
        "incident": Incident,
        "dead_letter": DeadLetter,
        "proposal": Proposal,
    }
    if table not in tables or not key:
        return False
    ident: Any = key if table == "event" else (int(key) if key.isdigit() else None)
    return ident is not None and session.get(tables[table], ident) is not None


__all__ = ["Answer", "ToolResult", "answer", "make_ask"]
