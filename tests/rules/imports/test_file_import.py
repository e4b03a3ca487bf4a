from pathlib import Path

import pytest
from sqlmodel import func, select

from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.timesheet_export.importer import open_export
from opsgate.connectors.timesheet_export.problems import RowProblem
from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.imports.file_import import import_items
from opsgate.rules.store.db import create_store_engine, session_scope, upgrade_to_head
from opsgate.rules.store.tables import Event, Incident, QuarantinedInput

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "formats" / "timesheets"
HEADER = (
    "Date,Client,Project,Task,Notes,Hours,Billable?,Invoiced?,Approved?,"
    "First Name,Last Name,Billable Rate,Currency\n"
)


def _write(path: Path, rows: int, *, bad_every: int = 0, start: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(start, start + rows):
            hours = "oops" if bad_every and n % bad_every == bad_every - 1 else "1.5"
            out.write(
                f'2026-03-{1 + n % 28:02d},"Client {n % 9}, Ltd",Project {n % 30},Build,'
                f"Entry {n},{hours},Yes,No,Yes,Ana,Lima{n % 5},120,Euro - EUR\n"
            )
    return path


@pytest.fixture
def store(tmp_path):
    engine = create_store_engine(f"sqlite:///{tmp_path}/store.db")
    upgrade_to_head(engine)
    return engine


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([])


def _count(engine, table):
    with session_scope(engine, write=False) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def _import(store, catalog, path):
    reading = open_export(path)
    return import_items(
        store, catalog, reading.rows(), source=reading.source, file=path.name
    )


def test_rows_become_events_and_reimporting_creates_nothing_twice(
    store, catalog, tmp_path
):
    path = _write(tmp_path / "march.csv", 1200)

    first = _import(store, catalog, path)
    again = _import(store, catalog, path)

    assert (first.accepted, first.duplicates) == (1200, 0)
    assert (again.accepted, again.duplicates) == (0, 1200)
    assert _count(store, Event) == 1200


def test_an_overlapping_export_adds_only_the_new_rows(store, catalog, tmp_path):
    _import(store, catalog, _write(tmp_path / "a.csv", 600))

    overlap = _import(store, catalog, _write(tmp_path / "b.csv", 600, start=300))

    assert (overlap.accepted, overlap.duplicates) == (300, 300)
    assert _count(store, Event) == 900


def test_bad_rows_are_kept_in_quarantine_under_one_incident(store, catalog, tmp_path):
    path = _write(tmp_path / "bad.csv", 1000, bad_every=250)

    report = _import(store, catalog, path)

    assert (report.accepted, report.rejected) == (996, 4)
    with session_scope(store, write=False) as session:
        kept = session.exec(select(QuarantinedInput)).all()
        incident = session.get(Incident, report.incident_id)
    assert len(kept) == 4
    assert {row.incident_id for row in kept} == {report.incident_id}
    assert kept[0].location == "bad.csv line 251 column 'Hours'"
    assert "expected a number, got 'oops'" in kept[0].reason
    assert kept[0].raw_body.startswith(b"2026-03-")
    assert "4 of 1000 rows rejected" in incident.title
    assert "bad.csv line 251" in incident.detail


def test_reimporting_a_file_with_bad_rows_does_not_keep_them_twice(
    store, catalog, tmp_path
):
    path = _write(tmp_path / "bad.csv", 100, bad_every=50)

    _import(store, catalog, path)
    again = _import(store, catalog, path)

    assert again.rejected == 2
    assert again.incident_id is None
    assert _count(store, QuarantinedInput) == 2
    assert _count(store, Incident) == 1


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.csv")))
def test_every_timesheet_sample_imports_into_the_store(store, catalog, name):
    report = _import(store, catalog, SAMPLES / name)

    assert report.rejected == 0
    assert report.accepted == report.rows


@pytest.mark.slow
def test_100k_row_export_with_a_few_bad_rows_reads_the_good_and_reports_the_bad(
    tmp_path,
):
    path = _write(tmp_path / "big.csv", 100_000, bad_every=25_000)

    good = 0
    bad: list[RowProblem] = []
    for item in open_export(path).rows():
        if isinstance(item, SourceRecord):
            good += 1
        else:
            bad.append(item)

    assert good == 99_996
    assert [p.line for p in bad] == [25_001, 50_001, 75_001, 100_001]
    assert all(
        p.issues[0].column == "Hours" and p.issues[0].value == "oops" for p in bad
    )


def test_imported_toggl_rows_route_to_odoo_time_to_billing(store, catalog):
    from opsgate.rules.routing.ownership import SystemsOfRecord
    from opsgate.rules.routing.stage import route_batch
    from opsgate.rules.store.tables import Delivery

    _import(store, catalog, SAMPLES / "toggl_detailed_2019_bom_client-with-comma.csv")
    with session_scope(store) as session:
        report = route_batch(session, catalog, SystemsOfRecord(), limit=500)

    assert (report.routed, report.rejected) == (200, 0)
    with session_scope(store, write=False) as session:
        operations = set(session.exec(select(Delivery.operation)).all())
    assert operations == {"upsert:account.analytic.line"}


def test_a_day_booked_past_24_hours_across_rows_is_named_in_one_incident(
    store, catalog, tmp_path
):
    path = tmp_path / "pasted-twice.csv"
    rows = [
        f"2026-03-02,Acme,Rollout,Build,Block {n},7.5,Yes,No,Yes,Ana,Lima,120,Euro - EUR"
        for n in range(4)
    ] + [
        "2026-03-03,Acme,Rollout,Build,Normal day,8,Yes,No,Yes,Ana,Lima,120,Euro - EUR"
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n")

    report = _import(store, catalog, path)

    assert report.accepted == 5
    assert report.implausible_days == 1
    with session_scope(store, write=False) as session:
        incident = session.get(Incident, report.plausibility_incident_id)
    assert incident.category == "data_quality"
    assert "Ana Lima on 2026-03-02" in incident.title
    assert "30 h" in incident.title
    assert "lines 2, 3, 4, 5" in incident.detail
    assert incident.hours_at_risk == 6


def test_an_ordinary_file_opens_no_plausibility_incident(store, catalog, tmp_path):
    report = _import(store, catalog, _write(tmp_path / "fine.csv", 56))

    assert report.implausible_days == 0
    assert report.plausibility_incident_id is None


def test_manual_toggl_entries_sharing_the_default_start_keep_their_own_keys(
    store, catalog, tmp_path
):
    header = (
        "User,Email,Client,Project,Task,Description,Billable,Start date,"
        "Start time,End date,End time,Duration,Tags\n"
    )
    rows = [
        "Ana,ana@firm.example,Acme,Rollout,,Analysis,Yes,2026-03-02,09:00:00,"
        "2026-03-02,11:00:00,02:00:00,",
        "Ana,ana@firm.example,Acme,Rollout,,Review,Yes,2026-03-02,09:00:00,"
        "2026-03-02,10:30:00,01:30:00,",
        "Ana,ana@firm.example,Acme,Audit,,Meeting,Yes,2026-03-02,09:00:00,"
        "2026-03-02,09:30:00,00:30:00,",
    ]
    whole = tmp_path / "toggl-whole.csv"
    whole.write_text(header + "\n".join(rows) + "\n")
    filtered = tmp_path / "toggl-second-only.csv"
    filtered.write_text(header + rows[1] + "\n")
    reversed_ = tmp_path / "toggl-reversed.csv"
    reversed_.write_text(header + "\n".join(reversed(rows)) + "\n")

    first = _import(store, catalog, whole)
    second = _import(store, catalog, filtered)
    third = _import(store, catalog, reversed_)

    assert first.accepted == 3
    assert (second.accepted, second.duplicates) == (0, 1)
    assert (third.accepted, third.duplicates) == (0, 3)
