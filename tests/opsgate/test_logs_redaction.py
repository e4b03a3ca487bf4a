import json
import logging

import pytest
import structlog

from opsgate.logs import configure_logging
from opsgate.settings import LoggingSettings


@pytest.fixture(autouse=True)
def restore_logging():
    yield
    structlog.reset_defaults()
    logging.getLogger().handlers = []


def test_log_lines_are_json_without_secrets(capsys):
    configure_logging(LoggingSettings(level="INFO", format="json"))

    structlog.get_logger("test").info(
        "event.accepted",
        api_key="abc123",
        headers={"Authorization": "Bearer tok.en"},
        note="sent with Bearer tok.en",
    )

    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["event"] == "event.accepted"
    assert record["api_key"] == "<redacted>"
    assert record["headers"] == {"Authorization": "<redacted>"}
    assert "tok.en" not in line


def test_standard_library_records_come_out_as_one_json_line(capsys):
    configure_logging(LoggingSettings(level="INFO", format="json"))

    logging.getLogger("opsgate.tests.stdlib").info("Started server process")

    record = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert record["event"] == "Started server process"
    assert record["logger"] == "opsgate.tests.stdlib"


def test_level_filters_out_lower_events(capsys):
    configure_logging(LoggingSettings(level="WARNING", format="console"))

    structlog.get_logger("test").info("event.accepted")
    structlog.get_logger("test").warning("delivery.retry_scheduled")

    err = capsys.readouterr().err
    assert "event.accepted" not in err
    assert "delivery.retry_scheduled" in err
