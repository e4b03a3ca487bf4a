"""The chat graph: one node that answers with read-only tools, citing ids.

    START → answer_question → END

The work lives in `opsgate.agent.chat.answer` so the TUI pane, `POST /ask`
and `opsgate ask` call the same function; the graph gives it a checkpointed
thread for conversations that a UI wants to resume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Checkpointer
from sqlalchemy import Engine

from opsgate.agent.chat.answer import answer
from opsgate.agent.llm import LLMClient


class ChatState(TypedDict, total=False):
    """One question and its answer."""

    question: str
    answer: dict[str, Any]
    """`Answer.to_dict()`: text, cited ids, intent, source, proposal id."""


@dataclass(frozen=True)
class ChatContext:
    """The store and the optional model."""

    engine: Engine
    llm: LLMClient | None = None


def answer_question(state: ChatState, runtime: Runtime[ChatContext]) -> dict[str, Any]:
    """Answer the question from the store."""
    result = answer(
        state["question"], engine=runtime.context.engine, llm=runtime.context.llm
    )
    return {"answer": result.to_dict()}


def build_chat_graph(
    checkpointer: Checkpointer = None,
) -> CompiledStateGraph[ChatState, ChatContext, ChatState, ChatState]:
    """Return the compiled chat graph."""
    graph = StateGraph(ChatState, context_schema=ChatContext)
    graph.add_node("answer_question", answer_question)
    graph.add_edge(START, "answer_question")
    graph.add_edge("answer_question", END)
    return graph.compile(checkpointer=checkpointer)
