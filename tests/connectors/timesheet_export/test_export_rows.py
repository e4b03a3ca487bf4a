import pytest

from opsgate.connectors.inbound.record import SourceRecord
from opsgate.connectors.timesheet_export.importer import open_export
from opsgate.connectors.timesheet_export.problems import ExportRefused, RowProblem

HARVEST = (
    "Date,Client,Project,Task,Notes,Hours,Billable?,Invoiced?,Approved?,"
    "First Name,Last Name,Billable Rate,Currency\n"
)


def _row(date="2026-01-05", hours="2.5", notes="Workshop", approved="No", **kw):
    values = {
        "client": '"Acme, Inc."',
        "project": "Rollout",
        "task": "Consulting",
        "first": "Ana",
        "last": "Lima",
        "rate": "150",
        **kw,
    }
    return (
        f"{date},{values['client']},{values['project']},{values['task']},{notes},"
        f"{hours},Yes,No,{approved},{values['first']},{values['last']},"
        f"{values['rate']},Euro - EUR\n"
    )


def _items(path, **options):
    return list(open_export(path, **options).rows())


def test_columns_are_matched_by_name_in_any_order(write_csv):
    path = write_csv(
        "Hours,Project,Date,Last Name,First Name\n3,Rollout,2026-01-05,Lima,Ana\n"
    )

    (record,) = _items(path, format="harvest")

    assert record.fields["hours"] == "3.0000"
    assert record.fields["consultant_name"] == "Ana Lima"


def test_bad_cells_become_problems_naming_line_column_and_value(write_csv):
    path = write_csv(HARVEST + _row() + _row(hours="two") + _row(date="2026-13-45"))

    good, bad_hours, bad_date = _items(path)

    assert isinstance(good, SourceRecord)
    assert isinstance(bad_hours, RowProblem)
    assert bad_hours.line == 3
    assert bad_hours.location == "export.csv line 3 column 'Hours'"
    assert "column 'Hours': expected a number, got 'two'" in bad_hours.reason
    assert bad_hours.raw.startswith("2026-01-05,")
    assert bad_date.issues[0].column == "Date"
    assert bad_date.issues[0].value == "2026-13-45"


def test_hours_over_a_day_and_missing_project_are_problems(write_csv):
    path = write_csv(HARVEST + _row(hours="25") + _row(project=""))

    over, no_project = _items(path)

    assert "expected 0 to 24 hours, got '25'" in over.reason
    assert "the project is empty" in no_project.reason


def test_short_row_is_a_problem_not_a_crash(write_csv):
    path = write_csv(HARVEST + "2026-01-05,Acme\n" + _row())

    short, good = _items(path)

    assert "the row has 2 cells where the header has 13" in short.reason
    assert isinstance(good, SourceRecord)


def test_identical_rows_in_one_file_are_two_entries_and_stable_on_reimport(write_csv):
    path = write_csv(HARVEST + _row() + _row())

    first = _items(path)
    again = _items(path)

    assert first[0].object_id.endswith("-1") and first[1].object_id.endswith("-2")
    assert [r.source_event_id for r in first] == [r.source_event_id for r in again]


def test_overlapping_export_repeats_the_keys_of_the_shared_days(write_csv):
    week1 = write_csv(HARVEST + _row("2026-01-05") + _row("2026-01-06"), "w1.csv")
    overlap = write_csv(HARVEST + _row("2026-01-06") + _row("2026-01-07"), "w2.csv")

    ids1 = {r.source_event_id for r in _items(week1)}
    ids2 = {r.source_event_id for r in _items(overlap)}

    assert len(ids1 & ids2) == 1


def test_approval_changes_the_event_but_not_the_entry(write_csv):
    before = write_csv(HARVEST + _row(approved="No"), "before.csv")
    after = write_csv(HARVEST + _row(approved="Yes"), "after.csv")

    (old,), (new,) = _items(before), _items(after)

    assert old.object_id == new.object_id
    assert old.source_event_id != new.source_event_id
    assert new.fields["approved"] is True


def test_the_entry_key_ignores_the_date_format_of_the_export(write_csv):
    iso = write_csv(HARVEST + _row("2026-01-15"), "iso.csv")
    us = write_csv(HARVEST + _row("1/15/2026"), "us.csv")

    (a,), (b,) = _items(iso), _items(us)

    assert a.source_event_id == b.source_event_id


def test_ambiguous_single_date_is_refused_naming_the_option(write_csv):
    path = write_csv(HARVEST + _row("03/04/2026"))

    with pytest.raises(ExportRefused, match="--date-format"):
        open_export(path)


def test_explicit_date_format_overrides_sniffing(write_csv):
    path = write_csv(HARVEST + _row("03/04/2026"))

    (dmy,) = _items(path, date_format="dd/mm/yyyy")
    (mdy,) = _items(path, date_format="mm/dd/yyyy")
    (pattern,) = _items(path, date_format="%m/%d/%Y")

    assert dmy.fields["work_date"] == "2026-04-03"
    assert mdy.fields["work_date"] == pattern.fields["work_date"] == "2026-03-04"


def test_unknown_header_is_refused_naming_the_format_option(write_csv):
    path = write_csv("Foo,Bar\n1,2\n")

    with pytest.raises(ExportRefused, match=r"pass --format"):
        open_export(path)


def test_missing_required_column_names_it(write_csv):
    path = write_csv("Date,Project\n2026-01-05,Rollout\n")

    with pytest.raises(ExportRefused, match="'Hours'"):
        open_export(path, format="harvest")


def test_hours_rounded_is_kept_but_hours_stay_authoritative(write_csv):
    path = write_csv(
        "Date,Project,Hours,Hours Rounded,First Name\n2026-01-05,P,1.07,1.25,Ana\n"
    )

    (record,) = _items(path)

    assert record.fields["hours"] == "1.0700"
    assert record.fields["hours_rounded"] == "1.25"


@pytest.mark.parametrize(
    ("duration", "hours"),
    [
        ("00:47:06", "0.7850"),
        ("0:47:06", "0.7850"),
        ("47:06 min", "0.7850"),
        ("0.79", "0.7900"),
        ("0,79", "0.7900"),
        ("1h 30m", "1.5000"),
        ("25:00:00", None),
    ],
)
def test_toggl_duration_formats(write_csv, duration, hours):
    header = "User,Email,Project,Start date,Start time,End date,End time,Duration,Amount (EUR)\n"
    row = f'ana,ana@x.test,P,2026-01-05,09:00:00,2026-01-05,09:47:06,"{duration}",\n'

    (item,) = _items(write_csv("\ufeff" + header + row))

    if hours is None:
        assert isinstance(item, RowProblem)
    else:
        assert item.fields["hours"] == hours
        assert item.fields["currency"] is None or item.fields["currency"] == "EUR"


def test_toggl_amount_gives_currency_and_derived_rate(write_csv):
    header = "User,Email,Project,Start date,Start time,Duration,Amount (EUR)\n"
    path = write_csv(header + "ana,ana@x.test,P,2026-01-05,09:00:00,02:00:00,300.00\n")

    (record,) = _items(path)

    assert record.fields["currency"] == "EUR"
    assert record.fields["hourly_rate"] == "150.00"


def test_localised_clockify_header_is_recognised(write_csv):
    header = (
        "Projekt;Kunde;Beschreibung;Aufgabe;Benutzer;Gruppe;E-Mail;Tags;Abrechenbar;"
        "Startdatum;Startzeit;Enddatum;Endzeit;Dauer (h);Dauer (dezimal);"
        "Abrechenbarer Stundensatz (EUR);Abrechenbarer Betrag (EUR)\n"
    )
    row = (
        "Rollout;Acme;Workshop;;Ana Lima;;ana@x.test;;Ja;14.01.2026;09:00;14.01.2026;"
        "10:30;01:30:00;1,50;120,00;180,00\n"
    )

    reading = open_export(write_csv(header + row))
    (record,) = list(reading.rows())

    assert reading.source == "clockify"
    assert record.fields["hours"] == "1.5000"
    assert record.fields["billable"] is True
    assert record.fields["hourly_rate"] == "120.00"
    assert record.fields["currency"] == "EUR"


def test_windows_1252_file_is_read_not_rejected(write_csv):
    text = "Date,Project,Hours,First Name,Last Name\n2026-01-05,Café,1,José,Núñez\n"

    (record,) = _items(write_csv(text, encoding="cp1252"))

    assert record.fields["project_name"] == "Café"
    assert record.fields["consultant_name"] == "José Núñez"


def test_quoted_notes_spanning_lines_keep_their_raw_text_and_line(write_csv):
    path = write_csv(HARVEST + _row(notes='"two\nlines"') + _row(hours="x"))

    first, bad = _items(path)

    assert first.fields["description"] == "two\nlines"
    assert bad.line == 4


def test_crlf_endings_and_a_trailing_empty_cell_are_read(write_csv):
    text = "Date,Project,Hours,First Name\r\n2026-01-05,P,1.5,Ana,\r\n2026-01-06,P,2,Bo\r\n"

    first, second = _items(write_csv(text))

    assert first.fields["hours"] == "1.5000"
    assert first.raw == "2026-01-05,P,1.5,Ana,"
    assert second.fields["work_date"] == "2026-01-06"


def test_an_empty_file_is_refused_naming_the_format_option(write_csv):
    with pytest.raises(ExportRefused, match="--format"):
        open_export(write_csv(""))
