import json
import logging

import pytest
import structlog
from typer.testing import CliRunner

from opsgate.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPSGATE_DATABASE_URL", f"sqlite:///{tmp_path / 'run.db'}")
    monkeypatch.setenv("OPSGATE_LOGGING__LEVEL", "WARNING")
    yield
    structlog.reset_defaults()
    logging.getLogger().handlers = []


def test_run_once_takes_the_shipped_sample_through_to_delivery():
    result = runner.invoke(app, ["run", "--once", "--port", "0"])

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "POST /webhooks/standard standard-customer-upserted.json: 202"
    )
    shown = json.loads("\n".join(lines[1:]))
    assert shown["status"] == "routed"
    assert shown["event"]["type"] == "opsgate.customer.upserted"
    assert [(d["target"], d["status"]) for d in shown["deliveries"]] == [
        ("odoo", "delivered")
    ]


def test_bad_catalog_stops_start_up_naming_file_line_and_key(tmp_path, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text("source: acme\nmappings:\n  - name: x\n    canonical: customr\n")
    monkeypatch.setenv("OPSGATE_CATALOG__PATHS", json.dumps([str(bad)]))

    result = runner.invoke(app, ["run", "--once", "--port", "0"])

    assert result.exit_code == 2
    assert (
        f"Catalog {bad}:4: mappings[0].canonical: unknown canonical kind 'customr'"
        in (result.output)
    )
