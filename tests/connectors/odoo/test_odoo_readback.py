import pytest

from opsgate.connectors.odoo.readback import mismatches, same_value
from opsgate.connectors.odoo.upsert import to_cell


@pytest.mark.parametrize(
    ("wanted", "got", "same"),
    [
        (21, [21, "Belgium"], True),
        (False, False, True),
        (None, False, True),
        ("United States", False, False),
        (7.5, 7.5000000001, True),
        (3.7, 3, False),
        (True, True, True),
        ([4, 2], [2, 4], True),
        ([[0, 0, {"name": "line"}]], [9], None),
    ],
)
def test_values_read_back_compare_as_odoo_stores_them(wanted, got, same):
    assert same_value(wanted, got) is same


def test_mismatches_name_field_wanted_and_got():
    record = {"id": 66, "country_id": False, "phone": "+1 555 0100"}

    assert mismatches(record, {"country_id": "Belgium", "phone": "+1 555 0100"}) == {
        "country_id": ("Belgium", False)
    }


@pytest.mark.parametrize(
    ("value", "cell"),
    [(True, "1"), (False, ""), (None, ""), (7.5, "7.5"), (12, "12"), ("x", "x")],
)
def test_load_cells_are_strings(value, cell):
    assert to_cell(value) == cell


def test_a_list_is_no_load_cell():
    with pytest.raises(TypeError, match=r"\[1, 2\]"):
        to_cell([1, 2])
