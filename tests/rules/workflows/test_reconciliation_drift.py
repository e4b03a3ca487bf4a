from decimal import Decimal as D

from opsgate.rules.workflows.reconciliation import (
    DriftKind,
    DriftReport,
    compare_billing,
    compare_deals,
    compare_time,
)


def test_time_missing_in_odoo_is_valued_at_the_entry_rate():
    drifts = compare_time({"a": D("8")}, {}, rate_of={"a": D("150")})

    assert [(d.kind, d.value) for d in drifts] == [
        (DriftKind.MISSING_IN_ODOO, D("1200"))
    ]


def test_hours_that_differ_and_lines_nobody_sent_are_both_drift():
    drifts = compare_time(
        {"a": D("8"), "b": D("4")},
        {"a": D("7.5"), "b": D("4"), "z": D("2")},
        rate_of={"a": D("100")},
    )

    assert {(d.kind, d.key) for d in drifts} == {
        (DriftKind.HOURS_DIFFER, "a"),
        (DriftKind.UNEXPLAINED_IN_ODOO, "z"),
    }
    assert next(d for d in drifts if d.key == "a").value == D("50.0")


def test_equal_time_within_tolerance_is_no_drift():
    assert compare_time({"a": D("8")}, {"a": D("8.004")}, rate_of={}) == []


def test_invoiced_more_than_worked_is_over_invoiced():
    drifts = compare_billing(
        {"line": D("10")}, {"line": D("12")}, price_of={"line": D("200")}
    )

    assert [(d.kind, d.value) for d in drifts] == [(DriftKind.OVER_INVOICED, D("400"))]


def test_deal_without_sale_order_and_amount_mismatch_are_reported_with_value():
    drifts = compare_deals(
        {"HS-DEAL-1": D("1000"), "HS-DEAL-2": D("500")}, {"HS-DEAL-2": D("450")}
    )
    report = DriftReport(drifts)

    assert set(report.by_kind()) == {DriftKind.NO_SALE_ORDER, DriftKind.AMOUNT_DIFFERS}
    assert report.total_value == D("1050")
