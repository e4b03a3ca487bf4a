from __future__ import annotations

import pytest

from opsgate.connectors.odoo.standin import OdooStandin, Pace
from tests.connectors.odoo.standin.conftest import Json2


def test_recorded_pace_makes_reloading_cost_about_five_to_six_times_creating() -> None:
    for version in (18, 19):
        pace = Pace.recorded(version)
        assert 4.5 <= pace.updated_row_s / pace.created_row_s <= 6.5


def test_one_call_per_record_costs_what_the_recordings_measured() -> None:
    assert Pace.recorded(18).delay_s(created=1, updated=0) == pytest.approx(0.0485)
    assert Pace.recorded(19).delay_s(created=1, updated=0) == pytest.approx(0.0759)
    assert Pace.recorded(18).delay_s(
        created=0, updated=0, authenticated=True
    ) == pytest.approx(0.546)


def test_paced_standin_counts_the_records_each_call_creates_and_updates() -> None:
    pace = Pace(call_s=0.0, created_row_s=0.0, updated_row_s=0.0, authenticate_s=0.0)
    with OdooStandin(version=19, pace=pace) as standin:
        json2 = Json2(standin)
        ids = json2.call(
            "res.partner", "create", vals_list=[{"name": "A"}, {"name": "B"}]
        )
        after_create = (standin.db.created, standin.db.updated)
        json2.call("res.partner", "write", ids=ids, vals={"ref": "x"})
        after_write = (standin.db.created, standin.db.updated)

    assert after_create == (2, 0)
    assert after_write == (0, 2)
