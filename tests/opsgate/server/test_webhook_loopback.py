"""A real uvicorn server on a loopback port, fed concurrently."""

import asyncio
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from opsgate.cli import app
from opsgate.rules.store.db import create_schema, create_store_engine
from opsgate.rules.store.tables import Event, QuarantinedInput
from opsgate.server import create_app, serving_app
from opsgate.settings import Settings
from tests.opsgate.server.webhook_signing import PINNED, SECRET, signed


@contextmanager
def serve(tmp_path, clock, secrets=None):
    engine = create_store_engine(f"sqlite:///{tmp_path / 'loopback.db'}")
    create_schema(engine)
    settings = Settings(webhooks={"secrets": secrets or {"standard": SECRET}})
    app = serving_app(create_app(settings, engine=engine, clock=clock))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", engine
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture
def served(tmp_path):
    with serve(tmp_path, lambda: PINNED) as running:
        yield running


@pytest.fixture
def served_now(tmp_path):
    with serve(tmp_path, lambda: datetime.now(UTC)) as running:
        yield running


def count(engine, table):
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


async def post_all(base_url, bodies):
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:

        async def post(index, body):
            return await client.post(
                "/webhooks/standard", content=body, headers=signed(body, f"msg_{index}")
            )

        return await asyncio.gather(*(post(i, b) for i, b in enumerate(bodies)))


def test_concurrent_signed_webhooks_are_all_committed(served):
    base_url, engine = served
    bodies = [b'{"type": "customer.upserted", "n": %d}' % n for n in range(200)]

    responses = asyncio.run(post_all(base_url, bodies))

    assert [r.status_code for r in responses] == [202] * 200
    assert len({r.json()["event_id"] for r in responses}) == 200
    assert count(engine, Event) == 200


def test_bad_inputs_between_good_ones_leave_the_server_serving(served):
    base_url, engine = served
    bodies = [b'{"n": 1}', b"{not json", b'{"n": 2}', b"", b'{"n": 3}']

    responses = asyncio.run(post_all(base_url, bodies))

    assert [r.status_code for r in responses] == [202, 400, 202, 400, 202]
    assert count(engine, Event) == 3
    assert count(engine, QuarantinedInput) == 2
    assert httpx.get(f"{base_url}/healthz").status_code == 200


def test_push_command_signs_and_posts_a_sample_once(served_now, tmp_path, monkeypatch):
    base_url, engine = served_now
    sample = tmp_path / "customer.json"
    sample.write_bytes(b'{"type": "customer.upserted", "data": {"source_key": "c-1"}}')
    monkeypatch.setenv("OPSGATE_WEBHOOKS__SECRETS__STANDARD", SECRET)
    monkeypatch.chdir(tmp_path)
    push = ["push", str(sample), "--url", base_url]

    first = CliRunner().invoke(app, push)
    again = CliRunner().invoke(app, push)

    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1].startswith("202 ")
    assert again.stdout.splitlines()[-1].startswith("200 ")
    assert count(engine, Event) == 1


def test_push_to_a_server_that_is_not_there_says_so(tmp_path, monkeypatch):
    sample = tmp_path / "customer.json"
    sample.write_bytes(b"{}")
    monkeypatch.setenv("OPSGATE_WEBHOOKS__SECRETS__STANDARD", SECRET)
    monkeypatch.chdir(tmp_path)

    result = CliRunner().invoke(
        app, ["push", str(sample), "--url", "http://127.0.0.1:9"]
    )

    assert result.exit_code == 1
    assert "Is `opsgate run` running there?" in result.output


def test_push_signs_with_the_sources_own_scheme(tmp_path, monkeypatch):
    fixtures = Path(__file__).parents[2] / "fixtures" / "time_trackers"
    secrets = {"toggl": "toggl-secret", "clockify": "clockify-token"}
    for source, secret in secrets.items():
        monkeypatch.setenv(f"OPSGATE_WEBHOOKS__SECRETS__{source.upper()}", secret)
    monkeypatch.chdir(tmp_path)

    with serve(tmp_path, lambda: datetime.now(UTC), secrets) as (base_url, engine):
        toggl = CliRunner().invoke(
            app,
            [
                "push",
                str(fixtures / "toggl-time-entry-created.json"),
                "--source",
                "toggl",
                "--url",
                base_url,
            ],
        )
        ping = CliRunner().invoke(
            app,
            [
                "push",
                str(fixtures / "toggl-ping.json"),
                "--source",
                "toggl",
                "--url",
                base_url,
            ],
        )
        clockify = CliRunner().invoke(
            app,
            [
                "push",
                str(fixtures / "clockify-new-time-entry.json"),
                "--source",
                "clockify",
                "--url",
                base_url,
            ],
        )
        events = count(engine, Event)

    assert toggl.stdout.splitlines()[-1].startswith("202 "), toggl.output
    assert '"validation_code"' in ping.stdout
    assert clockify.stdout.splitlines()[-1].startswith("202 "), clockify.output
    assert events == 3
