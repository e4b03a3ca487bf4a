import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlmodel import select

from opsgate.agent.graphs.summary import run_summary
from opsgate.agent.llm import LLMClient
from opsgate.agent.settings import LLMSettings
from opsgate.agent.summary.facts import gather_day_facts
from opsgate.agent.summary.posting import WebhookError, post_summary
from opsgate.agent.summary.schedule import SummarySchedule, SummarySettings
from opsgate.agent.summary.sending import send_due_summary
from opsgate.agent.summary.verification import numbers_in, verify_narrative
from opsgate.evals.chat.fixture import NOW, build_chat_store
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.tables import AuditEntry

DAY = NOW.date().replace(day=18)


@pytest.fixture
def chat_store(engine):
    with session_scope(engine) as session:
        build_chat_store(session)
    return engine


def test_empty_day_reads_as_prose(engine):
    state = run_summary(engine, date(2026, 1, 1))

    assert state["source"] == "template"
    assert "No events were accepted on this day." in state["text"]


def test_template_states_only_numbers_among_the_facts(chat_store):
    state = run_summary(chat_store, DAY, fmt="markdown")

    assert state["text"].startswith("# Opsgate summary")
    assert verify_narrative(state["text"], state["facts"]).ok


def _lying_model(messages):
    lie = "Yesterday 9,999 events flowed; incident #4242 cost 123,456.78 EUR."
    return json.dumps({"text": lie})


def test_lying_model_is_discarded_for_the_template_and_audited(chat_store, fake_model):
    fake = fake_model(_lying_model)
    llm = LLMClient(LLMSettings(base_url=fake.base_url, model="liar"))
    state = run_summary(chat_store, DAY, llm=llm)

    assert state["source"] == "template_after_discard"
    assert "9,999" not in state["text"]
    allowed = numbers_in(json.dumps(state["facts"])) | numbers_in(
        run_summary(chat_store, DAY)["text"]
    )
    assert numbers_in(state["text"]) <= allowed
    with session_scope(chat_store) as session:
        actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "summary.narrative_discarded" in actions


def test_truthful_model_narrative_is_kept(chat_store, fake_model):
    with session_scope(chat_store) as session:
        facts = gather_day_facts(session, DAY)
    truthful = f"Opsgate accepted {facts.events_total} events on {facts.day}."

    fake = fake_model(lambda messages: json.dumps({"text": truthful}))
    state = run_summary(
        chat_store, DAY, llm=LLMClient(LLMSettings(base_url=fake.base_url, model="m"))
    )

    assert state["source"] == "model"
    assert state["text"].strip() == truthful


class _Flaky(BaseHTTPRequestHandler):
    statuses: list[int] = []
    bodies: list[dict] = []

    def do_POST(self):  # noqa: N802
        _Flaky.bodies.append(
            json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        )
        self.send_response(_Flaky.statuses.pop(0) if _Flaky.statuses else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        return


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Flaky.bodies.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_post_retries_server_errors_then_succeeds(webhook):
    _Flaky.statuses[:] = [500, 503]

    status = post_summary(webhook, "hello", wait_s=0.01)

    assert status == 200
    assert len(_Flaky.bodies) == 3
    assert _Flaky.bodies[-1] == {"text": "hello"}


def test_post_gives_up_on_a_refusal_without_retrying(webhook):
    _Flaky.statuses[:] = [400]

    with pytest.raises(WebhookError):
        post_summary(webhook, "hello", wait_s=0.01)
    assert len(_Flaky.bodies) == 1


def test_schedule_sends_yesterday_once_after_the_send_time():
    schedule = SummarySchedule(SummarySettings(enabled=True))

    assert schedule.due(NOW.replace(hour=6)) is None
    day = schedule.due(NOW.replace(hour=8))
    assert day == NOW.date().replace(day=19)
    schedule.mark_sent(day)
    assert schedule.due(NOW.replace(hour=9)) is None


def test_due_summary_is_posted_once_per_day(engine, webhook):
    schedule = SummarySchedule(SummarySettings(enabled=True, webhook_url=webhook))

    first = send_due_summary(schedule, engine, NOW.replace(hour=8))
    second = send_due_summary(schedule, engine, NOW.replace(hour=9))

    assert first == NOW.date().replace(day=19)
    assert second is None
    assert len(_Flaky.bodies) == 1
    assert _Flaky.bodies[0]["text"].startswith("# Opsgate summary for 2026-11-19")
