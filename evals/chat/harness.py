"""Run the chat evaluation over a fresh fixture store: the share answered correctly."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from opsgate.agent.chat.answer import Answer, answer
from opsgate.agent.llm import LLMClient
from opsgate.evals.chat.fixture import NOW, build_chat_store, snapshot_writes
from opsgate.evals.chat.questions import ChatCase, chat_cases
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope


@dataclass(frozen=True)
class CaseResult:
    """How one answer fared."""

    slug: str
    correct: bool
    missing_ids: list[str]
    missing_facts: list[str]
    text: str


def judge(case: ChatCase, result: Answer) -> CaseResult:
    """Return whether `result` cites every id and states every fact `case` needs."""
    missing_ids = [i for i in case.must_cite if i not in result.cited_ids]
    lowered = result.text.lower()
    missing_facts = [f for f in case.must_state if f.lower() not in lowered]
    proposal_ok = (result.proposal_id is not None) == case.expects_proposal
    return CaseResult(
        case.slug,
        not missing_ids and not missing_facts and proposal_ok,
        missing_ids,
        missing_facts,
        result.text,
    )


def fixture_engine(path: Path) -> tuple[Engine, list[ChatCase]]:
    """Create a fresh fixture store at `path` and return it with its cases."""
    path.unlink(missing_ok=True)
    engine = create_store_engine(f"sqlite:///{path}")
    create_schema(engine)
    with session_scope(engine) as session:
        fixture = build_chat_store(session)
    return engine, chat_cases(fixture)


def run_chat_eval(path: Path, *, llm: LLMClient | None = None) -> dict[str, Any]:
    """Ask every question and score the answers; also check that nothing was written."""
    engine, cases = fixture_engine(path)
    with session_scope(engine) as session:
        before = snapshot_writes(session)
    results = [
        judge(case, answer(case.question, engine=engine, llm=llm, now=NOW))
        for case in cases
    ]
    with session_scope(engine) as session:
        writes = before != snapshot_writes(session)
    correct = sum(r.correct for r in results)
    return {
        "mode": "model" if llm is not None and llm.available else "rules",
        "questions": len(results),
        "correct": correct,
        "share_correct": round(correct / len(results), 4) if results else 0.0,
        "writes_detected": writes,
        "failures": [vars(r) for r in results if not r.correct],
    }
