"""Toggl and Clockify entries by webhook: read back, keyed as CSV rows, approved."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlmodel import select

from opsgate.connectors.clockify import webhook as clockify_webhook
from opsgate.connectors.clockify.standin import ClockifyStandin
from opsgate.connectors.clockify.workspace_api import (
    ClockifySettings,
    ClockifyWorkspace,
)
from opsgate.connectors.errors import ConnectorError, ErrorCategory
from opsgate.connectors.timesheet_export.importer import open_export
from opsgate.connectors.toggl import webhook as toggl_webhook
from opsgate.connectors.toggl.standin import TogglStandin
from opsgate.connectors.toggl.track_api import TogglSettings, TogglTrack
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.imports.file_import import import_items
from opsgate.rules.store.db import session_scope
from opsgate.rules.store.statuses import EventStatus
from opsgate.rules.store.tables import Incident
from opsgate.rules.workflows.tracked_time import TimeTrackerTarget
from tests.rules.workflows.tracked_time_steps import (
    data,
    deliver_pending,
    deliveries,
    events,
    receive,
    route,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "time_trackers"
WORKSPACE = "7435584"
CLOCKIFY_WS = "5f1e2d3c4b5a697887766554"
MARA = "5e8f1a2b3c4d5e6f7a8b9c0d"
TOGGL_CSV_HEADER = (
    '"User","Email","Client","Project","Task","Description","Billable",'
    '"Start date","Start time","End date","End time","Duration","Tags"'
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([])


@pytest.fixture(scope="module")
def toggl_api():
    standin = TogglStandin()
    standin.add_user(WORKSPACE, 9547721, "Ana.Silva@Firm.example", "Ana Silva")
    standin.add_project(
        WORKSPACE, 201887, "Northwind ERP rollout", client=(3001, "Northwind Traders")
    )
    standin.add_task(WORKSPACE, 5501, "Delivery")
    yield standin.start()
    standin.stop()


@pytest.fixture
async def toggl(toggl_api, store_engine, catalog):
    settings = TogglSettings(
        base_url=toggl_api.url, api_token=SecretStr(toggl_api.api_token)
    )
    async with TogglTrack(settings=settings) as client:
        yield TimeTrackerTarget(
            name="toggl",
            directory=client,
            engine=store_engine,
            catalog=catalog,
            timezone="Europe/Berlin",
        )


def toggl_entry(**payload_changes) -> list:
    document = json.loads((FIXTURES / "toggl-time-entry-created.json").read_text())
    action = payload_changes.pop("action", None)
    if action:
        document["metadata"]["action"] = action
    # Each distinct change is its own Toggl event.
    changes = json.dumps({"action": action, **payload_changes}, sort_keys=True)
    document["event_id"] += (
        zlib.crc32(changes.encode()) if payload_changes or action else 0
    )
    document["payload"].update(payload_changes)
    return toggl_webhook.parse(json.dumps(document).encode())


def import_toggl_csv(engine, catalog, tmp_path, rows: list[str]):
    path = tmp_path / "toggl.csv"
    path.write_text("\ufeff" + "\n".join([TOGGL_CSV_HEADER, *rows]) + "\n")
    reading = open_export(path, timezone="Europe/Berlin")
    report = import_items(
        engine, catalog, reading.rows(), source=reading.source, file=path.name
    )
    route(engine, catalog)
    return report


async def test_toggl_entry_by_webhook_then_by_csv_is_one_timesheet(
    toggl, store_engine, catalog, tmp_path
):
    receive(store_engine, catalog, toggl_entry())
    assert deliveries(store_engine, "toggl") == [
        ("read:time_entry", "opsgate.tracked_entry.notified")
    ]

    await deliver_pending(store_engine, catalog, toggl)
    [sheet] = events(store_engine, "opsgate.timesheet.")
    # Berlin is UTC+1 in November: 14:00 UTC started at 15:00 on the CSV.
    report = import_toggl_csv(
        store_engine,
        catalog,
        tmp_path,
        [
            '"Ana Silva","ana.silva@firm.example","Northwind Traders",'
            '"Northwind ERP rollout","Delivery","Data migration workshop","Yes",'
            '"2026-11-03","15:00:00","2026-11-03","17:30:00","02:30:00","onsite"'
        ],
    )

    # The export says what the webhook said: the same event, already imported.
    assert (report.accepted, report.duplicates) == (0, 1)
    assert events(store_engine, "opsgate.timesheet.") == [sheet]
    assert data(sheet)["consultant_email"] == "Ana.Silva@Firm.example"
    assert data(sheet)["project_name"] == "Northwind ERP rollout"
    assert data(sheet)["customer_name"] == "Northwind Traders"
    assert data(sheet)["task_name"] == "Delivery"
    assert data(sheet)["work_date"] == "2026-11-03"
    assert data(sheet)["hours"] == "2.5000"
    assert [kind for op, kind in deliveries(store_engine, "odoo")] == [
        "opsgate.timesheet.approved"
    ]


async def test_edited_entry_updates_the_line_of_the_same_key(
    toggl, store_engine, catalog
):
    receive(store_engine, catalog, toggl_entry())
    await deliver_pending(store_engine, catalog, toggl)
    receive(
        store_engine,
        catalog,
        toggl_entry(
            action="updated",
            start="2026-11-03T14:15:00+00:00",
            duration=8100,
            description="Data migration workshop (shortened)",
        ),
    )
    await deliver_pending(store_engine, catalog, toggl)

    first, edited = events(store_engine, "opsgate.timesheet.")
    assert data(edited)["source_key"] == data(first)["source_key"]
    assert data(edited)["hours"] == "2.2500"
    assert data(edited)["description"] == "Data migration workshop (shortened)"


async def test_two_entries_of_one_person_starting_the_same_second_get_two_keys(
    toggl, store_engine, catalog
):
    receive(store_engine, catalog, toggl_entry())
    receive(store_engine, catalog, toggl_entry(id=3301992299, description="Other"))
    receive(store_engine, catalog, toggl_entry(id=3301992300, duration=3600))
    await deliver_pending(store_engine, catalog, toggl)

    keys = [data(e)["source_key"] for e in events(store_engine, "opsgate.timesheet.")]
    # Other work is another identity; the same work twice takes the next counter.
    assert len(set(keys)) == 3
    assert sorted(key[-2:] for key in keys) == ["-1", "-1", "-2"]


async def test_entry_deleted_after_it_was_read_opens_a_conflict_with_its_hours(
    toggl, store_engine, catalog
):
    receive(store_engine, catalog, toggl_entry())
    await deliver_pending(store_engine, catalog, toggl)
    receive(store_engine, catalog, toggl_entry(action="deleted"))
    await deliver_pending(store_engine, catalog, toggl)

    with session_scope(store_engine) as session:
        [incident] = session.exec(select(Incident)).all()
        assert incident.category == ErrorCategory.CONFLICT
        assert "deleted after it reached Opsgate" in incident.title
        assert incident.hours_at_risk == 2.5
        assert incident.project == "Northwind ERP rollout"
        assert incident.context["odoo_external_id"].startswith(
            "opsgate.toggl_timesheet_"
        )


async def test_entry_deleted_before_it_was_ever_read_leaves_nothing(
    toggl, store_engine, catalog
):
    receive(store_engine, catalog, toggl_entry(action="deleted"))
    assert await deliver_pending(store_engine, catalog, toggl) == 1

    with session_scope(store_engine) as session:
        assert session.exec(select(Incident)).all() == []
    assert events(store_engine, "opsgate.timesheet.") == []


async def test_running_timer_is_kept_and_goes_nowhere(store_engine, catalog):
    running = toggl_webhook.parse(
        (FIXTURES / "toggl-time-entry-running.json").read_bytes()
    )
    receive(store_engine, catalog, running)

    [kept] = events(store_engine, "time_entry.created")
    assert kept.status == EventStatus.IGNORED
    assert deliveries(store_engine, "toggl") == []


async def test_unknown_toggl_person_is_a_missing_reference_naming_them(
    toggl, store_engine, catalog
):
    receive(store_engine, catalog, toggl_entry(user_id=1, uid=1))

    with pytest.raises(ConnectorError) as refused:
        await deliver_pending(store_engine, catalog, toggl)

    assert refused.value.category is ErrorCategory.MISSING_REFERENCE
    assert not refused.value.retryable
    assert "Toggl user 1" in refused.value.message


async def test_entry_without_project_is_refused_saying_what_to_do(
    toggl, store_engine, catalog
):
    receive(store_engine, catalog, toggl_entry(project_id=None, pid=None))

    with pytest.raises(ConnectorError, match="has no project") as refused:
        await deliver_pending(store_engine, catalog, toggl)

    assert refused.value.category is ErrorCategory.VALIDATION


@pytest.fixture(scope="module")
def clockify_api():
    standin = ClockifyStandin()
    standin.add_user(CLOCKIFY_WS, MARA, "mara.okafor@firm.example", "Mara Okafor")
    entry = json.loads((FIXTURES / "clockify-new-time-entry.json").read_text())
    standin.add_entry(entry)
    standin.add_entry(
        {
            **entry,
            "id": "6727a1c0f1e2d3c4b5a69799",
            "timeInterval": {
                "start": "2026-11-05T13:00:00Z",
                "end": "2026-11-05T17:00:00Z",
                "duration": "PT4H",
            },
        }
    )
    standin.add_entry(
        {
            **entry,
            "id": "6727a1c0f1e2d3c4b5a697aa",
            "timeInterval": {"start": "2026-11-12T09:00:00Z", "end": None},
        }
    )
    yield standin.start()
    standin.stop()


def clockify_target(api, engine, catalog, *, approval_required: bool):
    settings = ClockifySettings(
        base_url=api.url,
        api_key=SecretStr(api.api_key),
        approval_required=approval_required,
    )
    client = ClockifyWorkspace(settings=settings)
    target = TimeTrackerTarget(
        name="clockify",
        directory=client,
        engine=engine,
        catalog=catalog,
        approval_required=approval_required,
    )
    return client, target


async def test_clockify_approval_reads_the_period_and_sends_its_entries_approved(
    clockify_api, store_engine, catalog
):
    client, target = clockify_target(
        clockify_api, store_engine, catalog, approval_required=True
    )
    approval = clockify_webhook.parse(
        (FIXTURES / "clockify-approval-approved.json").read_bytes(),
        {"clockify-webhook-event-type": "APPROVAL_REQUEST_STATUS_UPDATED"},
    )
    async with client:
        receive(store_engine, catalog, approval)
        await deliver_pending(store_engine, catalog, target)

    sheets = events(store_engine, "opsgate.timesheet.approved")
    assert sorted(data(e)["hours"] for e in sheets) == ["1.5000", "4.0000"]
    assert {data(e)["consultant_email"] for e in sheets} == {"mara.okafor@firm.example"}
    assert all(data(e)["approved"] for e in sheets)
    assert len(deliveries(store_engine, "odoo")) == 2


async def test_clockify_entry_without_approval_waits_when_approval_is_required(
    clockify_api, store_engine, catalog
):
    client, target = clockify_target(
        clockify_api, store_engine, catalog, approval_required=True
    )
    entry = clockify_webhook.parse(
        (FIXTURES / "clockify-new-time-entry.json").read_bytes(),
        {"clockify-webhook-event-type": "NEW_TIME_ENTRY"},
    )
    async with client:
        receive(store_engine, catalog, entry)
        await deliver_pending(store_engine, catalog, target)

    [read] = events(store_engine, "time_entry.read")
    assert json.loads(read.raw_body)["fields"]["approved"] is False
    assert read.status == EventStatus.IGNORED
    assert deliveries(store_engine, "odoo") == []
