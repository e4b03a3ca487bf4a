"""`opsgate init`: write a commented starter `opsgate.toml`."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Annotated

import typer

STARTER_TOML = """\
# Opsgate settings. Every value here can also come from the environment:
# OPSGATE_<KEY>, with `__` between nested keys (OPSGATE_SERVER__PORT=9000).
# The environment wins over this file. OPSGATE_CONFIG names another file.

# The store: SQLite by default (one file, nothing to start);
# "postgresql://user@host/opsgate" for production.
database_url = "sqlite:///var/opsgate.db"

[server]
host = "127.0.0.1"
port = 8080
# Largest webhook body accepted, in bytes; larger ones get 413.
max_body_bytes = 1048576
# Most webhook requests committed in one transaction, and how long the
# writer waits for more before committing (milliseconds; 0 = never wait).
group_commit_max_batch = 128
group_commit_max_wait_ms = 0.0

[webhooks]
# Seconds a signed timestamp may differ from our clock, either way.
timestamp_tolerance_s = 300
# Keep the bodies of refused requests (bad signature, unknown source).
quarantine_rejected = true

[webhooks.secrets]
# One signing secret per source, as the sender shows it. Prefer the
# environment for real secrets: OPSGATE_WEBHOOKS__SECRETS__STANDARD=whsec_...
standard = "{standard_secret}"

[logging]
level = "INFO"      # DEBUG, INFO, WARNING, ERROR
format = "json"     # json (one object per line) or console

[catalog]
# Routing and mapping rules: the shipped catalog, plus these files or folders.
include_shipped = true
paths = []

[routing]
batch_size = 500
poll_interval_s = 0.2

[delivery]
max_attempts = 8
initial_backoff_s = 1.0
max_backoff_s = 300.0
attempt_timeout_s = 10.0

# Which system owns each canonical object (`kind`) or field (`kind.field`).
# An update from any other source to an owned field is a `conflict` incident.
[systems_of_record.owners]
# customer = "hubspot"
# "customer.account_status" = "odoo"
# contract = "hubspot"
# consultant = "bamboohr"
# invoice = "odoo"

# Time trackers' webhooks (POST /webhooks/toggl, /webhooks/clockify): put
# their secrets under [webhooks.secrets] (toggl = "...", clockify = "...")
# and an API credential here, so entries named by id can be read back.
# The zone decides an entry's day and is the default --timezone of imports.
# [toggl]
# api_token = "..."
# timezone = "Europe/Berlin"
#
# [clockify]
# api_key = "..."
# timezone = "Europe/Berlin"
# approval_required = true   # entries wait for their period's approval
"""


def init(
    path: Annotated[Path, typer.Option(help="Where to write the file.")] = Path(
        "opsgate.toml"
    ),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter `opsgate.toml`."""
    if path.exists() and not force:
        typer.echo(f"{path} exists already; pass --force to overwrite it.", err=True)
        raise typer.Exit(code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(STARTER_TOML.format(standard_secret=new_secret()), encoding="utf-8")
    typer.echo(f"Wrote {path}.")


def new_secret() -> str:
    """Return a fresh Standard Webhooks secret (`whsec_` + base64 of 24 bytes)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
