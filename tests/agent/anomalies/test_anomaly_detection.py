from datetime import date
from decimal import Decimal

import pytest

from opsgate.agent.anomalies.detector import detect
from opsgate.agent.anomalies.flag import AnomalyKind
from opsgate.evals.billing.dataset import build_labelled_firm
from opsgate.evals.billing.scoring import score_flags
from opsgate.rules.billing.facts import build_billing_facts
from opsgate.rules.canonical import BillingType, Contract, Project, Timesheet


@pytest.fixture(scope="module")
def held_out_firm():
    return build_labelled_firm(21, "held_out")


def test_held_out_firm_meets_precision_and_recall_target(held_out_firm):
    flags = detect(held_out_firm.facts, held_out_firm.settings)

    overall = score_flags(flags, held_out_firm.labels).overall

    assert overall.precision >= 0.9
    assert overall.recall >= 0.9


def test_every_kind_is_injected_and_found(held_out_firm):
    card = score_flags(
        detect(held_out_firm.facts, held_out_firm.settings), held_out_firm.labels
    )

    for kind in AnomalyKind:
        assert card.kinds[kind.value].labels >= 1, kind
        assert card.kinds[kind.value].recall == 1.0, kind


def test_flag_explains_itself_with_numbers_and_money(held_out_firm):
    flags = detect(held_out_firm.facts, held_out_firm.settings)
    ceiling = next(f for f in flags if f.kind == AnomalyKind.DAY_OVER_CEILING)

    assert "× this consultant's median day" in ceiling.title
    assert any(ch.isdigit() for ch in ceiling.reasons[0])
    assert ceiling.amount_at_risk > 0
    assert ceiling.currency in {"EUR", "USD", "GBP"}


def _sheet(key, day, hours, **extra):
    return Timesheet(
        source="harvest",
        source_key=key,
        work_date=day,
        hours=Decimal(hours),
        consultant_email="ana@firm.example",
        project_name="P-1",
        project_code="P-1",
        approved=True,
        **extra,
    )


def _terms(currency="EUR"):
    contract = Contract(
        source="crm",
        source_key="c1",
        name="Deal",
        currency=currency,
        billing_type=BillingType.TIME_AND_MATERIALS,
        hourly_rate=Decimal(100),
    )
    project = Project(
        source="odoo", source_key="p1", name="P-1", code="P-1", contract_key="c1"
    )
    return [contract], [project]


def test_empty_facts_give_no_flags():
    facts = build_billing_facts(as_of=date(2026, 12, 1), timesheets=[])

    assert detect(facts) == []


def test_consultant_without_history_is_not_judged_for_spikes():
    contracts, projects = _terms()
    sheets = [
        (_sheet("a", date(2026, 11, 2), "4"), None),
        (_sheet("b", date(2026, 11, 3), "11"), None),
    ]
    facts = build_billing_facts(
        as_of=date(2026, 11, 4),
        timesheets=sheets,
        projects=projects,
        contracts=contracts,
    )

    kinds = {f.kind for f in detect(facts)}

    assert AnomalyKind.HOURS_SPIKE_CONSULTANT not in kinds


def test_rate_in_another_currency_is_not_compared_with_the_contract():
    contracts, projects = _terms("EUR")
    sheets = [
        (
            _sheet(
                "a", date(2026, 11, 2), "8", hourly_rate=Decimal(90), currency="USD"
            ),
            None,
        )
    ]
    facts = build_billing_facts(
        as_of=date(2026, 11, 4),
        timesheets=sheets,
        projects=projects,
        contracts=contracts,
    )

    assert not [f for f in detect(facts) if f.kind == AnomalyKind.RATE_MISMATCH]


def test_rate_off_the_contract_is_flagged_with_the_gap():
    contracts, projects = _terms("EUR")
    sheets = [
        (
            _sheet(
                "a", date(2026, 11, 2), "8", hourly_rate=Decimal(90), currency="EUR"
            ),
            "e1",
        )
    ]
    facts = build_billing_facts(
        as_of=date(2026, 11, 4),
        timesheets=sheets,
        projects=projects,
        contracts=contracts,
    )

    flag = next(f for f in detect(facts) if f.kind == AnomalyKind.RATE_MISMATCH)

    assert flag.amount_at_risk == 80.0
    assert flag.event_ids == ("e1",)
    assert "100.00 EUR/h" in flag.title
