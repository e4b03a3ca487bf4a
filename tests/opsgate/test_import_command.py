import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from opsgate.rules.store.db import create_store_engine, session_scope
from opsgate.rules.store.tables import Event, Incident, QuarantinedInput

OPSGATE = Path(sys.executable).with_name("opsgate")

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "timesheets"


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("OPSGATE_DATABASE_URL", url)
    monkeypatch.setenv("OPSGATE_LOGGING__LEVEL", "ERROR")
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    monkeypatch.setenv("OPSGATE_CONFIG", str(empty))
    return url


def opsgate(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line in its own process, as a user would."""
    return subprocess.run(
        [str(OPSGATE), *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )


def _count(url, table):
    with session_scope(create_store_engine(url), write=False) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_import_timesheets_sniffs_the_format_and_reimport_is_a_no_op(database):
    sample = SAMPLES / "clockify_detailed_2023_ddmmyyyy_quoted.csv"
    first = opsgate("import", "timesheets", str(sample))
    again = opsgate("import", "timesheets", str(sample))

    assert first.returncode == 0, first.stderr
    assert "clockify export, dates dmy" in first.stderr
    assert "52 accepted" in first.stderr
    assert "52 already imported" in again.stderr
    assert _count(database, Event) == 52


def test_import_timesheets_honours_format_date_format_and_timezone(database, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("Date,Project,Hours,First Name\n03/04/2026,P,1,Ana\n")

    result = opsgate(
        "import",
        "timesheets",
        str(path),
        "--format",
        "harvest",
        "--date-format",
        "dd/mm/yyyy",
        "--timezone",
        "Europe/Berlin",
    )

    assert result.returncode == 0, result.stderr
    assert "dates dmy" in result.stderr and "Europe/Berlin" in result.stderr


def test_a_refused_file_is_kept_with_an_incident_and_exits_1(database, tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("Foo,Bar\n1,2\n")

    result = opsgate("import", "timesheets", str(path))

    assert result.returncode == 1
    assert "Refused" in result.stderr and "--format" in result.stderr
    assert _count(database, QuarantinedInput) == 1
    assert _count(database, Incident) == 1


def test_import_roster_accepts_employees_and_reports_bad_rows(database, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "\ufeffEmployee #,First Name,Last Name,Work Email,Job Title,Hire Date,Status\n"
        "101,Ana,Lima,ana@firm.example,Consultant,2024-02-01,Active\n"
        "102,Bo,Chen,bo@firm.example,Manager,2023-09-15,Terminated\n"
        "103,Cy,,cy@firm.example,Analyst,2025-13-01,Retired\n",
        encoding="utf-8",
    )

    result = opsgate("import", "roster", str(path))

    assert result.returncode == 0, result.stderr
    assert "2 accepted" in result.stderr and "1 rejected" in result.stderr
    assert "'Hire Date'" in result.stderr
    assert _count(database, Event) == 2


def test_a_bad_option_is_a_usage_error_and_keeps_nothing(database):
    sample = SAMPLES / "toggl_detailed_2018_bom_amount-empty_nb.csv"

    result = opsgate("import", "timesheets", str(sample), "--timezone", "Mars/Base")

    assert result.returncode == 2
    assert "Mars/Base" in result.stderr


def test_toggl_export_read_in_another_zone_than_before_is_refused(database):
    sample = SAMPLES / "toggl_detailed_2019_bom_client-with-comma.csv"

    first = opsgate("import", "timesheets", str(sample), "--timezone", "Europe/Oslo")
    other = opsgate("import", "timesheets", str(sample))
    moved = opsgate(
        "import", "timesheets", str(sample), "--timezone", "UTC", "--timezone-changed"
    )

    assert first.returncode == 0, first.stderr
    assert other.returncode == 1
    assert "imported before with times in Europe/Oslo" in other.stderr
    assert "--timezone Europe/Oslo" in other.stderr
    assert moved.returncode == 0, moved.stderr
    events = _count(database, Event)
    assert events == 2 * int(first.stderr.split(" accepted")[0].split()[-1])


def test_format_that_contradicts_the_header_is_refused(database):
    sample = SAMPLES / "toggl_detailed_2019_bom_client-with-comma.csv"

    result = opsgate("import", "timesheets", str(sample), "--format", "clockify")

    assert result.returncode == 1
    assert "looks like a toggl export, not clockify" in result.stderr
    assert _count(database, Event) == 0


def test_import_into_a_store_whose_directory_does_not_exist_is_refused(
    database, tmp_path, monkeypatch
):
    missing = tmp_path / "no-such-dir" / "x.db"
    monkeypatch.setenv("OPSGATE_DATABASE_URL", f"sqlite:///{missing}")
    sample = SAMPLES / "clockify_detailed_2023_ddmmyyyy_quoted.csv"

    result = opsgate("import", "timesheets", str(sample))

    assert result.returncode == 1
    assert "No directory" in result.stderr
    assert not missing.parent.exists()


def test_utf16_export_is_read(database, tmp_path):
    path = tmp_path / "harvest-utf16.csv"
    text = (
        "Date,Client,Project,Project Code,Task,Notes,Hours,First Name,Last Name\n"
        "2026-11-02,Acme,Rollout,P-01,Build,Data model,2.5,Ana,Silva\n"
    )
    path.write_bytes(text.encode("utf-16"))

    result = opsgate("import", "timesheets", str(path))

    assert result.returncode == 0, result.stderr
    assert "1 accepted" in result.stderr


def test_a_forced_date_order_the_dates_contradict_is_said(database):
    sample = SAMPLES / "clockify_detailed_2023_ddmmyyyy_quoted.csv"

    result = opsgate("import", "timesheets", str(sample), "--date-format", "mm/dd/yyyy")

    assert result.returncode == 0, result.stderr
    assert "although the file's dates read as dmy" in result.stderr
