"""The summary graph: gather the day's facts, then write (and check) the narrative.

START → gather_facts → write_narrative → END
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict, cast

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Checkpointer
from sqlalchemy import Engine

from opsgate.agent.llm import LLMClient
from opsgate.agent.summary.facts import gather_day_facts
from opsgate.agent.summary.narrative import write_summary
from opsgate.agent.summary.template import Format
from opsgate.rules.store.db import session_scope


class SummaryState(TypedDict, total=False):
    """What one summary run carries."""

    day: str
    """ISO date summarised (UTC)."""
    format: str
    """`text`, `markdown` or `json`."""
    facts: dict[str, Any]
    """The day's facts as plain data."""
    text: str
    """The summary as written."""
    source: str
    """`template`, `model` or `template_after_discard`."""


@dataclass(frozen=True)
class SummaryContext:
    """The store and the optional model."""

    engine: Engine
    llm: LLMClient | None = None


def gather_facts(
    state: SummaryState, runtime: Runtime[SummaryContext]
) -> dict[str, Any]:
    """Read the day's facts from the store."""
    with session_scope(runtime.context.engine) as session:
        facts = gather_day_facts(session, date.fromisoformat(state["day"]))
    return {"facts": facts.to_dict()}


def write_narrative(
    state: SummaryState, runtime: Runtime[SummaryContext]
) -> dict[str, Any]:
    """Write the summary; the model's text only if every number checks out."""
    fmt: Format = "markdown" if state.get("format") == "markdown" else "text"
    with session_scope(runtime.context.engine) as session:
        facts = gather_day_facts(session, date.fromisoformat(state["day"]))
        summary = write_summary(session, facts, fmt=fmt, llm=runtime.context.llm)
    return {"text": summary.text, "source": summary.source}


def build_summary_graph(
    checkpointer: Checkpointer = None,
) -> CompiledStateGraph[SummaryState, SummaryContext, SummaryState, SummaryState]:
    """Return the compiled summary graph."""
    graph = StateGraph(SummaryState, context_schema=SummaryContext)
    graph.add_node("gather_facts", gather_facts)
    graph.add_node("write_narrative", write_narrative)
    graph.add_edge(START, "gather_facts")
    graph.add_edge("gather_facts", "write_narrative")
    graph.add_edge("write_narrative", END)
    return graph.compile(checkpointer=checkpointer)


def run_summary(
    engine: Engine, day: date, *, fmt: str = "text", llm: LLMClient | None = None
) -> SummaryState:
    """Run the summary graph once and return its final state (the scheduling hook's body)."""
    state = build_summary_graph().invoke(
        {"day": day.isoformat(), "format": fmt},
        context=SummaryContext(engine=engine, llm=llm),
    )
    return cast(SummaryState, state)
