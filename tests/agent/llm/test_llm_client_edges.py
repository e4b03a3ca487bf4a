"""Replies no real server gives on demand: malformed answers, stray tool calls."""

import json

import httpx
from pydantic import BaseModel

from opsgate.agent.llm import LLMClient, ReadOnlyTool, ToolResult
from opsgate.agent.settings import LLMSettings

SETTINGS = LLMSettings(base_url="http://model.test/v1", model="m", max_tool_rounds=2)


class Verdict(BaseModel):
    category: str
    confidence: float


def _reply(message):
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _client(replies, audit=None, **kw):
    sent = []

    def handler(request):
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=_reply(replies[len(sent) - 1]))

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = LLMClient(SETTINGS, audit=audit, http_client=http, **kw)
    return client, sent


def test_no_endpoint_configured_means_no_model_and_no_call():
    reply = LLMClient(LLMSettings()).structured(
        "classify", Verdict, data={"incident": {}}, variables={}, purpose="t"
    )

    assert reply.outcome == "no_model"
    assert reply.value is None


def test_answer_failing_validation_falls_back_to_none():
    client, _ = _client([{"role": "assistant", "content": '{"category": 3}'}])

    reply = client.structured(
        "classify",
        Verdict,
        data={"incident": {"x": 1}},
        variables={"categories": "a", "guesses": "-"},
        purpose="t",
    )

    assert reply.outcome == "invalid"
    assert reply.value is None


def test_every_call_is_audited_with_model_tokens_latency_and_prompt_hash():
    entries = []
    client, _ = _client(
        [{"role": "assistant", "content": '{"category": "auth", "confidence": 0.9}'}],
        audit=lambda action, detail: entries.append((action, detail)),
    )

    reply = client.structured(
        "classify",
        Verdict,
        data={"incident": {"x": 1}},
        variables={"categories": "a", "guesses": "-"},
        purpose="t",
    )

    assert reply.value == Verdict(category="auth", confidence=0.9)
    action, detail = entries[0]
    assert action == "llm.called"
    assert detail["model"] == "m" and detail["total_tokens"] == 15
    assert len(detail["prompt_hash"]) == 64 and detail["latency_ms"] >= 0


def test_model_asking_for_an_unknown_tool_gets_an_error_not_a_call():
    ran = []
    lookup = ReadOnlyTool(
        name="get_incident",
        description="Read one incident.",
        parameters={"type": "object", "properties": {"id": {"type": "integer"}}},
        run=lambda id: ran.append(id) or ToolResult("ok", f"incident {id}", {"id": id}),
    )
    stray = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "approve_proposal", "arguments": '{"id": 1}'},
            },
            {
                "id": "c2",
                "type": "function",
                "function": {"name": "get_incident", "arguments": '{"id": 7}'},
            },
        ],
    }
    final = {"role": "assistant", "content": '{"category": "auth", "confidence": 0.5}'}
    client, sent = _client([stray, final])

    reply = client.structured(
        "classify",
        Verdict,
        data={"incident": {}},
        variables={"categories": "a", "guesses": "-"},
        tools=[lookup],
        purpose="t",
    )

    tool_messages = [m for m in sent[1]["messages"] if m["role"] == "tool"]
    assert ran == [7]
    assert "not available" in tool_messages[0]["content"]
    assert reply.tools_called == ["approve_proposal", "get_incident"]


def test_spent_budget_refuses_the_call_before_it_is_made():
    from opsgate.agent.llm.budget import TokenBudget

    client, sent = _client([], budget=TokenBudget(10))

    reply = client.structured(
        "classify",
        Verdict,
        data={"incident": {}},
        variables={"categories": "a", "guesses": "-"},
        purpose="t",
    )

    assert reply.outcome == "over_budget"
    assert sent == []
