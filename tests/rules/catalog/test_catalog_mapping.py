import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from opsgate.rules.catalog.loader import load_catalog
from opsgate.rules.catalog.mapping import (
    MappingFailure,
    ValidationFailure,
    map_payload,
    read_field,
    select_mapping,
)
from opsgate.rules.catalog.model import FieldRule

FIXTURES = Path(__file__).parents[2] / "fixtures" / "webhooks"
STRIPE = json.loads(
    (FIXTURES / "stripe-invoice-payment-succeeded-live-basil.json").read_bytes()
)


@pytest.fixture(scope="module")
def stripe_entry():
    return load_catalog([]).get("stripe")


def test_stripe_sample_maps_into_a_payment(stripe_entry):
    mapping = select_mapping(stripe_entry, STRIPE["type"], STRIPE)

    payment = map_payload(stripe_entry, mapping, STRIPE)

    assert payment.kind == "payment"
    assert payment.amount == Decimal("29.90")
    assert payment.currency == "BRL"
    assert payment.payment_date == date(2025, 11, 19)
    assert payment.invoice_numbers == ("FAKE0001-0001",)
    assert payment.source == "stripe"


def test_unpaid_invoice_matches_no_mapping(stripe_entry):
    unpaid = json.loads(json.dumps(STRIPE))
    unpaid["data"]["object"]["status"] = "open"

    assert select_mapping(stripe_entry, unpaid["type"], unpaid) is None


def test_mapping_failure_names_the_path_and_value(stripe_entry):
    bad = json.loads(json.dumps(STRIPE))
    bad["data"]["object"]["amount_paid"] = "TBD"
    mapping = select_mapping(stripe_entry, bad["type"], bad)

    with pytest.raises(MappingFailure) as caught:
        map_payload(stripe_entry, mapping, bad)

    assert str(caught.value) == (
        "Mapping stripe.invoice_paid→payment failed at data.object.amount_paid: "
        "expected a decimal, got 'TBD'."
    )
    assert caught.value.path == "data.object.amount_paid"


def test_validation_failure_names_the_field_its_path_and_value(stripe_entry):
    bad = json.loads(json.dumps(STRIPE))
    bad["data"]["object"]["currency"] = "reais"
    mapping = select_mapping(stripe_entry, bad["type"], bad)

    with pytest.raises(ValidationFailure) as caught:
        map_payload(stripe_entry, mapping, bad)

    assert "failed at currency (from data.object.currency)" in str(caught.value)
    assert "got 'REAIS'" in str(caught.value)


def test_required_field_that_is_absent_is_a_mapping_failure(stripe_entry):
    bad = json.loads(json.dumps(STRIPE))
    del bad["data"]["object"]["id"]
    mapping = select_mapping(stripe_entry, bad["type"], bad)

    with pytest.raises(
        MappingFailure, match="at data.object.id: expected a value, found none"
    ):
        map_payload(stripe_entry, mapping, bad)


@pytest.mark.parametrize(
    ("rule", "payload", "expected"),
    [
        (
            {"path": "t", "transform": ["ms_epoch", "date"]},
            {"t": 1564113600000},
            date(2019, 7, 26),
        ),
        (
            {"path": "t", "transform": "datetime"},
            {"t": "2026-01-31T18:42:00+0000"},
            datetime(2026, 1, 31, 18, 42, tzinfo=UTC),
        ),
        (
            {"path": "s", "transform": "lookup", "table": {"Closed Won": True}},
            {"s": "Closed Won"},
            True,
        ),
        ({"path": "a.1.b"}, {"a": [{"b": 1}, {"b": 2}]}, 2),
        ({"path": "x", "default": "n/a"}, {"x": None}, "n/a"),
        ({"const": "fixed"}, {}, "fixed"),
        ({"path": "n", "transform": ["str", "int"]}, {"n": " 42 "}, 42),
        ({"path": "b", "transform": "bool"}, {"b": "Yes"}, True),
    ],
)
def test_field_rules_read_and_transform(rule, payload, expected):
    assert read_field(FieldRule.model_validate(rule), payload) == expected


def test_lookup_miss_names_the_known_keys():
    rule = FieldRule(path="s", transform=("lookup",), table={"won": True})

    with pytest.raises(
        MappingFailure, match=r"at s: expected one of \['won'\], got 'lost'"
    ):
        read_field(rule, {"s": "lost"})


def test_header_paths_read_request_headers():
    rule = FieldRule(path="header:X-Request-Id")

    assert read_field(rule, {}, {"x-request-id": "r-1"}) == "r-1"
