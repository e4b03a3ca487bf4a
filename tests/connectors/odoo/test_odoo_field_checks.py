import pytest

from opsgate.connectors.errors import ErrorCategory
from opsgate.connectors.odoo.errors import OdooValueRefused
from opsgate.connectors.odoo.field_checks import check_load_row, check_record_values

FIELDS = {
    "color": {"type": "integer"},
    "country_id": {"type": "many2one", "relation": "res.country"},
    "date": {"type": "date"},
    "date_deadline": {"type": "datetime"},
    "project_id": {"type": "many2one", "relation": "project.project"},
    "id": {"type": "integer"},
}


@pytest.mark.parametrize(
    ("values", "field", "category"),
    [
        ({"color": 3.7}, "color", ErrorCategory.VALIDATION),
        ({"color": True}, "color", ErrorCategory.VALIDATION),
        ({"country_id": "Belgium"}, "country_id", ErrorCategory.MAPPING),
        ({"country_id": [21, "Belgium"]}, "country_id", ErrorCategory.MAPPING),
        ({"date": "2026-12-18T17:00:00Z"}, "date", ErrorCategory.VALIDATION),
        (
            {"date_deadline": "2026-12-18T17:00:00"},
            "date_deadline",
            ErrorCategory.VALIDATION,
        ),
    ],
)
def test_value_odoo_would_mangle_is_refused_naming_field_and_value(
    values, field, category
):
    with pytest.raises(OdooValueRefused) as caught:
        check_record_values("res.partner", values, FIELDS, row=4, creating=False)

    assert (caught.value.row, caught.value.field) == (4, field)
    assert caught.value.value == values[field]
    assert caught.value.category is category
    assert "row 4 of res.partner" in caught.value.message
    assert repr(values[field]) in caught.value.message


@pytest.mark.parametrize(
    "values",
    [
        {"color": 5},
        {"color": "5"},
        {"color": 4.0},
        {"country_id": 21},
        {"country_id": False},
        {"country_id": None},
        {"date": "2026-12-18"},
        {"date_deadline": "2026-12-18 15:00:00"},
        {"unknown_field": object()},
    ],
)
def test_values_odoo_keeps_as_given_pass(values):
    check_record_values("res.partner", values, FIELDS, creating=False)


def test_timesheet_without_project_is_refused_on_create():
    with pytest.raises(OdooValueRefused) as caught:
        check_record_values(
            "account.analytic.line",
            {"name": "admin", "unit_amount": 1},
            FIELDS,
            creating=True,
        )

    assert caught.value.field == "project_id"
    assert caught.value.category is ErrorCategory.MISSING_REFERENCE


def test_timesheet_write_that_leaves_the_project_alone_passes():
    check_record_values(
        "account.analytic.line", {"unit_amount": 2}, FIELDS, creating=False
    )


def test_timesheet_write_that_clears_the_project_is_refused():
    with pytest.raises(OdooValueRefused):
        check_record_values(
            "account.analytic.line", {"project_id": False}, FIELDS, creating=False
        )


def test_load_row_refuses_a_fraction_for_an_integer_column_and_a_timesheet_without_project():
    with pytest.raises(OdooValueRefused) as caught:
        check_load_row("res.partner", 2, {"id": "opsgate.x", "color": "3.7"}, FIELDS)
    assert (caught.value.row, caught.value.field, caught.value.value) == (
        2,
        "color",
        "3.7",
    )

    with pytest.raises(OdooValueRefused):
        check_load_row(
            "account.analytic.line", 0, {"id": "opsgate.t", "name": "x"}, FIELDS
        )

    check_load_row(
        "account.analytic.line", 0, {"id": "opsgate.t", "project_id/.id": "31"}, FIELDS
    )
    check_load_row(
        "res.partner", 0, {"id": "opsgate.p", "country_id": "Belgium"}, FIELDS
    )
