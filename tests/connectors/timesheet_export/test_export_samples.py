from datetime import UTC, datetime
from decimal import Decimal

import pytest

from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.timesheet_export.importer import open_export
from opsgate.connectors.timesheet_export.problems import RowProblem


def _read(samples, name, **options):
    reading = open_export(samples / "timesheets" / name, **options)
    items = list(reading.rows())
    assert not [i for i in items if isinstance(i, RowProblem)], [
        i.reason for i in items if isinstance(i, RowProblem)
    ]
    return reading, items


def test_harvest_export_without_hours_rounded_imports_every_row(samples):
    reading, records = _read(samples, "harvest_detailed_2025_usd_no-hours-rounded.csv")

    first = records[0]
    assert reading.source == "harvest"
    assert len(records) == 200
    assert first.fields["work_date"] == "2025-12-07"
    assert first.fields["hours"] == "1.0000"
    assert first.fields["consultant_name"] == "Dana Okafor"
    assert first.fields["currency"] == "USD"
    assert first.fields["hours_rounded"] is None
    assert records[1].fields["description"] is None
    assert Decimal(records[1].fields["billable_amount"]) == Decimal("63.84")


def test_toggl_2018_bom_and_empty_amount_currency(samples):
    reading, records = _read(samples, "toggl_detailed_2018_bom_amount-empty_nb.csv")

    assert reading.source == "toggl"
    assert len(records) == 21
    assert reading.columns.currency_labels == {"amount": ""}
    assert records[0].fields["hours"] == "8.0575"
    assert records[0].fields["currency"] is None
    assert records[0].fields["customer_name"] is None
    short = [r for r in records if r.fields["hours"] == "0.0094"]
    assert short, "the 34-second entry is kept"


def test_toggl_2019_client_names_with_commas_stay_whole(samples):
    _, records = _read(samples, "toggl_detailed_2019_bom_client-with-comma.csv")

    assert len(records) == 200
    assert records[0].fields["customer_name"] == "Iyer, Vikram"
    assert records[0].fields["tags"] == ["Analysis"]


def test_toggl_2024_all_quoted_without_amount_keeps_special_characters(samples):
    _, (record,) = _read(samples, "toggl_detailed_2024_bom_all-quoted_no-amount.csv")

    assert "🔥" in record.fields["description"]
    assert '""' in record.fields["description"]
    assert record.fields["hours"] == "0.0006"
    assert "hourly_rate" in record.fields and record.fields["hourly_rate"] is None


def test_clockify_2023_day_first_dates_are_sniffed_from_their_span(samples):
    reading, records = _read(samples, "clockify_detailed_2023_ddmmyyyy_quoted.csv")

    assert reading.date_format.label == "dmy"
    assert "span 3 days" in reading.date_format.evidence
    assert len(records) == 52
    assert {r.fields["work_date"] for r in records} == {
        "2023-01-09",
        "2023-01-10",
        "2023-01-11",
        "2023-01-12",
    }
    assert records[0].fields["currency"] is None
    assert records[0].fields["currency_label"] == "CZ"
    assert records[0].fields["hours"] == "1.0333"


def test_clockify_2024_month_first_with_am_pm_and_extra_columns(samples):
    reading, (record,) = _read(
        samples, "clockify_detailed_2024_type-invoiced-columns_ampm.csv"
    )

    assert reading.date_format.label == "mdy"
    assert record.fields["work_date"] == "2024-10-15"
    assert record.fields["started_at"] == "2024-10-15T11:00:00+00:00"
    assert record.fields["hours"] == "0.5000"
    assert record.fields["invoiced"] is True
    assert record.fields["invoice_id"] == "Invoice100"
    assert record.fields["currency"] == "EUR"
    assert record.fields["group"] == "Group1, Group2"


def test_clockify_2025_header_only_file_opens_and_yields_nothing(samples):
    reading, records = _read(
        samples, "clockify_detailed_2025_header-only_activity-approval.csv"
    )

    assert reading.source == "clockify"
    assert reading.columns.has("task") and reading.columns.has("approval")
    assert records == []


def test_timezone_places_start_times_but_not_the_work_date(samples):
    _, records = _read(
        samples, "toggl_detailed_2018_bom_amount-empty_nb.csv", timezone="Europe/Oslo"
    )

    assert records[0].fields["work_date"] == "2018-10-08"
    assert records[0].occurred_at == datetime(2018, 10, 8, 5, 30, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    "name",
    [
        "harvest_detailed_2025_usd_no-hours-rounded.csv",
        "toggl_detailed_2019_bom_client-with-comma.csv",
        "clockify_detailed_2023_ddmmyyyy_quoted.csv",
    ],
)
def test_reading_a_sample_twice_yields_the_same_event_ids(samples, name):
    _, first = _read(samples, name)
    _, second = _read(samples, name)

    ids = [r.source_event_id for r in first]
    assert ids == [r.source_event_id for r in second]
    assert len(set(ids)) == len(ids)
    assert all(isinstance(r, SourceRecord) for r in first)
