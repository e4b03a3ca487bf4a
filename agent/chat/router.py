"""`POST /ask`: the chat over HTTP, for the server the lead mounts it in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from opsgate.agent.chat.answer import answer
from opsgate.agent.llm import LLMClient


class AskRequest(BaseModel):
    """A question."""

    question: str = Field(min_length=1, max_length=2000)


class AskResponse(BaseModel):
    """The answer and the ids it cites."""

    text: str
    cited_ids: list[str]
    intent: str
    source: str
    proposal_id: int | None = None


def build_ask_router(engine: Engine, *, llm: LLMClient | None = None) -> APIRouter:
    """Return a router with `POST /ask` answering from the store behind `engine`."""
    router = APIRouter(tags=["chat"])

    @router.post("/ask", response_model=AskResponse)
    async def ask(request: AskRequest) -> dict[str, Any]:
        result = await run_in_threadpool(
            answer, request.question, engine=engine, llm=llm
        )
        return result.to_dict()

    return router
