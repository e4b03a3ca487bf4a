import json

import pytest
from typer.testing import CliRunner

from opsgate.cli import app
from opsgate.evals.chat.fixture import build_chat_store
from opsgate.rules.store.db import create_schema, create_store_engine, session_scope


@pytest.fixture
def store_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = create_store_engine(url)
    create_schema(engine)
    with session_scope(engine) as session:
        build_chat_store(session)
    engine.dispose()
    return url


def test_ask_prints_the_answer_with_its_citations_as_json(store_url):
    result = CliRunner().invoke(
        app,
        [
            "ask",
            "which dead letters can be replayed safely?",
            "--json",
            "--db",
            store_url,
        ],
    )

    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["intent"] == "replayable_dead_letters"
    assert any(c.startswith("dead_letter:") for c in answer["cited_ids"])


def test_summary_prints_json_facts_and_text(store_url):
    result = CliRunner().invoke(
        app, ["summary", "--date", "2026-11-18", "--format", "json", "--db", store_url]
    )

    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["source"] == "template"
    assert body["facts"]["day"] == "2026-11-18"


def test_summary_refuses_a_bad_date_clearly(store_url):
    result = CliRunner().invoke(
        app, ["summary", "--date", "yesterday-ish", "--db", store_url]
    )

    assert result.exit_code != 0
    assert "yesterday-ish" in result.output


def test_anomalies_on_a_store_without_time_says_so(store_url):
    result = CliRunner().invoke(
        app, ["anomalies", "--as-of", "2026-11-20", "--db", store_url]
    )

    assert result.exit_code == 0, result.output
    assert "No billing anomalies found." in result.stdout or "[" in result.stdout


def test_dismissing_an_unknown_fingerprint_names_it(store_url):
    result = CliRunner().invoke(
        app,
        ["anomalies", "dismiss", "feedbeef", "--by", "ana", "--reason", "ok"]
        + ["--db", store_url],
    )

    assert result.exit_code == 2
    assert "feedbeef" in result.output
